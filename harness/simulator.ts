/**
 * A local Invicti Platform simulator: a real HTTP(S) server on 127.0.0.1
 * (random port) speaking the four identity/OAuth calls of the setup guide and
 * the SCIM reads (ServiceProviderConfig; /Users and /Groups lists with
 * `filter`, `count`, `startIndex`, `excludedAttributes`), with their documented status codes,
 * accepting a user's API key (`X-Auth`) on the identity routes but not on the
 * login route (which takes email and password only), a token route taking the
 * client's id and secret in the form body or in HTTP Basic (RFC 6749 §2.3.1, as
 * Microsoft Entra ID's connection test sends them),
 * content types and error bodies, keeping state for tests to assert on, and
 * injecting faults per route. Used by the tests, the demo and the benchmark.
 * Written in erasable TypeScript so Node 24 runs it without a build step.
 */
import { FaultQueue } from './faults.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

export const PLATFORM_API_ID = '00000000-0000-0000-0000-000000000001';
export const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/**
 * The routes faults can target, in the order a provision run with scim-check
 * calls them: `scim` is GET /ServiceProviderConfig, `users` and `groups` the
 * SCIM list reads (GET /Users, GET /Groups, with their queries).
 */
export type Route = 'login' | 'create' | 'authorize' | 'token' | 'scim' | 'users' | 'groups';
export const ROUTES: readonly Route[] = ['login', 'create', 'authorize', 'token', 'scim', 'users', 'groups'];

/** A SCIM user the simulated platform has (RFC 7643 §4.1, the attributes the list shows). */
export interface ScimUser {
  id: string;
  userName: string;
  externalId?: string;
  active: boolean;
}

/** A SCIM group (a platform team; RFC 7643 §4.2). */
export interface ScimGroup {
  id: string;
  displayName: string;
  members: Array<{ value: string }>;
}

/**
 * A fault for one route. Applied to the next `times` requests of that route
 * (default: every request). Without `act`, the server does not act (no state
 * change) and answers with the fault; with `act`, it acts first.
 */
export interface Fault {
  /** Requests it applies to; default Infinity. */
  times?: number;
  /** Wait this long (ms) before anything else. */
  delayMs?: number;
  /** Destroy the connection: `before` acting, or `after` acting (no response either way). */
  reset?: 'before' | 'after';
  /** Answer 307 with this Location. */
  redirect?: string;
  /** Answer with this status (default 500 when `body` or `contentType` is set). */
  status?: number;
  /** The answer's body; bytes as given (e.g. with a byte-order mark). */
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** Act (change state) before answering with the fault. */
  act?: boolean;
  /** With `act`: change the real JSON answer before sending it. */
  mutate?: (body: Record<string, unknown>) => unknown;
  /** With `act`: send only the first N bytes of the real answer (truncated JSON). */
  truncate?: number;
  /** With `act`: announce the whole answer's length, send half of it, then close the connection. */
  cutBody?: boolean;
  /** With `act`: send the real answer under this Content-Type instead of its own (e.g. `text/plain`). */
  relabel?: string;
  /** With `act`: put a UTF-8 byte-order mark (EF BB BF) before the real answer. */
  bom?: boolean;
  /** Compress the answer (the real one or the fault's body) and label it with this Content-Encoding. */
  encoding?: 'gzip' | 'deflate' | 'br';
  /**
   * After answering, the connection goes silently dead, as when a NAT or load
   * balancer forgets an idle connection: the next request on it is reset
   * (TCP RST) without a byte of response and without being acted on.
   */
  staleAfter?: boolean;
  /**
   * After answering (keep-alive announced), the server closes the connection at
   * once (FIN), as some load balancers do: the next request must go on a new one.
   */
  closeAfter?: boolean;
}

export interface User {
  email: string;
  password: string;
  role: 'Owner' | 'Member';
  /**
   * Organizations the user belongs to; the first is where a login without
   * `organizationId` lands. Default: one, {@link DEFAULT_ORGANIZATION}.
   */
  organizations?: string[];
  /** The user's personal API key (User settings → API key), sent as `X-Auth`; none when unset. */
  apiKey?: string;
}

