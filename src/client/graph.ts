/**
 * Microsoft Graph's synchronization calls for one enterprise application
 * (`<entra-graph-url>/v1.0/servicePrincipals/<id>/synchronization/…`): list its jobs, read and
 * save its provisioning keys (`secrets`), ask Entra to test credentials (`validateCredentials`)
 * and lift a quarantine (`restart` with `QuarantineState`). The facts and their sources are in
 * `docs/entra-graph-api.md`; key names are never invented: the hand-off writes only the names
 * the app already holds.
 */
import { ActionError, sanitize, type EntraStep } from '../errors.ts';
import { field, isServerSecret, shapeError } from './answer.ts';
import type { ApiCore, Service, ServiceError } from './request.ts';

/** One saved provisioning key, as `GET …/secrets` lists it (secret values come back as `*` [3P]). */
export interface SyncSecret {
  key: string;
  value: string;
}

/** The value Graph shows in place of a secret's value [3P]. */
export const HIDDEN = '*';

/** Client-id key names, in the order they are preferred (`Oauth2ClientId` [3P: the form's], `ClientIdentifier` [MS enumeration]). */
export const CLIENT_ID_KEYS = ['Oauth2ClientId', 'ClientIdentifier'] as const;
/** Client-secret key names, likewise. */
export const CLIENT_SECRET_KEYS = ['Oauth2ClientSecret', 'ClientSecret'] as const;
/** The Token Endpoint key [3P]. */
export const TOKEN_URL_KEY = 'Oauth2TokenExchangeUri';
/** The Tenant URL key [MS]. */
export const BASE_ADDRESS_KEY = 'BaseAddress';
/** The long-lived bearer token key of the "secret token" method [MS]. */
export const SECRET_TOKEN_KEY = 'SecretToken';
/**
 * A key whose value is a secret, by its name in any case (`…Secret…`, `…Token`, `…Password`,
 * `…Key`: `Oauth2ClientSecret`, `SecretToken`, `AppKey`, `ConsumerSecret`, …): its value is
 * masked when Graph ever shows one in clear.
 */
export function isSecretKey(key: string): boolean {
  return /secret|password|(?:token|key|pwd)$/iu.test(key);
}

/**
 * The shortest clear value of a secret key that is masked, in characters: 16. Graph chooses
 * these values, so a short one (`Entra`, `Fix:`) would let it erase the action's own words
 * from every later line; a real client secret or token is longer.
 */
export const MIN_MASKED_KEY_VALUE = 16;

/** True when a secret key's clear value is masked on receipt: a well-formed secret of at least {@link MIN_MASKED_KEY_VALUE} characters. */
function isMaskedKeyValue(value: unknown): value is string {
  return isServerSecret(value) && value.length >= MIN_MASKED_KEY_VALUE;
}

/** The most keys a provisioning is read with: the client-credentials form saves about six. */
export const MAX_KEYS = 64;

/** A key name as Graph's enumeration spells them: a letter, then letters and digits, at most 64. */
const KEY_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/u;

/** A job id usable as one path segment: letters, digits, `.`, `_`, `-` (Graph's are like `scim.0a1b…`), at most 200. */
const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/u;

/** The steps that ask Entra to run its test connection. */
const TEST_STEPS: ReadonlySet<string> = new Set([
  'Entra test new credentials',
  'Entra test saved credentials',
  'Entra check',
]);

/**
 * True for a status Graph answers when Entra's test of the credentials itself failed (a 4xx other
 * than 401, 403, 404, 408 and 429, which refuse or throttle the call): the test's own result,
 * not Graph's trouble (5xx) nor a refusal of the call.
 */
export function isTestFailureStatus(status: number): boolean {
  return status >= 400 && status < 500 && ![401, 403, 404, 408, 429].includes(status);
}

/** The key names an app holds for the four fields of the client-credentials form (undefined = absent). */
export interface KeyNames {
  clientId: string | undefined;
  clientSecret: string | undefined;
  tokenUrl: string | undefined;
  baseAddress: string | undefined;
  /** The app holds a `SecretToken` key (the long-lived secret token method). */
  secretToken: boolean;
}

