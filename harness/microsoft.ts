/**
 * The Microsoft side of a rotation, simulated on 127.0.0.1 (one random port):
 * GitHub's OIDC token service (what `ACTIONS_ID_TOKEN_REQUEST_URL` names), the
 * Entra ID token endpoint taking a federated client assertion, and the Microsoft
 * Graph synchronization calls of an enterprise application's provisioning
 * (list jobs, read and save secrets, validateCredentials, restart). Its
 * `validateCredentials` really runs Entra's connection test against the
 * platform simulator: a token from the token endpoint value with HTTP Basic
 * client authentication (RFC 6749 §2.3.1), then `GET <BaseAddress>/Users?filter=
 * userName eq "<random uuid>"` expecting an empty ListResponse.
 * Shapes follow Microsoft's documentation as summarised in the project's
 * docs/ (Graph v1.0 synchronization reference, the client credentials flow with
 * a federated assertion); what Microsoft does not document (key names of the
 * client-credentials form, the test's wire form) follows the third-party
 * reports named there. State is inspectable (saved secrets, job status,
 * request log, test results) and faults are injected per route.
 * Written in erasable TypeScript so Node 24 runs it without a build step.
 */
import { FaultQueue } from './faults.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import {
  closeServer,
  readRequest,
  requestRecord,
  type PlatformSimulator,
  type RegistrationRecord,
} from './simulator.ts';

/** The audience GitHub's OIDC token must carry for Entra ID (workload identity federation). */
export const ENTRA_AUDIENCE = 'api://AzureADTokenExchange';
/** The issuer of GitHub Actions OIDC tokens. */
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Microsoft's `synchronizationSecret` enumeration (Graph v1.0 reference), the
 * only key names Graph accepts, case-sensitive; another name is answered
 * `500 InternalError "Requested value '…' was not found."`.
 */
export const SYNCHRONIZATION_SECRET_KEYS: readonly string[] = [
  'None',
  'UserName',
  'Password',
  'SecretToken',
  'AppKey',
  'BaseAddress',
  'ClientIdentifier',
  'ClientSecret',
  'SingleSignOnType',
  'Sandbox',
  'Url',
  'Domain',
  'ConsumerKey',
  'ConsumerSecret',
  'TokenKey',
  'TokenExpiration',
  'Oauth2AccessToken',
  'Oauth2AccessTokenCreationTime',
  'Oauth2RefreshToken',
  'SyncAll',
  'InstanceName',
  'Oauth2ClientId',
  'Oauth2ClientSecret',
  'CompanyId',
  'UpdateKeyOnSoftDelete',
  'SynchronizationSchedule',
  'SystemOfRecord',
  'SandboxName',
  'EnforceDomain',
  'SyncNotificationSettings',
  'SkipOutOfScopeDeletions',
  'Oauth2AuthorizationCode',
  'Oauth2RedirectUri',
  'ApplicationTemplateIdentifier',
  'Oauth2TokenExchangeUri',
  'Oauth2AuthorizationUri',
  'AuthenticationType',
  'Server',
  'PerformInboundEntitlementGrants',
  'HardDeletesEnabled',
  'SyncAgentCompatibilityKey',
  'SyncAgentADContainer',
  'ValidateDomain',
  'TestReferences',
  'ConnectionString',
];

/** Keys whose values `GET …/secrets` shows as `*` (reported by third parties: secrets are not read back). */
export const HIDDEN_KEYS: ReadonlySet<string> = new Set([
  'Password',
  'SecretToken',
  'ClientSecret',
  'Oauth2ClientSecret',
  'Oauth2AccessToken',
  'Oauth2RefreshToken',
  'ConsumerSecret',
  'AppKey',
]);

/**
 * How the app's saved keys are named: `oauth2` (`Oauth2ClientId` /
 * `Oauth2ClientSecret`), `client` (`ClientIdentifier` / `ClientSecret`), both
 * with `BaseAddress`, `Oauth2TokenExchangeUri` and `AuthenticationType`; or
 * `secret-token`: an app set to a long-lived bearer token (`BaseAddress`,
 * `SecretToken`), not to the client credentials grant.
 */