/** The organization of users that name none. */
export const DEFAULT_ORGANIZATION = 'org-default';

export interface RegistrationRecord {
  id: string;
  name: string;
  description: string;
  clientId: string;
  clientSecret: string;
  authorized: boolean;
  /** The organization it was created in (the login's). */
  organizationId: string;
  /** Its tokens may use SCIM /Users and /Groups (default true); false answers those 403. */
  scimAllowed?: boolean;
}

export interface RequestRecord {
  route: Route | 'unknown';
  method: string;
  /** Path and query as received. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Status sent, or 0 when the connection was reset. */
  status: number;
}

export interface SimulatorOptions {
  /**
   * Serve HTTPS with this key and certificate (PEM); `ciphers` is OpenSSL's
   * list (`DEFAULT:@SECLEVEL=0` serves a key Node's clients refuse as too weak);
   * `maxVersion` `TLSv1.2` keeps every record after the handshake an answer
   * (for a middlebox in a test to break one).
   */
  tls?: { key: string; cert: string; ciphers?: string; maxVersion?: 'TLSv1.2' | 'TLSv1.3' };
  /** Path prefix of an on-premises install, e.g. `/invicti`. */
  prefix?: string;
  /** Users; default: one Owner and one Member (see DEFAULT_USERS). */
  users?: User[];
  /** Makes client secrets; default: 32 random bytes, base64url. */
  secretFactory?: () => string;
  /** Makes registration ids; default a random UUID (as documented). */
  idFactory?: () => string;
  /** Token lifetime in seconds; default 3600. */
  expiresIn?: number;
  /** Host name used in baseUrl; default: the listen address (`[::1]` for `::1`). */
  host?: string;
  /**
   * The token audience the token route accepts (an installation whose API
   * identifier differs from the URL the runner reaches); default `<baseUrl>/api`.
   */
  audience?: string;
  /** Whether the identity routes (create, authorize) accept API keys in `X-Auth`; default true. */
  apiKeys?: boolean;
  /**
   * Serve ServiceProviderConfig without checking the bearer token, as RFC 7644 §4
   * allows for discovery endpoints (Users and Groups still check it).
   */
  discoveryWithoutToken?: boolean;
  /** A broken SCIM server: `/Users` answers every user whatever the filter. */
  ignoreFilter?: boolean;
  /** Address to listen on; default 127.0.0.1 (`::1` for IPv6 loopback). */
  listen?: string;
}

/** API keys are JWTs (the platform's page "Authenticate"); these only look like one. */
export const OWNER: User = {
  email: 'owner@example.com',
  password: 'correct horse battery staple',
  role: 'Owner',
  apiKey: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJvd25lckBleGFtcGxlLmNvbSJ9.b3duZXIta2V5LXNpZ25hdHVyZQ',
};
export const MEMBER: User = {
  email: 'member@example.com',
  password: 'member password 1',
  role: 'Member',
  apiKey: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtZW1iZXJAZXhhbXBsZS5jb20ifQ.bWVtYmVyLWtleS1zaWduYXR1cmU',
};
export const DEFAULT_USERS: readonly User[] = [OWNER, MEMBER];

interface Answer {
  status: number;
  body: unknown;
  contentType?: string;
}

export class PlatformSimulator {
  readonly server: http.Server;
  readonly options: SimulatorOptions;
  /** Base URL the action should use (`http(s)://127.0.0.1:<port><prefix>`). */
  baseUrl = '';
  readonly users: User[];
  readonly registrations = new Map<string, RegistrationRecord>();
  readonly loginTokens = new Map<string, User>();
  /** The organization each login token was issued for. */
  readonly loginOrganizations = new Map<string, string>();
  readonly accessTokens = new Map<string, string>();
  readonly requests: RequestRecord[] = [];
  /** SCIM users: one per platform user (userName = email); the check must never change them. */
  readonly scimUsers: ScimUser[];
  /** SCIM groups (teams). */
  readonly scimGroups: ScimGroup[];
  /** TCP connections accepted. */
  connections = 0;
  readonly #faults = new FaultQueue<Route, Fault>();
  readonly #sockets = new Set<Socket>();
  /** Connections a `staleAfter` fault killed silently. */
  readonly #stale = new WeakSet<Socket>();