/** Which of the documented key names `secrets` holds (names compared case-sensitively, as Graph does [3P]). */
export function keyNamesOf(secrets: readonly SyncSecret[]): KeyNames {
  const has = (name: string): boolean => secrets.some((secret) => secret.key === name);
  return {
    clientId: CLIENT_ID_KEYS.find(has),
    clientSecret: CLIENT_SECRET_KEYS.find(has),
    tokenUrl: has(TOKEN_URL_KEY) ? TOKEN_URL_KEY : undefined,
    baseAddress: has(BASE_ADDRESS_KEY) ? BASE_ADDRESS_KEY : undefined,
    secretToken: has(SECRET_TOKEN_KEY),
  };
}

/** A provisioning job, as `GET …/jobs` lists it. */
export interface SyncJob {
  id: string;
  templateId: string | undefined;
  /** `status.code` (e.g. `Active`, `Paused`, `Quarantine`), sanitized. */
  statusCode: string | undefined;
  /** The job is in quarantine: `status.quarantine` is set, or `status.code` is `Quarantine` [MS]. */
  quarantined: boolean;
  /** `status.quarantine.reason` (e.g. `EncounteredQuarantineException`), sanitized. */
  quarantineReason: string | undefined;
}

/** True for a non-gallery SCIM app's job: `templateId` `scim`, or an id starting `scim.` [MS]. */
export function isScimJob(job: SyncJob): boolean {
  return job.templateId === 'scim' || job.id.startsWith('scim.');
}

/** What the Graph client needs besides its core. */
export interface GraphTarget {
  /** `entra-graph-url`, without trailing slash. */
  graphUrl: string;
  /** `entra-service-principal-id`: the enterprise application's Object ID. */
  servicePrincipalId: string;
  /** `entra-client-id`: the app registration that signs in (named in permission fixes). */
  clientId: string;
  /** The Graph token (masked). */
  accessToken: string;
}

/**
 * The fix for a Graph error status (`docs/entra-graph-api.md`, "Permissions"): 403 names both
 * permissions that allow the calls, 404 the Object ID to check.
 */