export type KeyStyle = 'oauth2' | 'client' | 'secret-token';

/** The client-id and client-secret key names of each client-credentials style. */
export const KEY_NAMES = {
  oauth2: { clientId: 'Oauth2ClientId', clientSecret: 'Oauth2ClientSecret' },
  client: { clientId: 'ClientIdentifier', clientSecret: 'ClientSecret' },
} as const;

/** One synchronization secret as Graph lists and takes it. */
export interface SecretEntry {
  key: string;
  value: string;
}

/** The routes faults can target, in the order a hand-off calls them. */
export type MicrosoftRoute = 'oidc' | 'entra-token' | 'jobs' | 'secrets' | 'save' | 'validate' | 'restart';

/**
 * A fault for one route, applied to the next `times` matching requests
 * (default every one). Without `act` the server answers with the fault and
 * changes nothing; with `act` it acts first.
 */
export interface MicrosoftFault {
  times?: number;
  /** Only requests this returns true for (the raw body) take the fault; others pass it by. */
  match?: (body: string) => boolean;
  /**
   * Wait this long (ms) before acting (after acting with `act`); a request whose connection
   * closed meanwhile (the run was cancelled, the simulator closed) is then not acted on.
   */
  delayMs?: number;
  /** Destroy the connection: `before` acting, or `after` acting (the answer is lost). */
  reset?: 'before' | 'after';
  /** Answer 307 with this Location. */
  redirect?: string;
  /** Status of the fault's answer (default 500 when `body` is set). */
  status?: number;
  /** The answer's body: an object is sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Act (change state) before delaying or answering with the fault. */
  act?: boolean;
}

export interface MicrosoftRequest {
  route: MicrosoftRoute | 'unknown';
  method: string;
  /** Path and query as received. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Status sent, or 0 before the answer (or when the connection was reset). */
  status: number;
  /** When it arrived (Date.now(), ms). */
  at: number;
}

/** One run of Entra's connection test (`validateCredentials`). */
export interface ConnectionTest {
  useSavedCredentials: boolean;
  passed: boolean;
  /** Why it failed (empty when it passed). */
  detail: string;
  /** The client id it authenticated with ('' when none). */
  clientId: string;
}

/** The provisioning job's status, as `GET …/jobs` shows it (the parts the action reads). */
export interface JobStatus {
  code: 'NotConfigured' | 'NotRun' | 'Active' | 'Paused' | 'Quarantine';
  quarantine: null | {
    currentBegan: string;
    nextAttempt: string;
    reason: string;
    seriesBegan: string;
    seriesCount: number;
  };
}

export interface SyncJob {
  id: string;
  templateId: string;
  status: JobStatus;
}

/** The credentials Entra holds at the start (the form a person filled in). */
export interface SavedCredentials {
  /** Tenant URL (`BaseAddress`), e.g. `<base-url>/api/scim/v2`. */
  tenantUrl: string;
  /** Token Endpoint (`Oauth2TokenExchangeUri`). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface MicrosoftOptions {
  /** The directory's id; default a random UUID. */
  tenantId?: string;
  /** The directory's domain name, accepted as the tenant too; default `contoso.onmicrosoft.com`. */
  tenantDomain?: string;
  /** Application (client) id of the app registration with the federated credential; default random. */
  clientId?: string;
  /** Object id of the Invicti enterprise application; default random. */
  servicePrincipalId?: string;
  /** Subjects the app registration's federated credentials trust; default [`subject`]. */
  federatedSubjects?: string[];
  /** The `sub` of the OIDC tokens GitHub issues; default `repo:octo-org/identity:environment:invicti-rotation`. */
  subject?: string;
  /** The job's request token (`ACTIONS_ID_TOKEN_REQUEST_TOKEN`); default random. */
  requestToken?: string;
  /** Key names the app's saved credentials use; default `oauth2`. */
  keyStyle?: KeyStyle;
  /** What Entra holds at the start; default values that point nowhere (tests set them). */
  saved?: SavedCredentials;
  /** Jobs of the app; default one SCIM job (`scim.<hex>`, template `scim`), Active. */
  jobs?: SyncJob[];
  /** Graph answers 403 to the synchronization calls (the automation lacks permission or ownership). */
  forbidden?: boolean;
  /** Trust this CA (PEM) when the connection test reaches an HTTPS platform. */
  ca?: string;
  /** Time limit of each request of the connection test, ms; default 10 000. */
  testTimeoutMs?: number;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A Graph error answer (`{"error":{"code","message","innerError"}}`). */
export function graphError(status: number, code: string, message: string, headers?: Record<string, string>): Answer {
  return {
    status,
    headers,
    body: {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString(), 'request-id': randomUUID(), 'client-request-id': randomUUID() },
      },
    },
  };
}