  private constructor(options: SimulatorOptions) {
    this.options = options;
    // Copies: regenerating a key must not change the exported users.
    this.users = (options.users ?? DEFAULT_USERS).map((user) => ({ ...user }));
    this.scimUsers = this.users.map((u) => ({
      id: randomUUID(),
      userName: u.email,
      externalId: `ext-${u.email}`,
      active: true,
    }));
    this.scimGroups = [
      { id: randomUUID(), displayName: 'Security', members: this.scimUsers.map((u) => ({ value: u.id })) },
      { id: randomUUID(), displayName: 'Developers', members: [] },
    ];
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      this.#handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    };
    this.server = options.tls
      ? https.createServer(
          {
            key: options.tls.key,
            cert: options.tls.cert,
            ...(options.tls.ciphers ? { ciphers: options.tls.ciphers } : {}),
            ...(options.tls.maxVersion ? { maxVersion: options.tls.maxVersion } : {}),
          },
          handler,
        )
      : http.createServer(handler);
    this.server.on('connection', (socket: Socket) => {
      this.connections += 1;
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  /** Starts a simulator on 127.0.0.1 (or `options.listen`), a random port. */
  static async start(options: SimulatorOptions = {}): Promise<PlatformSimulator> {
    const sim = new PlatformSimulator(options);
    const address = options.listen ?? '127.0.0.1';
    await new Promise<void>((resolve) => sim.server.listen(0, address, resolve));
    const { port } = sim.server.address() as AddressInfo;
    const host = options.host ?? (address.includes(':') ? `[${address}]` : address);
    sim.baseUrl = `${options.tls ? 'https' : 'http'}://${host}:${port}${options.prefix ?? ''}`;
    return sim;
  }

  /** Adds a fault to a route (faults of a route apply in the order added). */
  fault(route: Route, fault: Fault): this {
    this.#faults.add(route, fault);
    return this;
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /**
   * Adds a registration as `provision` would leave it (authorized unless said
   * otherwise), for `token` mode runs; returns it.
   */
  seedRegistration(overrides: Partial<RegistrationRecord> = {}): RegistrationRecord {
    const record: RegistrationRecord = {
      id: randomUUID(),
      name: 'seeded',
      description: '',
      clientId: `m2m-${randomBytes(8).toString('hex')}`,
      clientSecret: randomBytes(32).toString('base64url'),
      authorized: true,
      organizationId: DEFAULT_ORGANIZATION,
      ...overrides,
    };
    this.registrations.set(record.id, record);
    return record;
  }

  /**
   * Regenerates (or, with `remove`, deletes) a user's API key as User settings
   * → API key does: the old key is refused from now on. Returns the new key ('' when deleted).
   */
  regenerateApiKey(email: string, remove = false): string {
    const user = this.users.find((u) => u.email === email);
    if (!user) throw new Error(`no simulated user ${email}`);
    user.apiKey = remove
      ? undefined
      : `eyJhbGciOiJIUzI1NiJ9.${randomBytes(24).toString('base64url')}.${randomBytes(16).toString('base64url')}`;
    return user.apiKey ?? '';
  }

  /** Requests received on a route. */
  requestsTo(route: Route): RequestRecord[] {
    return this.requests.filter((r) => r.route === route);
  }

  /** Resets state and counters; users get their starting API keys back. */
  reset(): void {
    this.users.splice(0, this.users.length, ...(this.options.users ?? DEFAULT_USERS).map((user) => ({ ...user })));
    this.registrations.clear();
    this.loginTokens.clear();
    this.loginOrganizations.clear();
    this.accessTokens.clear();
    this.requests.length = 0;
    this.connections = 0;
    this.clearFaults();
  }

  async close(): Promise<void> {
    await closeServer(this.server, this.#sockets);
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { body, url } = await readRequest(req);
    const route = this.#route(req.method ?? '', url.pathname);
    const record: RequestRecord = requestRecord(req, route, body);
    this.requests.push(record);
    if (this.#stale.has(req.socket)) {
      req.socket.resetAndDestroy();
      return;
    }

    const fault = route === 'unknown' ? undefined : this.#takeFault(route);
    if (fault?.staleAfter) res.on('finish', () => this.#stale.add(req.socket));
    // The FIN follows the answer in the same tick ('prefinish' comes from within res.end()).
    if (fault?.closeAfter) res.on('prefinish', () => req.socket.end());
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.reset === 'before') {
      req.socket.destroy();
      return;
    }
    if (fault?.redirect) {
      record.status = 307;
      res.writeHead(307, { location: fault.redirect, 'content-type': 'text/plain' }).end('Temporary Redirect');
      return;
    }
    const faultAnswers =
      fault && (fault.status !== undefined || fault.body !== undefined || fault.contentType !== undefined);
    if (fault && faultAnswers && !fault.act) {
      this.#sendFault(res, record, fault);
      return;
    }
    const answer = route === 'unknown' ? this.#notFound() : this.#act(route, req, url, body);
    if (fault?.reset === 'after') {
      req.socket.destroy();
      return;
    }
    if (fault && faultAnswers) {
      this.#sendFault(res, record, fault);
      return;
    }
    let text = JSON.stringify(fault?.mutate ? fault.mutate(answer.body as Record<string, unknown>) : answer.body);
    if (fault?.truncate !== undefined) text = text.slice(0, fault.truncate);
    record.status = answer.status;
    if (fault?.cutBody) {
      res.writeHead(answer.status, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(text)),
      });
      res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.destroy());
      return;
    }
    const encoded = encode(
      fault?.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) : text,
      fault?.encoding,
    );
    res.writeHead(answer.status, {
      'content-type': fault?.relabel ?? answer.contentType ?? 'application/json; charset=utf-8',
      ...encoded.headers,
      ...(fault?.headers ?? {}),
    });
    res.end(encoded.body);
  }

  #sendFault(res: http.ServerResponse, record: RequestRecord, fault: Fault): void {
    const status = fault.status ?? 500;
    record.status = status;
    const encoded = encode(fault.body ?? '', fault.encoding);
    res.writeHead(status, {
      'content-type': fault.contentType ?? 'application/json; charset=utf-8',
      ...encoded.headers,
      ...(fault.headers ?? {}),
    });
    res.end(encoded.body);
  }