export function graphFix(step: EntraStep, status: number, error: ServiceError, target: GraphTarget): string {
  if (status === 401)
    return `Microsoft Graph refused the token of app registration ${target.clientId}; re-run the job, and check that entra-graph-url is the Graph host of the tenant's cloud`;
  if (status === 403) {
    return (
      `give app registration ${target.clientId} the Microsoft Graph application permission Application.ReadWrite.OwnedBy (with admin consent) ` +
      `and make it an owner of the Invicti enterprise application ${target.servicePrincipalId} (with Graph's add-owner call: the portal's Owners page adds users only; docs/entra-id.md), ` +
      'or give it Synchronization.ReadWrite.All (with admin consent)'
    );
  }
  if (status === 404 && (step === 'Entra find job' || step === 'Entra read keys' || step === 'Entra check')) {
    return (
      `check entra-service-principal-id (${target.servicePrincipalId}): it must be the Object ID of the Invicti enterprise application ` +
      "(Enterprise applications → the app → Overview → Object ID), not its Application ID or the app registration's Object ID"
    );
  }
  if (status === 404) return 'the provisioning job was not found; re-run the job (it may have been deleted meanwhile)';
  if (status === 429) return 'Microsoft Graph is throttling; wait a few minutes and re-run, or raise max-attempts';
  if (status >= 500) return 'Microsoft Graph had a server error; re-run the job later';
  if (isTestFailureStatus(status) && TEST_STEPS.has(step))
    return (
      "read Graph's message: Entra's provisioning service ran its test connection (a token from the Token Endpoint with " +
      "HTTP Basic client authentication, then a Users read at the Tenant URL) from Microsoft's cloud, and that test failed"
    );
  return `check entra-graph-url and entra-service-principal-id${error.code === undefined ? '' : ` (Graph's error code: ${error.code})`}`;
}

/** The Graph synchronization client of one enterprise application, over a core of the run. */
export class GraphClient {
  readonly #core: ApiCore;
  readonly #target: GraphTarget;

  /** @param core a request core of the run (its base URL is replaced by the Graph URL). */
  constructor(core: ApiCore, target: GraphTarget) {
    const service: Service = {
      name: 'Microsoft Graph',
      urlSetting: 'entra-graph-url',
      fixFor: (step, status, error) => graphFix(step as EntraStep, status, error, target),
      redirectFix:
        "set entra-graph-url to Microsoft Graph's own URL (https://graph.microsoft.com, or a national cloud's), not one that redirects",
    };
    this.#core = core.withBase(target.graphUrl, service);
    this.#target = target;
  }

  /** `/v1.0/servicePrincipals/<id>/synchronization` + `path`. */
  #path(path: string): string {
    return `/v1.0/servicePrincipals/${encodeURIComponent(this.#target.servicePrincipalId)}/synchronization${path}`;
  }

  #headers(json: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#target.accessToken}`,
      accept: 'application/json',
    };
    if (json) headers['content-type'] = 'application/json';
    return headers;
  }

  /** `GET …/jobs`. @throws ActionError (step `step`), also for a list it cannot read. */
  async listJobs(step: EntraStep = 'Entra find job'): Promise<SyncJob[]> {
    const response = await this.#core.send({
      step,
      method: 'GET',
      path: this.#path('/jobs'),
      headers: this.#headers(false),
      idempotent: true,
    });
    const value = field(this.#core.readJson(step, response), 'value');
    if (!Array.isArray(value)) throw this.#shape(step, response.status, 'value (the list of provisioning jobs)');
    const text = (raw: unknown): string | undefined =>
      typeof raw === 'string' && raw.trim() !== '' ? sanitize(this.#core.redact(raw), 100) : undefined;
    if (value.some((job) => typeof field(job, 'id') === 'string' && !JOB_ID.test(field(job, 'id') as string)))
      throw this.#shape(
        step,
        response.status,
        "value[].id (a job id of letters, digits, '.', '_' and '-', at most 200)",
      );
    return value.flatMap((job): SyncJob[] => {
      const id = field(job, 'id');
      if (typeof id !== 'string' || id === '') return [];
      const status = field(job, 'status');
      const quarantine = field(status, 'quarantine');
      const statusCode = text(field(status, 'code'));
      return [
        {
          id,
          templateId: text(field(job, 'templateId')),
          statusCode,
          quarantined: (typeof quarantine === 'object' && quarantine !== null) || statusCode === 'Quarantine',
          quarantineReason: text(field(quarantine, 'reason')),
        },
      ];
    });
  }

  /**
   * `GET …/secrets`: the saved keys. A secret key ({@link isSecretKey}) whose value is shown in
   * clear is masked on receipt when it is at least {@link MIN_MASKED_KEY_VALUE} characters long,
   * and otherwise read as hidden (`*`), so it is never sent back.
   * @throws ActionError (step `Entra read keys`), also for more than {@link MAX_KEYS} keys or a key
   * name outside Graph's spelling (a letter, then letters and digits), which is never sent back.
   */
  async readSecrets(): Promise<SyncSecret[]> {
    const step = 'Entra read keys';
    const response = await this.#core.send({
      step,
      method: 'GET',
      path: this.#path('/secrets'),
      headers: this.#headers(false),
      idempotent: true,
    });
    const body = this.#core.readJson(step, response, (json) => {
      const list = field(json, 'value');
      for (const item of Array.isArray(list) ? list : []) {
        const value = field(item, 'value');
        if (isSecretKey(String(field(item, 'key'))) && value !== HIDDEN && isMaskedKeyValue(value))
          this.#core.options.mask(value);
      }
    });
    const value = field(body, 'value');
    if (!Array.isArray(value)) throw this.#shape(step, response.status, 'value (the list of saved keys)');
    if (value.length > MAX_KEYS)
      throw this.#shape(
        step,
        response.status,
        `value (the list of saved keys): it lists ${value.length}, over ${MAX_KEYS}`,
      );
    if (value.some((item) => typeof field(item, 'key') === 'string' && !KEY_NAME.test(field(item, 'key') as string)))
      throw this.#shape(step, response.status, 'value[].key (a key name of letters and digits, at most 64)');
    return value.flatMap((item): SyncSecret[] => {
      const key = field(item, 'key');
      const saved = field(item, 'value');
      if (typeof key !== 'string' || key === '' || typeof saved !== 'string') return [];
      // A secret key's clear value that was not masked (too short, or not one line) is taken as hidden:
      // never sent back in a test or save, where an echo would show it.
      const unmasked = isSecretKey(key) && saved !== HIDDEN && !isMaskedKeyValue(saved);
      return [{ key, value: unmasked ? HIDDEN : saved }];
    });
  }

  /**
   * `POST …/jobs/<jobId>/validateCredentials`: Entra's "Test connection". With `credentials` it tests
   * those (`useSavedCredentials: false`), without them the saved ones. Resolves on 2xx (204).
   * @throws ActionError (step `step`): Graph's error code and message, quoted inert.
   */
  async validateCredentials(step: EntraStep, jobId: string, credentials?: readonly SyncSecret[]): Promise<void> {
    const body =
      credentials === undefined
        ? { useSavedCredentials: true }
        : { useSavedCredentials: false, credentials: credentials.map(({ key, value }) => ({ key, value })) };
    await this.#core.send({
      step,
      method: 'POST',
      path: this.#path(`/jobs/${encodeURIComponent(jobId)}/validateCredentials`),
      headers: this.#headers(true),
      body: JSON.stringify(body),
      // A test changes nothing: safe to send again.
      idempotent: true,
    });
  }

  /**
   * `PUT …/secrets` with `{"value": credentials}` (a per-key upsert [3P]). Never called with a `*`
   * value. Resolves on 2xx (204). `onAttempt` is told the number of each attempt before it is sent.
   * @throws ActionError (step `Entra save credentials`).
   */
  async saveSecrets(credentials: readonly SyncSecret[], onAttempt?: (attempt: number) => void): Promise<void> {
    if (credentials.some((secret) => secret.value === HIDDEN)) {
      throw new ActionError({
        step: 'Entra save credentials',
        reason: `a key's value is "${HIDDEN}" (Graph's stand-in for a hidden value), so nothing was saved`,
        fix: "report it to the action's maintainers with this log",
      });
    }
    await this.#core.send({
      step: 'Entra save credentials',
      method: 'PUT',
      path: this.#path('/secrets'),
      headers: this.#headers(true),
      body: JSON.stringify({ value: credentials.map(({ key, value }) => ({ key, value })) }),
      // PUT of the same set is idempotent (RFC 9110 §9.2.2).
      idempotent: true,
      onAttempt,
    });
  }

  /**
   * `POST …/jobs/<jobId>/restart` with `{"criteria":{"resetScope":"QuarantineState"}}`: lifts a
   * quarantine only (never an empty scope, which re-evaluates every user [MS]).
   * @throws ActionError (step `Entra lift quarantine`).
   */
  async liftQuarantine(jobId: string): Promise<void> {
    await this.#core.send({
      step: 'Entra lift quarantine',
      method: 'POST',
      path: this.#path(`/jobs/${encodeURIComponent(jobId)}/restart`),
      headers: this.#headers(true),
      body: JSON.stringify({ criteria: { resetScope: 'QuarantineState' } }),
      idempotent: true,
    });
  }

  #shape(step: EntraStep, status: number, name: string): ActionError {
    return shapeError(
      step,
      status,
      name,
      undefined,
      'check entra-graph-url: it must be Microsoft Graph, not a proxy or another service',
    );
  }
}