/** A 429 from Graph with `Retry-After` (seconds), as a fault. */
export function throttled(retryAfterSeconds: number, times = 1): MicrosoftFault {
  const answer = graphError(429, 'TooManyRequests', 'Too many requests. Please retry after the time given.');
  return { times, status: 429, body: answer.body, headers: { 'retry-after': String(retryAfterSeconds) } };
}

/** Matches validateCredentials requests that test the saved credentials. */
export const savedOnly = (body: string): boolean => parseJson(body)?.['useSavedCredentials'] === true;
/** Matches validateCredentials requests that test a given (new) set. */
export const newSetOnly = (body: string): boolean => parseJson(body)?.['useSavedCredentials'] === false;

/** A failed connection test's answer (the portal's "Test connection" failure, in Graph's error form). */
export function testFailed(detail: string): Answer {
  return graphError(
    400,
    'BadRequest',
    `Failed to validate credentials. Error code: SystemForCrossDomainIdentityManagementCredentialValidationUnavailable. Details: ${detail}`,
  );
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The `sub` of a JWT's payload, undefined when it is not one. */
export function jwtSubject(jwt: string): string | undefined {
  const payload = parseJson(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
  return typeof payload?.['sub'] === 'string' ? payload['sub'] : undefined;
}

/** An active SCIM job as a non-gallery app has it. */
export function scimJob(quarantined = false): SyncJob {
  const job: SyncJob = {
    id: `scim.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`,
    templateId: 'scim',
    status: { code: 'Active', quarantine: null },
  };
  if (quarantined) quarantine(job);
  return job;
}

/** Puts a job in quarantine, as invalid credentials do. */
export function quarantine(job: SyncJob): void {
  const now = new Date().toISOString();
  job.status = {
    code: 'Quarantine',
    quarantine: {
      currentBegan: now,
      nextAttempt: new Date(Date.now() + 86_400_000).toISOString(),
      reason: 'EncounteredQuarantineException',
      seriesBegan: now,
      seriesCount: 1,
    },
  };
}

export class MicrosoftSimulator {
  readonly server: http.Server;
  readonly options: MicrosoftOptions;
  /** `http://127.0.0.1:<port>`: the login URL and the Graph URL. */
  baseUrl = '';
  readonly tenantId: string;
  readonly tenantDomain: string;
  readonly clientId: string;
  readonly servicePrincipalId: string;
  readonly requestToken: string;
  /** The path of the OIDC token route (any path works as long as it ends with `/idtoken`). */
  readonly oidcPath: string;
  /** The `sub` of the OIDC tokens issued from now on. */
  subject: string;
  /** Subjects the federated credentials trust. */
  federatedSubjects: string[];
  /** Graph answers 403 to the synchronization calls. */
  forbidden: boolean;
  /** The app's saved synchronization secrets, in order, values in clear. */
  readonly secrets: SecretEntry[] = [];
  jobs: SyncJob[];
  readonly requests: MicrosoftRequest[] = [];
  /** OIDC tokens issued (JWTs). */
  readonly oidcTokens = new Set<string>();
  /** Graph access tokens issued. */
  readonly graphTokens = new Set<string>();
  /** Entra's connection tests, in order. */
  readonly tests: ConnectionTest[] = [];
  /** `restart` bodies received, parsed. */
  readonly restarts: unknown[] = [];
  readonly #faults = new FaultQueue<MicrosoftRoute, MicrosoftFault>();
  readonly #sockets = new Set<Socket>();

  private constructor(options: MicrosoftOptions) {
    this.options = options;
    this.tenantId = options.tenantId ?? randomUUID();
    this.tenantDomain = options.tenantDomain ?? 'contoso.onmicrosoft.com';
    this.clientId = options.clientId ?? randomUUID();
    this.servicePrincipalId = options.servicePrincipalId ?? randomUUID();
    this.requestToken = options.requestToken ?? `req.${randomBytes(24).toString('base64url')}`;
    this.oidcPath = `/_apis/distributedtask/hubs/Actions/plans/${randomUUID()}/jobs/${randomUUID()}/idtoken`;
    this.subject = options.subject ?? 'repo:octo-org/identity:environment:invicti-rotation';
    this.federatedSubjects = [...(options.federatedSubjects ?? [this.subject])];
    this.forbidden = options.forbidden ?? false;
    this.jobs = options.jobs ?? [scimJob()];
    this.setSaved(
      options.saved ?? {
        tenantUrl: 'http://127.0.0.1:9/api/scim/v2',
        tokenUrl: 'http://127.0.0.1:9/oauth/token',
        clientId: 'm2m-old',
        clientSecret: 'old-secret',
      },
      options.keyStyle ?? 'oauth2',
    );
    this.server = http.createServer((req, res) => {
      this.#handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  /** Starts a simulator on 127.0.0.1, a random port. */
  static async start(options: MicrosoftOptions = {}): Promise<MicrosoftSimulator> {
    const sim = new MicrosoftSimulator(options);
    await new Promise<void>((resolve) => sim.server.listen(0, '127.0.0.1', resolve));
    sim.baseUrl = `http://127.0.0.1:${(sim.server.address() as AddressInfo).port}`;
    return sim;
  }

  /** `ACTIONS_ID_TOKEN_REQUEST_URL` (with a query, as GitHub's has) and `ACTIONS_ID_TOKEN_REQUEST_TOKEN`. */
  env(): Record<string, string> {
    return {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${this.baseUrl}${this.oidcPath}?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: this.requestToken,
    };
  }

  /** The Entra inputs pointing at this simulator (`tenant`: the id by default, or e.g. the domain). */
  inputs(tenant: string = this.tenantId): Record<string, string> {
    return {
      'entra-tenant-id': tenant,
      'entra-client-id': this.clientId,
      'entra-service-principal-id': this.servicePrincipalId,
      'entra-login-url': this.baseUrl,
      'entra-graph-url': this.baseUrl,
    };
  }

  /** The first SCIM job (the one the hand-off works on). */
  get job(): SyncJob {
    const job = this.jobs.find((j) => j.templateId === 'scim' || j.id.startsWith('scim.'));
    if (!job) throw new Error('the simulated app has no SCIM job');
    return job;
  }

  /** Replaces the saved secrets with `saved` under `style`'s key names (plus the app's other keys). */
  setSaved(saved: SavedCredentials, style: KeyStyle = this.keyStyle()): void {
    const entries: SecretEntry[] = [{ key: 'BaseAddress', value: saved.tenantUrl }];
    if (style === 'secret-token') {
      entries.push({ key: 'SecretToken', value: saved.clientSecret });
    } else {
      entries.push(
        { key: 'AuthenticationType', value: 'OAuth2ClientCredentialsGrant' },
        { key: 'Oauth2TokenExchangeUri', value: saved.tokenUrl },
        { key: KEY_NAMES[style].clientId, value: saved.clientId },
        { key: KEY_NAMES[style].clientSecret, value: saved.clientSecret },
      );
      // Reported (third party) next to the Oauth2* keys: a cached token Entra keeps; listed as '*'.
      if (style === 'oauth2')
        entries.push(
          { key: 'Oauth2AccessToken', value: `cached.${randomBytes(24).toString('base64url')}` },
          { key: 'Oauth2AccessTokenCreationTime', value: new Date().toISOString() },
        );
    }
    entries.push(
      { key: 'SyncNotificationSettings', value: '{"Enabled":false,"DeleteThresholdEnabled":false}' },
      { key: 'SyncAll', value: 'false' },
    );
    this.secrets.splice(0, this.secrets.length, ...entries);
  }

  /** The key style the saved secrets show. */
  keyStyle(): KeyStyle {
    if (this.saved('Oauth2ClientId') !== undefined) return 'oauth2';
    if (this.saved('ClientIdentifier') !== undefined) return 'client';
    return 'secret-token';
  }

  /** A saved value in clear, undefined when the key is not saved. */
  saved(key: string): string | undefined {
    return this.secrets.find((s) => s.key === key)?.value;
  }

  /** The saved credentials read through either key style. */
  savedCredentials(): SavedCredentials {
    return credentialsOf(this.secrets);
  }

  /** Adds a fault to a route (faults of a route apply in the order added). */
  fault(route: MicrosoftRoute, fault: MicrosoftFault): this {
    this.#faults.add(route, fault);
    return this;
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /** Requests received on a route. */
  requestsTo(route: MicrosoftRoute): MicrosoftRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  async close(): Promise<void> {
    await closeServer(this.server, this.#sockets);
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { body, url } = await readRequest(req);
    const route = this.#route(req.method ?? '', url.pathname);
    const record: MicrosoftRequest = { ...requestRecord(req, route, body), at: Date.now() };
    this.requests.push(record);
    const send = (answer: Answer): void => {
      record.status = answer.status;
      const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        ...(answer.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
        ...(answer.headers ?? {}),
      });
      res.end(text);
    };
    const fault = route === 'unknown' ? undefined : this.#takeFault(route, body);
    const wait = (): Promise<void> => new Promise((r) => setTimeout(r, fault?.delayMs ?? 0));
    if (fault?.delayMs && !fault.act) await wait();
    // The caller left (a cancelled run) or the simulator closed while the request was held: act on
    // nothing, so a held request never reaches the platform during a later test.
    if (req.socket.destroyed) return;
    if (fault?.reset === 'before') {
      req.socket.destroy();
      return;
    }
    if (fault?.redirect) {
      send({ status: 307, headers: { location: fault.redirect } });
      return;
    }
    const faultAnswer: Answer | undefined =
      fault && (fault.status !== undefined || fault.body !== undefined)
        ? { status: fault.status ?? 500, body: fault.body, headers: fault.headers }
        : undefined;
    if (faultAnswer && !fault?.act) {
      send(faultAnswer);
      return;
    }
    const answer =
      route === 'unknown' ? graphError(404, 'NotFound', 'Not found.') : await this.#act(route, req, url, body);
    if (fault?.delayMs && fault.act) await wait();
    if (fault?.reset === 'after') {
      req.socket.destroy();
      return;
    }
    send(faultAnswer ?? { ...answer, headers: { ...(answer.headers ?? {}), ...(fault?.headers ?? {}) } });
  }

  #takeFault(route: MicrosoftRoute, body: string): MicrosoftFault | undefined {
    return this.#faults.take(route, (f) => !f.match || f.match(body));
  }

  #route(method: string, path: string): MicrosoftRoute | 'unknown' {
    if (method === 'GET' && path.endsWith('/idtoken')) return 'oidc';
    if (method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/token$/u.test(path)) return 'entra-token';
    const sync = /^\/v1\.0\/servicePrincipals\/[^/]+\/synchronization\/(.+)$/u.exec(path)?.[1];
    if (sync === undefined) return 'unknown';
    if (method === 'GET' && sync === 'jobs') return 'jobs';
    if (method === 'GET' && sync === 'secrets') return 'secrets';
    if (method === 'PUT' && sync === 'secrets') return 'save';
    if (method === 'POST' && /^jobs\/[^/]+\/validateCredentials$/u.test(sync)) return 'validate';
    if (method === 'POST' && /^jobs\/[^/]+\/restart$/u.test(sync)) return 'restart';
    return 'unknown';
  }

  async #act(route: MicrosoftRoute, req: http.IncomingMessage, url: URL, body: string): Promise<Answer> {
    if (route === 'oidc') return this.#oidc(req, url);
    if (route === 'entra-token') return this.#entraToken(req, url, body);
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !this.graphTokens.has(auth.slice(7)))
      return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    const spId = decodeURIComponent(url.pathname.split('/')[3] ?? '');
    if (spId !== this.servicePrincipalId)
      return graphError(
        404,
        'Request_ResourceNotFound',
        `Resource '${spId}' does not exist or one of its queried reference-property objects are not present.`,
      );
    if (this.forbidden)
      return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    const jobId = decodeURIComponent(url.pathname.split('/')[6] ?? '');
    const job = this.jobs.find((j) => j.id === jobId);
    if ((route === 'validate' || route === 'restart') && !job)
      return graphError(404, 'NotFound', `The job '${jobId}' was not found.`);
    switch (route) {
      case 'jobs':
        return {
          status: 200,
          body: {
            '@odata.context': `${this.baseUrl}/v1.0/$metadata#servicePrincipals('${spId}')/synchronization/jobs`,
            value: this.jobs.map((j) => this.#jobView(j)),
          },
        };
      case 'secrets':
        return {
          status: 200,
          body: {
            '@odata.context': `${this.baseUrl}/v1.0/$metadata#servicePrincipals('${spId}')/synchronization/secrets`,
            value: this.secrets.map((s) => ({ key: s.key, value: HIDDEN_KEYS.has(s.key) ? '*' : s.value })),
          },
        };
      case 'save':
        return this.#save(body);
      case 'validate':
        return this.#validate(body);
      case 'restart':
        return this.#restart(job as SyncJob, body);
    }
  }

  #jobView(job: SyncJob): unknown {
    return {
      id: job.id,
      templateId: job.templateId,
      schedule: { expiration: null, interval: 'PT40M', state: 'Active' },
      status: {
        ...job.status,
        countSuccessiveCompleteFailures: job.status.quarantine ? 3 : 0,
        escrowsPruned: false,
        lastExecution: null,
        progress: [],
        troubleshootingUrl: null,
      },
      synchronizationJobSettings: [],
    };
  }

  /** GitHub's OIDC token service: Bearer request token, `audience` query → `{"value": <JWT>}`. */
  #oidc(req: http.IncomingMessage, url: URL): Answer {
    if (req.headers.authorization !== `Bearer ${this.requestToken}`)
      return { status: 401, body: { message: 'Unauthorized: the request token is missing or invalid.' } };
    const audience = url.searchParams.get('audience');
    if (url.searchParams.getAll('audience').length !== 1 || !audience)
      return { status: 400, body: { message: 'Exactly one audience is required.' } };
    const now = Math.floor(Date.now() / 1000);
    const [owner, name] = (/^repo:([^/]+)\/([^:]+)/u.exec(this.subject)?.slice(1) ?? ['octo-org', 'identity']) as [
      string,
      string,
    ];
    const jwt = [
      b64url({ alg: 'RS256', typ: 'JWT', kid: randomBytes(8).toString('hex') }),
      b64url({
        jti: randomUUID(),
        sub: this.subject,
        aud: audience,
        iss: GITHUB_ISSUER,
        repository: `${owner}/${name}`,
        repository_owner: owner,
        runner_environment: 'github-hosted',
        nbf: now - 5,
        iat: now,
        exp: now + 300,
      }),
      randomBytes(64).toString('base64url'),
    ].join('.');
    this.oidcTokens.add(jwt);
    return { status: 200, body: { count: 1, value: jwt } };
  }

  /** Entra's token endpoint: client credentials with a federated client assertion (GitHub's OIDC token). */
  #entraToken(req: http.IncomingMessage, url: URL, text: string): Answer {
    const tenant = decodeURIComponent(url.pathname.split('/')[1] ?? '');
    const aadsts = (status: number, error: string, code: number, description: string): Answer => {
      const trace = randomUUID();
      const correlation = randomUUID();
      const timestamp = new Date()
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/u, 'Z');
      return {
        status,
        body: {
          error,
          error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
          error_codes: [code],
          timestamp,
          trace_id: trace,
          correlation_id: correlation,
          error_uri: `${this.baseUrl}/error?code=${code}`,
        },
      };
    };
    if (tenant !== this.tenantId && tenant.toLowerCase() !== this.tenantDomain.toLowerCase())
      return aadsts(
        400,
        'invalid_request',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      return aadsts(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'grant_type'.",
      );
    const form = new URLSearchParams(text);
    if (form.get('grant_type') !== 'client_credentials')
      return aadsts(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    if (form.get('client_id') !== this.clientId)
      return aadsts(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    const assertion = form.get('client_assertion') ?? '';
    if (form.get('client_assertion_type') !== ASSERTION_TYPE || !this.oidcTokens.has(assertion))
      return aadsts(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
    const payload = parseJson(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) ?? {};
    if (payload['aud'] !== ENTRA_AUDIENCE)
      return aadsts(
        401,
        'invalid_client',
        700212,
        `No matching federated identity record found for presented assertion audience '${String(payload['aud'])}'.`,
      );
    const sub = String(payload['sub']);
    if (!this.federatedSubjects.includes(sub))
      return aadsts(
        401,
        'invalid_client',
        700213,
        `No matching federated identity record found for presented assertion subject '${sub}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
      );
    if (form.get('scope') !== `${this.baseUrl}/.default`)
      return aadsts(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${form.get('scope') ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    const token = `eyJ0eXAiOiJKV1QifQ.${randomBytes(48).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
    this.graphTokens.add(token);
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token } };
  }

  /** The entries of a `{"value"|"credentials": [{key,value}]}` body, or the error to answer. */
  #entries(list: unknown): { entries: SecretEntry[] } | { answer: Answer } {
    if (!Array.isArray(list)) return { answer: graphError(400, 'BadRequest', 'The request body is not valid.') };
    const entries: SecretEntry[] = [];
    for (const item of list as Array<Record<string, unknown>>) {
      if (typeof item?.['key'] !== 'string' || typeof item['value'] !== 'string')
        return { answer: graphError(400, 'BadRequest', 'Each secret needs a key and a string value.') };
      if (!SYNCHRONIZATION_SECRET_KEYS.includes(item['key']))
        return { answer: graphError(500, 'InternalError', `Requested value '${item['key']}' was not found.`) };
      entries.push({ key: item['key'], value: item['value'] });
    }
    return { entries };
  }

  /** PUT …/secrets: a per-key upsert (keys not sent stay), 204. */
  #save(text: string): Answer {
    const parsed = this.#entries(parseJson(text)?.['value']);
    if ('answer' in parsed) return parsed.answer;
    for (const entry of parsed.entries) {
      const existing = this.secrets.find((s) => s.key === entry.key);
      if (existing) existing.value = entry.value;
      else this.secrets.push({ ...entry });
    }
    return { status: 204 };
  }

  /** POST …/validateCredentials: runs Entra's connection test on the saved or the given set; 204 when it passes. */
  async #validate(text: string): Promise<Answer> {
    const body = parseJson(text);
    if (typeof body?.['useSavedCredentials'] !== 'boolean')
      return graphError(400, 'BadRequest', 'useSavedCredentials is required.');
    const useSaved = body['useSavedCredentials'];
    let entries = this.secrets;
    if (!useSaved) {
      const parsed = this.#entries(body['credentials']);
      if ('answer' in parsed) return parsed.answer;
      entries = parsed.entries;
    }
    const credentials = credentialsOf(entries);
    const detail = await this.#connectionTest(entries, credentials);
    this.tests.push({ useSavedCredentials: useSaved, passed: detail === '', detail, clientId: credentials.clientId });
    return detail === '' ? { status: 204 } : testFailed(detail);
  }

  /** Entra's test on the wire: a token (HTTP Basic client auth), then the Users filter read. '' when it passes. */
  async #connectionTest(entries: SecretEntry[], credentials: SavedCredentials): Promise<string> {
    const secretToken = entries.find((e) => e.key === 'SecretToken')?.value;
    let bearer: string;
    if (credentials.clientId === '' && secretToken !== undefined) {
      bearer = secretToken;
    } else {
      if (!credentials.clientId || !credentials.clientSecret || !credentials.tokenUrl)
        return 'The client identifier, client secret and token endpoint are required.';
      const basic = Buffer.from(
        `${formEncode(credentials.clientId)}:${formEncode(credentials.clientSecret)}`,
        'utf8',
      ).toString('base64');
      const token = await this.#fetch(credentials.tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
      });
      const accessToken = parseJson(token.body)?.['access_token'];
      if (token.status !== 200 || typeof accessToken !== 'string')
        return `The token endpoint answered HTTP ${token.status}.`;
      bearer = accessToken;
    }
    if (!credentials.tenantUrl) return 'The tenant URL is required.';
    const filter = encodeURIComponent(`userName eq "${randomUUID()}"`);
    const users = await this.#fetch(`${credentials.tenantUrl.replace(/\/+$/u, '')}/Users?filter=${filter}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${bearer}`, accept: 'application/scim+json' },
    });
    const list = parseJson(users.body);
    if (users.status !== 200) return `The SCIM endpoint answered HTTP ${users.status}.`;
    if (list?.['totalResults'] !== 0) return 'The SCIM endpoint did not answer an empty list for an unknown user.';
    return '';
  }

  /** One request of the connection test (no redirects followed); status 0 when the connection failed. */
  #fetch(
    target: string,
    init: { method: string; headers: Record<string, string>; body?: string },
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(target);
      } catch {
        resolve({ status: 0, body: '' });
        return;
      }
      const request = (url.protocol === 'https:' ? https : http).request(
        url,
        {
          method: init.method,
          headers:
            init.body === undefined
              ? init.headers
              : { ...init.headers, 'content-length': Buffer.byteLength(init.body) },
          timeout: this.options.testTimeoutMs ?? 10_000,
          ...(url.protocol === 'https:' && this.options.ca ? { ca: this.options.ca } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', () => resolve({ status: 0, body: '' }));
        },
      );
      request.on('timeout', () => request.destroy());
      request.on('error', () => resolve({ status: 0, body: '' }));
      request.end(init.body);
    });
  }

  /** POST …/restart: `resetScope: QuarantineState` lifts the quarantine; 204. */
  #restart(job: SyncJob, text: string): Answer {
    const body = parseJson(text);
    this.restarts.push(body);
    const criteria = body?.['criteria'] as Record<string, unknown> | undefined;
    if (criteria?.['resetScope'] === 'QuarantineState' && job.status.code === 'Quarantine')
      job.status = { code: 'Active', quarantine: null };
    return { status: 204 };
  }
}