  #takeFault(route: Route): Fault | undefined {
    return this.#faults.take(route);
  }

  #route(method: string, pathname: string): Route | 'unknown' {
    const prefix = this.options.prefix ?? '';
    if (!pathname.startsWith(prefix)) return 'unknown';
    const path = pathname.slice(prefix.length);
    if (method === 'POST' && path === '/api/identity/v1/userCredentials/login') return 'login';
    if (method === 'POST' && path === '/api/identity/v1/clients') return 'create';
    if (method === 'POST' && /^\/api\/identity\/v1\/apis\/[^/]+\/clients$/u.test(path)) return 'authorize';
    if (method === 'POST' && path === '/oauth/token') return 'token';
    if (method === 'GET' && path === '/api/scim/v2/ServiceProviderConfig') return 'scim';
    if (method === 'GET' && path === '/api/scim/v2/Users') return 'users';
    if (method === 'GET' && path === '/api/scim/v2/Groups') return 'groups';
    return 'unknown';
  }

  #notFound(): Answer {
    return { status: 404, body: { message: 'Resource not found.' } };
  }

  #act(route: Route, req: http.IncomingMessage, url: URL, body: string): Answer {
    switch (route) {
      case 'login':
        return this.#login(req, body);
      case 'create':
        return this.#create(req, url, body);
      case 'authorize':
        return this.#authorize(req, url, body);
      case 'token':
        return this.#token(req, url, body);
      case 'scim':
        return this.#scim(req);
      case 'users':
        return this.#users(req);
      case 'groups':
        return this.#groups(req);
    }
  }

  #json(req: http.IncomingMessage, body: string): { ok: true; value: unknown } | { ok: false; answer: Answer } {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return { ok: false, answer: { status: 415, body: { message: 'Content-Type must be application/json.' } } };
    }
    try {
      return { ok: true, value: JSON.parse(body) as unknown };
    } catch {
      return { ok: false, answer: { status: 400, body: { message: 'The request body is not valid JSON.' } } };
    }
  }

  /** The Owner a create/authorize request authenticates as: an API key in `X-Auth` (when accepted), or a login token. */
  #owner(req: http.IncomingMessage): { user: User } | { answer: Answer } {
    const auth = req.headers.authorization ?? '';
    const key = req.headers['x-auth'];
    const byKey = typeof key === 'string' && key !== '' && this.options.apiKeys !== false;
    const user = byKey
      ? this.users.find((u) => u.apiKey !== undefined && u.apiKey === key)
      : auth.startsWith('Bearer ')
        ? this.loginTokens.get(auth.slice(7))
        : undefined;
    if (!user)
      return {
        answer: { status: 401, body: { message: 'Unauthorized: the access token is missing, invalid or expired.' } },
      };
    if (user.role !== 'Owner')
      return { answer: { status: 403, body: { message: 'Forbidden: this operation requires the Owner role.' } } };
    return { user };
  }

  /** Step 1: email and password only; an `X-Auth` API key is not a way to log in (ignored here). */
  #login(req: http.IncomingMessage, text: string): Answer {
    const parsed = this.#json(req, text);
    if (!parsed.ok) return parsed.answer;
    const body = parsed.value as { emailAddress?: unknown; password?: unknown; organizationId?: unknown };
    if (typeof body?.emailAddress !== 'string' || typeof body.password !== 'string') {
      return { status: 400, body: { message: 'emailAddress and password are required.' } };
    }
    if (body.organizationId !== undefined && typeof body.organizationId !== 'string') {
      return { status: 400, body: { message: 'organizationId must be a string.' } };
    }
    const user = this.users.find((u) => u.email.toLowerCase() === String(body.emailAddress).toLowerCase());
    if (!user || user.password !== body.password)
      return { status: 401, body: { message: 'Invalid email address or password.' } };
    // The overview page's example sends "organizationId": "" for "the default".
    const organizations = user.organizations ?? [DEFAULT_ORGANIZATION];
    const organization = body.organizationId || organizations[0] || DEFAULT_ORGANIZATION;
    // Not documented: the likeliest answer for an organization the user is not in (as for a bad password).
    if (!organizations.includes(organization))
      return { status: 401, body: { message: 'The user is not a member of this organization.' } };
    const accessToken = `login.${randomBytes(24).toString('base64url')}`;
    this.loginTokens.set(accessToken, user);
    this.loginOrganizations.set(accessToken, organization);
    return { status: 200, body: { accessToken } };
  }

  #create(req: http.IncomingMessage, url: URL, text: string): Answer {
    const who = this.#owner(req);
    if ('answer' in who) return who.answer;
    const parsed = this.#json(req, text);
    if (!parsed.ok) return parsed.answer;
    const body = parsed.value as Record<string, unknown>;
    if (typeof body?.name !== 'string' || body.name.trim() === '')
      return { status: 400, body: { message: 'name is required.' } };
    if (body.clientType !== 'machineToMachine' || body.grantTypeClientCredentials !== true) {
      return { status: 400, body: { message: 'clientType must be machineToMachine with grantTypeClientCredentials.' } };
    }
    const record: RegistrationRecord = {
      id: this.options.idFactory ? this.options.idFactory() : randomUUID(),
      name: body.name,
      description: typeof body.description === 'string' ? body.description : '',
      clientId: `m2m-${randomBytes(8).toString('hex')}`,
      clientSecret: this.options.secretFactory ? this.options.secretFactory() : randomBytes(32).toString('base64url'),
      authorized: false,
      // An API key is not tied to a login's organization: assumed (not documented) to act in its user's first one.
      organizationId:
        this.loginOrganizations.get((req.headers.authorization ?? '').slice(7)) ??
        who.user.organizations?.[0] ??
        DEFAULT_ORGANIZATION,
    };
    this.registrations.set(record.id, record);
    const expand = url.searchParams.get('expand') === 'credentials';
    return {
      status: 201,
      body: {
        clientId: record.id,
        name: record.name,
        description: record.description,
        enabled: body.enabled === true,
        clientType: 'machineToMachine',
        jwtSigningAlgorithm: body.jwtSigningAlgorithm ?? 'rs256',
        refreshTokenRotation: body.refreshTokenRotation ?? false,
        grantTypeClientCredentials: true,
        credentials: expand ? { clientId: record.clientId, clientSecret: record.clientSecret } : null,
      },
    };
  }

  #authorize(req: http.IncomingMessage, url: URL, text: string): Answer {
    const apiId = url.pathname.split('/').at(-2);
    if (apiId !== PLATFORM_API_ID) return { status: 404, body: { message: `API ${apiId} not found.` } };
    const who = this.#owner(req);
    if ('answer' in who) return who.answer;
    const parsed = this.#json(req, text);
    if (!parsed.ok) return parsed.answer;
    const list = parsed.value;
    if (!Array.isArray(list) || list.length === 0)
      return { status: 400, body: { message: 'The body must be an array of { clientId }.' } };
    for (const item of list) {
      const id = (item as { clientId?: unknown })?.clientId;
      if (typeof id !== 'string' || !this.registrations.has(id)) {
        return { status: 404, body: { message: `Client ${String(id)} not found.` } };
      }
    }
    for (const item of list)
      (this.registrations.get((item as { clientId: string }).clientId) as RegistrationRecord).authorized = true;
    const authorized = [...this.registrations.values()]
      .filter((r) => r.authorized)
      .map((r) => ({ clientId: r.id, name: r.name }));
    return { status: 201, body: authorized };
  }

  #token(req: http.IncomingMessage, url: URL, text: string): Answer {
    const oauth = (status: number, error: string, description: string): Answer => ({
      status,
      body: { error, error_description: description },
    });
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return oauth(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded.');
    }
    const expected = this.options.audience ?? `${this.baseUrl}/api`;
    if (url.searchParams.get('audience') !== expected)
      return oauth(400, 'invalid_request', "Service not found: the audience is not this platform's API.");
    const form = new URLSearchParams(text);
    if (form.get('grant_type') !== 'client_credentials')
      return oauth(400, 'unsupported_grant_type', 'Only client_credentials is supported.');
    const client = clientAuthentication(req.headers.authorization, form);
    if ('error' in client) return oauth(client.status, client.error, client.description);
    const registration = [...this.registrations.values()].find((r) => r.clientId === client.id);
    if (!registration || registration.clientSecret !== client.secret) {
      return oauth(401, 'invalid_client', 'Client authentication failed.');
    }
    if (!registration.authorized) return oauth(403, 'access_denied', 'Client is not authorized to access this API.');
    const accessToken = `bearer.${randomBytes(32).toString('base64url')}`;
    this.accessTokens.set(accessToken, registration.clientId);
    return {
      status: 200,
      body: { access_token: accessToken, token_type: 'Bearer', expires_in: this.options.expiresIn ?? 3600, scope: '' },
    };
  }

  /** A SCIM error answer (RFC 7644 §3.12). */
  #scimError(status: number, detail: string, scimType?: string): Answer {
    return {
      status,
      contentType: 'application/scim+json',
      body: { schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail },
    };
  }

  /** The registration whose token the request carries, or the 401/403 SCIM error to answer. */
  #scimCaller(req: http.IncomingMessage, resources: boolean): { ok: true } | { ok: false; answer: Answer } {
    const auth = req.headers.authorization ?? '';
    const clientId = auth.startsWith('Bearer ') ? this.accessTokens.get(auth.slice(7)) : undefined;
    if (clientId === undefined)
      return {
        ok: false,
        answer: this.#scimError(401, 'Authentication failed: the bearer token is missing or invalid.'),
      };
    const registration = [...this.registrations.values()].find((r) => r.clientId === clientId);
    if (resources && registration?.scimAllowed === false) {
      return { ok: false, answer: this.#scimError(403, 'The client is not allowed to access SCIM resources.') };
    }
    return { ok: true };
  }

  /**
   * The query of a SCIM list read, decoded as RFC 3986 says (`%XX` only: a `+`
   * stays a `+`, as a strict server reads it); undefined when malformed.
   */
  #query(req: http.IncomingMessage): Map<string, string> | undefined {
    const raw = (req.url ?? '').split('?')[1] ?? '';
    const out = new Map<string, string>();
    try {
      for (const pair of raw.split('&').filter((p) => p !== '')) {
        const at = pair.indexOf('=');
        out.set(
          decodeURIComponent(at === -1 ? pair : pair.slice(0, at)),
          at === -1 ? '' : decodeURIComponent(pair.slice(at + 1)),
        );
      }
    } catch {
      return undefined;
    }
    return out;
  }

  /** `count` and `startIndex` (RFC 7644 §3.4.2.4) applied to `all`, as a ListResponse. */
  #page(query: Map<string, string>, all: unknown[]): Answer {
    const startIndex = Math.max(1, Number.parseInt(query.get('startIndex') ?? '1', 10) || 1);
    const count = query.has('count') ? Math.max(0, Number.parseInt(query.get('count') ?? '', 10) || 0) : all.length;
    const page = all.slice(startIndex - 1, startIndex - 1 + count);
    return {
      status: 200,
      contentType: 'application/scim+json',
      body: {
        schemas: [LIST_RESPONSE_SCHEMA],
        totalResults: all.length,
        itemsPerPage: page.length,
        startIndex,
        Resources: page,
      },
    };
  }

  /** GET /Users with an optional `filter` (`userName eq "…"` or `externalId eq "…"`, RFC 7644 §3.4.2.2). */
  #users(req: http.IncomingMessage): Answer {
    const caller = this.#scimCaller(req, true);
    if (!caller.ok) return caller.answer;
    const query = this.#query(req);
    if (!query) return this.#scimError(400, 'The query is not correctly percent-encoded.', 'invalidSyntax');
    let users = this.scimUsers;
    const filter = query.get('filter');
    if (filter !== undefined) {
      const match = /^(userName|externalId) eq ("(?:[^"\\]|\\.)*")$/iu.exec(filter);
      if (!match) return this.#scimError(400, `The filter is not supported: ${filter}`, 'invalidFilter');
      const attribute = (match[1] ?? '').toLowerCase();
      const value = JSON.parse(match[2] ?? '""') as string;
      // userName is not case-exact (RFC 7643 §4.1.1); externalId is.
      if (!this.options.ignoreFilter) {
        users = users.filter((u) =>
          attribute === 'username' ? u.userName.toLowerCase() === value.toLowerCase() : u.externalId === value,
        );
      }
    }
    return this.#page(
      query,
      users.map((u) => ({ schemas: [USER_SCHEMA], ...u, meta: { resourceType: 'User' } })),
    );
  }

  /** GET /Groups, with `excludedAttributes=members` honoured (RFC 7644 §3.9). */
  #groups(req: http.IncomingMessage): Answer {
    const caller = this.#scimCaller(req, true);
    if (!caller.ok) return caller.answer;
    const query = this.#query(req);
    if (!query) return this.#scimError(400, 'The query is not correctly percent-encoded.', 'invalidSyntax');
    const excluded = (query.get('excludedAttributes') ?? '').split(',').map((a) => a.trim().toLowerCase());
    return this.#page(
      query,
      this.scimGroups.map((g) => ({
        schemas: [GROUP_SCHEMA],
        id: g.id,
        displayName: g.displayName,
        ...(excluded.includes('members') ? {} : { members: g.members }),
        meta: { resourceType: 'Group' },
      })),
    );
  }

  #scim(req: http.IncomingMessage): Answer {
    if (!this.options.discoveryWithoutToken) {
      const caller = this.#scimCaller(req, false);
      if (!caller.ok) return caller.answer;
    }
    return {
      status: 200,
      contentType: 'application/scim+json',
      body: {
        schemas: [SPC_SCHEMA],
        patch: { supported: true },
        bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
        filter: { supported: true, maxResults: 200 },
        changePassword: { supported: false },
        sort: { supported: true },
        etag: { supported: false },
        authenticationSchemes: [
          {
            type: 'oauthbearertoken',
            name: 'OAuth Bearer Token',
            description: 'Client credentials bearer token',
            primary: true,
          },
        ],
        meta: { resourceType: 'ServiceProviderConfig', location: '/api/scim/v2/ServiceProviderConfig' },
      },
    };
  }
}