/** RFC 6749 Appendix B: application/x-www-form-urlencoded encoding of one value. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** The credentials a set of secrets holds, read through either key style ('' where missing). */
function credentialsOf(entries: SecretEntry[]): SavedCredentials {
  const value = (...keys: string[]): string =>
    keys.map((k) => entries.find((e) => e.key === k)?.value).find((v) => v !== undefined) ?? '';
  return {
    tenantUrl: value('BaseAddress'),
    tokenUrl: value('Oauth2TokenExchangeUri'),
    clientId: value('Oauth2ClientId', 'ClientIdentifier'),
    clientSecret: value('Oauth2ClientSecret', 'ClientSecret'),
  };
}

/**
 * Seeds a working registration on `platform` and starts a Microsoft simulator
 * whose app holds it (the platform's tenant URL and token endpoint), as a person
 * would have pasted it in the portal; `options` on top.
 */
export async function startWithPlatform(
  platform: PlatformSimulator,
  options: MicrosoftOptions = {},
): Promise<{ ms: MicrosoftSimulator; previous: RegistrationRecord }> {
  const previous = platform.seedRegistration({ name: 'pasted by a person' });
  const ms = await MicrosoftSimulator.start({
    saved: {
      tenantUrl: `${platform.baseUrl}/api/scim/v2`,
      tokenUrl: `${platform.baseUrl}/oauth/token?audience=${platform.baseUrl}/api`,
      clientId: previous.clientId,
      clientSecret: previous.clientSecret,
    },
    ...options,
  });
  return { ms, previous };
}