/** A request's whole body (UTF-8) and its URL (path and query; the host is a placeholder). */
export async function readRequest(req: http.IncomingMessage): Promise<{ body: string; url: URL }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return { body: Buffer.concat(chunks).toString('utf8'), url: new URL(req.url ?? '/', 'http://sim.invalid') };
}

/** The log entry of a request on `route`, not yet answered (status 0). */
export function requestRecord<R extends string>(
  req: http.IncomingMessage,
  route: R,
  body: string,
): { route: R; method: string; url: string; headers: http.IncomingHttpHeaders; body: string; status: number } {
  return { route, method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, status: 0 };
}

/** Closes `server` at once: its open connections (`sockets`, kept by the caller) are destroyed first. */
export async function closeServer(server: http.Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * The client's id and secret: from an HTTP Basic `Authorization` header (RFC
 * 6749 §2.3.1: each form-urlencoded, joined with `:`, base64) or from the form
 * body (`client_id`, `client_secret`); using both is an error (one method only,
 * §2.3), as is a Basic header that does not decode.
 */
function clientAuthentication(
  authorization: string | undefined,
  form: URLSearchParams,
): { id: string | null; secret: string | null } | { status: number; error: string; description: string } {
  if (!authorization?.toLowerCase().startsWith('basic ')) {
    return { id: form.get('client_id'), secret: form.get('client_secret') };
  }
  if (form.has('client_secret'))
    return { status: 400, error: 'invalid_request', description: 'Use only one client authentication method.' };
  const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const formDecode = (value: string): string => decodeURIComponent(value.replace(/\+/gu, ' '));
  try {
    if (colon < 0) throw new Error('no colon');
    const id = formDecode(decoded.slice(0, colon));
    if (form.has('client_id') && form.get('client_id') !== id)
      return { status: 400, error: 'invalid_request', description: 'client_id does not match the Basic credentials.' };
    return { id, secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return { status: 401, error: 'invalid_client', description: 'Client authentication failed.' };
  }
}

/** `text` compressed with `encoding` and its Content-Encoding header (as is without an encoding). */
function encode(
  text: string | Buffer,
  encoding: Fault['encoding'],
): { body: string | Buffer; headers: Record<string, string> } {
  if (encoding === undefined) return { body: text, headers: {} };
  const compress = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync }[encoding];
  return {
    body: compress(typeof text === 'string' ? Buffer.from(text, 'utf8') : text),
    headers: { 'content-encoding': encoding },
  };
}
