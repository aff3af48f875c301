/**
 * The platform client: the four calls of the seed guide and the SCIM
 * ServiceProviderConfig read, each with its documented method, path, content
 * type and body (`../shared/docs/platform-api.md`), the retry policy of
 * `retry.ts`, response validation, and error mapping to {@link ActionError}.
 * Every secret it receives is masked before it is returned or validated further.
 */
import { ActionError, amendError, sanitize, type Step } from './errors.ts';
import { TransportError, type HttpResponse, type Transport } from './http.ts';
import type { Logger } from './log.ts';
import type { Mask } from './mask.ts';
import { backoffDelayMs, DEFAULT_BACKOFF, parseRetryAfter, RETRYABLE_STATUSES, type BackoffOptions } from './retry.ts';

/** The platform API's resource id for "authorize for the platform API" (seed step 3). */
export const PLATFORM_API_ID = '00000000-0000-0000-0000-000000000001';

/** The RFC 7643 §5 schema URN a ServiceProviderConfig must list. */
export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;
/**
 * A token an Authorization header can carry (Node refuses any other header
 * value): no line break or other control character, nothing beyond U+00FF, and
 * not blank or padded with spaces. Looser than RFC 6750's b64token on purpose.
 */
const BEARER_TOKEN = /^[\x21-\x7e\x80-\xff](?:[\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?$/u;
/** An OAuth client_id (RFC 6749 Appendix A.1, VSCHAR): printable ASCII, no line break; not padded with spaces. */
const OAUTH_CLIENT_ID = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/u;

/** Replaces registered secrets in server text by `***` (see {@link PlatformClientOptions.redact}). */
type Redact = (text: string) => string;

/** Collaborators and settings of a {@link PlatformClient}. */
export interface PlatformClientOptions {
  /** Base URL without trailing slash (inputs.ts `resolveBaseUrl`). */
  baseUrl: string;
  transport: Transport;
  /** Per-request limit in milliseconds. */
  timeoutMs: number;
  /** Attempts per call that may be retried (1 = none). */
  maxAttempts: number;
  /** Waits `ms` milliseconds; injected so tests never wait on real time. */
  sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1), for backoff jitter. */
  random: () => number;
  now: () => Date;
  log: Pick<Logger, 'info' | 'debug'>;
  mask: Mask;
  /**
   * Replaces registered secrets in server text by `***` before it is shortened
   * for an error message (a cut secret would no longer match its mask).
   * Default: no change.
   */
  redact?: Redact;
  backoff?: BackoffOptions;
}

/** Seed step 2's answer: the registration UUID and, with `?expand=credentials`, its OAuth credentials. */
export interface Registration {
  /** `clientId` of the response: the registration UUID (authorize uses it). */
  registrationId: string;
  /** `credentials`, or `null` when the platform did not return them. */
  credentials: { clientId: string; clientSecret: string } | null;
}

/** RFC 6749 §5.1 access token response, checked. */
export interface TokenResponse {
  accessToken: string;
  tokenType: string;
  /** Lifetime in seconds, when the server gave one. */
  expiresIn: number | undefined;
  /** `now` + `expiresIn`, ISO 8601 UTC, when `expiresIn` is known. */
  expiresAt: string | undefined;
}

/** What an RFC 7643 §5 ServiceProviderConfig says the server supports. */
export interface ScimFeatures {
  patch: boolean | undefined;
  bulk: boolean | undefined;
  filter: boolean | undefined;
  sort: boolean | undefined;
  etag: boolean | undefined;
  changePassword: boolean | undefined;
}

interface Call {
  step: Step;
  method: 'GET' | 'POST';
  /** Path and query, appended to the base URL. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** May be sent again after a failure where the server may have acted. */
  idempotent: boolean;
  /** For non-idempotent calls: what the server may have done when the outcome is unknown. */
  uncertainOutcome?: string;
}

/**
 * A create-registration failure where the platform did make the registration
 * (its UUID is known) but its answer cannot be used: carries the UUID (and the
 * OAuth client_id when known) so the run still sets them as outputs.
 */
export class UnusableRegistrationError extends ActionError {
  readonly registrationId: string;
  readonly clientId: string | undefined;
  constructor(cause: ActionError, registrationId: string, clientId: string | undefined) {
    super(cause);
    this.name = 'UnusableRegistrationError';
    this.registrationId = registrationId;
    this.clientId = clientId;
  }
}

/** One class per remote API: the platform's identity, OAuth and SCIM endpoints. */
export class PlatformClient {
  readonly #options: PlatformClientOptions;
  readonly #redact: Redact;

  constructor(options: PlatformClientOptions) {
    this.#options = options;
    this.#redact = options.redact ?? ((text) => text);
  }

  /** `<base-url>/api/scim/v2`: the SCIM base, Entra ID's "Tenant URL". */
  get scimUrl(): string {
    return `${this.#options.baseUrl}/api/scim/v2`;
  }

  /** The token endpoint with its `audience` (`<base-url>/api`), as the guide writes it (seed step 4). */
  get tokenUrl(): string {
    return `${this.#options.baseUrl}/oauth/token?audience=${encodeQueryValue(`${this.#options.baseUrl}/api`)}`;
  }

  /**
   * Seed step 1: logs in as the Owner. Returns `accessToken` (valid 1 hour), masked.
   * @throws ActionError (step `login`).
   */
  async login(emailAddress: string, password: string): Promise<string> {
    const response = await this.#send({
      step: 'login',
      method: 'POST',
      path: '/api/identity/v1/userCredentials/login',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ emailAddress, password }),
      idempotent: true,
    });
    const body = parseJson('login', response, this.#redact);
    const accessToken = field(body, 'accessToken');
    if (typeof accessToken === 'string' && accessToken !== '') this.#options.mask(accessToken);
    return requireToken('login', response.status, accessToken, 'accessToken');
  }

  /**
   * Seed step 2: creates a client registration with `?expand=credentials`.
   * Not idempotent: sent again only when the connection was never made.
   * The client secret is masked on receipt.
   * @throws ActionError (step `create registration`); {@link UnusableRegistrationError}
   * when the answer names a registration but its credentials are unusable. A
   * missing `credentials` is returned as `null` for the caller to report with the registration id.
   */
  async createRegistration(accessToken: string, name: string, description: string): Promise<Registration> {
    const response = await this.#send({
      step: 'create registration',
      method: 'POST',
      path: '/api/identity/v1/clients?expand=credentials',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({
        name,
        description,
        enabled: true,
        clientType: 'machineToMachine',
        jwtSigningAlgorithm: 'rs256',
        refreshTokenRotation: false,
        grantTypeClientCredentials: true,
      }),
      idempotent: false,
      uncertainOutcome: `the platform may have created a registration named "${name}" anyway`,
    });
    // A 2xx from create means the platform most likely made the registration:
    // every validation error below says so, by client-name or registration id.
    const lookFor = `look for the registration named "${name}" in the platform before re-running (re-running creates another)`;
    let body: unknown;
    try {
      body = parseJson('create registration', response, this.#redact);
    } catch (error) {
      throw amendError(error, `; a registration named "${name}" may have been created anyway`, () => lookFor);
    }
    const credentials = field(body, 'credentials');
    const secret = field(credentials, 'clientSecret');
    if (typeof secret === 'string' && secret !== '') this.#options.mask(secret);
    const registrationId = field(body, 'clientId');
    if (typeof registrationId !== 'string' || !UUID.test(registrationId)) {
      throw shapeError('create registration', response.status, 'clientId (the registration UUID)',
        `a registration named "${name}" may have been created`, lookFor);
    }
    if (credentials === null || credentials === undefined) return { registrationId, credentials: null };
    const unusable = `registration ${registrationId} ("${name}") was created but cannot be used`;
    const removeIt = `remove registration ${registrationId} in the platform, check that base-url points at the Invicti Platform and not at a proxy, then re-run`;
    const clientId = field(credentials, 'clientId');
    // It is logged and output: a line break in it would be read as a workflow command.
    if (typeof clientId !== 'string' || !OAUTH_CLIENT_ID.test(clientId)) {
      throw new UnusableRegistrationError(
        shapeError('create registration', response.status, 'credentials.clientId (a non-empty string of printable ASCII)', unusable, removeIt),
        registrationId,
        undefined,
      );
    }
    if (typeof secret !== 'string' || secret === '') {
      throw new UnusableRegistrationError(
        shapeError('create registration', response.status, 'credentials.clientSecret (a non-empty string)', unusable, removeIt),
        registrationId,
        clientId,
      );
    }
    return { registrationId, credentials: { clientId, clientSecret: secret } };
  }

  /**
   * Seed step 3: authorizes registration `registrationId` (the UUID, not
   * `credentials.clientId`) for the platform API. Idempotent.
   * @throws ActionError (step `authorize`).
   */
  async authorize(accessToken: string, registrationId: string): Promise<void> {
    const response = await this.#send({
      step: 'authorize',
      method: 'POST',
      path: `/api/identity/v1/apis/${PLATFORM_API_ID}/clients`,
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify([{ clientId: registrationId }]),
      idempotent: true,
    });
    // The documented answer is the array of registrations now authorized: a 2xx
    // from a proxy or login page must not pass for an authorization.
    const body = parseJson('authorize', response, this.#redact);
    if (!Array.isArray(body)) throw shapeError('authorize', response.status, 'list of authorized registrations (a JSON array)');
    // Elements are documented only as "registrations now authorized": accept the
    // UUID under any field name (clientId as in the request, or id).
    const listed = (item: unknown): boolean =>
      typeof item === 'object' && item !== null && Object.values(item).some((v) => typeof v === 'string' && v.toLowerCase() === registrationId.toLowerCase());
    if (!body.some(listed)) {
      throw new ActionError({
        step: 'authorize',
        status: response.status,
        reason: `the response does not list registration ${registrationId} among the authorized registrations`,
        fix: 'check that base-url points at the Invicti Platform and not at a proxy or another service',
      });
    }
  }

  /**
   * Seed step 4 / RFC 6749 §4.4: client-credentials grant. `access_token` is
   * masked on receipt; `expires_in` may be a number or a numeric string (seconds).
   * @throws ActionError (step `token`), mapping RFC 6749 §5.2 errors to fixes.
   */
  async requestToken(clientId: string, clientSecret: string): Promise<TokenResponse> {
    const response = await this.#send({
      step: 'token',
      method: 'POST',
      path: this.tokenUrl.slice(this.#options.baseUrl.length),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
      idempotent: true,
    });
    const body = parseJson('token', response, this.#redact);
    const accessToken = field(body, 'access_token');
    if (typeof accessToken === 'string' && accessToken !== '') this.#options.mask(accessToken);
    const checked = requireToken('token', response.status, accessToken, 'access_token');
    const tokenType = field(body, 'token_type');
    // Absent (or null) is allowed (RFC 6749 §5.1 says RECOMMENDED); present, it must be seconds.
    const rawExpiresIn = field(body, 'expires_in');
    const expiresIn = parseExpiresIn(rawExpiresIn);
    const expiry = expiresIn === undefined ? undefined : new Date(this.#options.now().getTime() + expiresIn * 1000);
    if ((rawExpiresIn !== undefined && rawExpiresIn !== null && expiresIn === undefined) || (expiry !== undefined && Number.isNaN(expiry.getTime()))) {
      throw shapeError('token', response.status, 'expires_in (a number of seconds, or a string of digits)');
    }
    return {
      accessToken: checked,
      // Shown in the log, the summary and the unmasked token-type output: a secret
      // echoed here is redacted before it is shortened.
      tokenType: typeof tokenType === 'string' ? sanitize(this.#redact(tokenType), 40) : '',
      expiresIn,
      expiresAt: expiry?.toISOString(),
    };
  }

  /**
   * RFC 7644 §4: reads `/api/scim/v2/ServiceProviderConfig` with a bearer token.
   * Passes when the status is 200 and `schemas` lists {@link SERVICE_PROVIDER_CONFIG_SCHEMA}.
   * @returns the features the server says it supports (RFC 7643 §5).
   * @throws ActionError (step `SCIM check`) with the SCIM error `detail` (RFC 7644 §3.12).
   */
  async readServiceProviderConfig(accessToken: string): Promise<ScimFeatures> {
    const response = await this.#send({
      step: 'SCIM check',
      method: 'GET',
      path: '/api/scim/v2/ServiceProviderConfig',
      headers: { accept: 'application/scim+json, application/json', authorization: `Bearer ${accessToken}` },
      idempotent: true,
    });
    const body = parseJson('SCIM check', response, this.#redact);
    const schemas = field(body, 'schemas');
    if (response.status !== 200 || !Array.isArray(schemas) || !schemas.includes(SERVICE_PROVIDER_CONFIG_SCHEMA)) {
      // A SCIM error body (RFC 7644 §3.12) on a 2xx is still the server's word: quote its `detail`.
      const { code, text } = platformErrorOf(response, this.#redact);
      const said = text === undefined ? '' : `; the platform answered "${text}"`;
      throw new ActionError({
        step: 'SCIM check',
        status: response.status,
        platformError: code,
        reason:
          response.status !== 200
            ? `expected HTTP 200 with a ServiceProviderConfig${said}`
            : `the response is not a ServiceProviderConfig (schemas does not list ${SERVICE_PROVIDER_CONFIG_SCHEMA})${said}`,
        fix: 'check base-url: it must be the platform URL that serves /api/scim/v2',
      });
    }
    const supported = (name: string): boolean | undefined => {
      const value = field(field(body, name), 'supported');
      return typeof value === 'boolean' ? value : undefined;
    };
    return {
      patch: supported('patch'),
      bulk: supported('bulk'),
      filter: supported('filter'),
      sort: supported('sort'),
      etag: supported('etag'),
      changePassword: supported('changePassword'),
    };
  }

  /** Sends one call with the retry policy; resolves with a 2xx response or throws ActionError. */
  async #send(call: Call): Promise<HttpResponse> {
    const { transport, timeoutMs, maxAttempts, random, now, log } = this.#options;
    const url = `${this.#options.baseUrl}${call.path}`;
    const pathOnly = new URL(url).pathname;
    for (let attempt = 1; ; attempt += 1) {
      const started = Date.now();
      let response: HttpResponse;
      try {
        response = await transport.send({ method: call.method, url, headers: call.headers, body: call.body }, timeoutMs);
      } catch (error) {
        const failure = error instanceof TransportError ? error : new TransportError('network', 'network error');
        log.debug(`${call.method} ${pathOnly} → ${failure.message} after ${Date.now() - started} ms`);
        // A certificate the runner does not trust stays untrusted: fail fast.
        const retryable = !isCertificateFailure(failure) && (call.idempotent || failure.kind === 'refused');
        if (retryable && attempt < maxAttempts) {
          await this.#wait(call, attempt, failure.message, backoffDelayMs(attempt, undefined, random, this.#backoff));
          continue;
        }
        throw transportError(call, failure, attempt, timeoutMs, new URL(url).host);
      }
      log.debug(`${call.method} ${pathOnly} → HTTP ${response.status} in ${Date.now() - started} ms`);
      if (response.status >= 200 && response.status < 300) return response;
      if (call.idempotent && RETRYABLE_STATUSES.has(response.status) && attempt < maxAttempts) {
        const retryAfter = parseRetryAfter(response.headers['retry-after'], now());
        const delay = backoffDelayMs(attempt, retryAfter, random, this.#backoff);
        await this.#wait(call, attempt, `HTTP ${response.status}${retryAfter === undefined ? '' : ' with Retry-After'}`, delay);
        continue;
      }
      throw httpError(call, url, response, attempt, this.#redact);
    }
  }

  get #backoff(): BackoffOptions {
    return this.#options.backoff ?? DEFAULT_BACKOFF;
  }

  async #wait(call: Call, attempt: number, reason: string, delayMs: number): Promise<void> {
    this.#options.log.info(
      `${call.step}: attempt ${attempt} of ${this.#options.maxAttempts} failed (${reason}); retrying in ${(delayMs / 1000).toFixed(1)} s`,
    );
    await this.#options.sleep(delayMs);
  }
}

/** True for TLS certificate and handshake failures: permanent, never worth another attempt. */
function isCertificateFailure(failure: TransportError): boolean {
  return failure.kind === 'network' && /CERT|SELF_SIGNED|UNABLE_TO_(?:VERIFY|GET)|^ERR_TLS|^ERR_SSL|HOSTNAME_MISMATCH/u.test(failure.code ?? '');
}

/** Encodes a query value as the guide writes it: reserved characters escaped except `:` and `/`. */
function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gu, ':').replace(/%2F/gu, '/');
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}

/** A token the server sent, usable in an Authorization header (checked after it was masked). */
function requireToken(step: Step, status: number, value: unknown, name: string): string {
  if (typeof value === 'string' && BEARER_TOKEN.test(value)) return value;
  throw shapeError(step, status, `${name} (a non-blank token without line breaks or control characters)`);
}

function shapeError(step: Step, status: number, name: string, extra?: string, fix?: string): ActionError {
  return new ActionError({
    step,
    status,
    reason: `the response has no valid ${name}${extra ? `; ${extra}` : ''}`,
    fix: fix ?? 'check that base-url points at the Invicti Platform and not at a proxy or another service',
  });
}

function parseExpiresIn(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.floor(value);
  if (typeof value === 'string' && /^\d+(\.\d+)?$/u.test(value.trim())) return Math.floor(Number(value));
  return undefined;
}

/**
 * The response's media type without parameters, lower case, as errors show it:
 * registered secrets are redacted before it is cut and lower-cased (a changed
 * secret would no longer match its mask); '' without a Content-Type.
 */
function contentTypeOf(response: HttpResponse, redact: Redact): string {
  const value = response.headers['content-type'];
  const raw = Array.isArray(value) ? value[0] : value;
  return raw === undefined ? '' : sanitize(redact(raw).split(';')[0] ?? '', 100).toLowerCase();
}

function isJsonType(type: string): boolean {
  return type === '' || type === 'application/json' || type.endsWith('+json');
}

/** Parses a 2xx body as JSON, or throws an error that says what the body was instead. */
function parseJson(step: Step, response: HttpResponse, redact: Redact): unknown {
  const type = contentTypeOf(response, redact);
  if (!isJsonType(type)) {
    throw new ActionError({
      step,
      status: response.status,
      reason: `the response is ${type} (${response.body.length} bytes), not JSON; a proxy, firewall or login page may have answered`,
      fix: 'check base-url and the runner\'s proxy settings (https_proxy, no_proxy)',
    });
  }
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    throw new ActionError({
      step,
      status: response.status,
      reason: `the response is not valid JSON (${response.body.length} bytes${response.body.length === 0 ? '' : ', truncated or malformed'})`,
      fix: 're-run the job; if it persists, check base-url and any proxy between the runner and the platform',
    });
  }
}

/**
 * The platform's error from a failed response, sanitized: OAuth `error` +
 * `error_description` (RFC 6749 §5.2), SCIM `scimType` + `detail`
 * (RFC 7644 §3.12), or the identity API's `code` + `message`.
 */
export function platformErrorOf(
  response: HttpResponse,
  redact: Redact = (text) => text,
): { code: string | undefined; text: string | undefined } {
  if (!isJsonType(contentTypeOf(response, redact))) return { code: undefined, text: undefined };
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return { code: undefined, text: undefined };
  }
  const str = (name: string): string | undefined => {
    const value = field(body, name);
    return typeof value === 'string' && value.trim() !== '' ? sanitize(redact(value), 200) : undefined;
  };
  const join = (a: string | undefined, b: string | undefined): string | undefined => (a && b ? `${a}: ${b}` : (a ?? b));
  const oauth = str('error');
  if (oauth !== undefined) return { code: oauth, text: join(oauth, str('error_description')) };
  const scimDetail = str('detail');
  if (scimDetail !== undefined) return { code: str('scimType'), text: join(str('scimType'), scimDetail) };
  const code = str('code') ?? str('errorCode');
  return { code, text: join(code, str('message') ?? str('title')) };
}

function describeResponse(response: HttpResponse, redact: Redact): { code: string | undefined; words: string } {
  const { code, text } = platformErrorOf(response, redact);
  if (text !== undefined) return { code, words: `the platform answered "${text}"` };
  const type = contentTypeOf(response, redact);
  if (!isJsonType(type)) return { code, words: `the response is ${type}, not the platform's JSON error (a proxy, firewall or wrong base-url may have answered)` };
  return { code, words: 'the response carries no error details' };
}

function httpError(call: Call, url: string, response: HttpResponse, attempts: number, redact: Redact): ActionError {
  const status = response.status;
  // 304 Not Modified is no redirect (and has no Location): reported as any other status.
  if (status >= 300 && status < 400 && status !== 304) {
    const location = response.headers['location'];
    const raw = Array.isArray(location) ? location[0] : location;
    let host = 'an unknown location';
    if (raw !== undefined) {
      try {
        // Redacted first: URL parsing lower-cases the host, and a changed secret escapes its mask.
        host = sanitize(new URL(redact(raw), url).host, 100) || 'a location without a host';
      } catch {
        host = 'an invalid location';
      }
    }
    return new ActionError({
      step: call.step,
      status,
      reason: `the platform redirected to ${host}; credentials are never sent to a redirect target`,
      fix: `set base-url to the platform's own URL (region us, eu or ca, or your on-premises URL), not one that redirects`,
    });
  }
  const { code, words } = describeResponse(response, redact);
  const after = attempts > 1 ? ` after ${attempts} attempts` : '';
  const uncertain = !call.idempotent && status >= 500 && call.uncertainOutcome ? `; ${call.uncertainOutcome}, so it was not sent again` : '';
  return new ActionError({
    step: call.step,
    status,
    platformError: code,
    reason: `${words}${after}${uncertain}`,
    fix: withLookFirst(fixFor(call.step, status, code, new URL(url).host), uncertain),
  });
}

function transportError(call: Call, failure: TransportError, attempts: number, timeoutMs: number, host: string): ActionError {
  const after = attempts > 1 ? ` after ${attempts} attempts` : '';
  const what =
    failure.kind === 'timeout'
      ? `no response from ${host} within the ${timeoutMs / 1000} s limit (timeout-seconds)`
      : failure.kind === 'refused'
        ? `could not connect to ${host} (${failure.code ?? 'refused'})`
        : `${failure.message} while talking to ${host}`;
  const uncertain = !call.idempotent && failure.kind !== 'refused' && call.uncertainOutcome ? `; ${call.uncertainOutcome}, so it was not sent again` : '';
  const fix =
    failure.kind === 'timeout'
      ? 'check that the platform is reachable from the runner, or raise timeout-seconds'
      : failure.kind === 'refused'
        ? 'check base-url (or region) and the runner\'s network and proxy settings'
        : 're-run the job; if it persists, check the network and any proxy between the runner and the platform';
  return new ActionError({
    step: call.step,
    reason: `${what}${after}${uncertain}`,
    fix: withLookFirst(fix, uncertain),
  });
}

/** A fix, with "look for the registration first" when the call's outcome is uncertain. */
function withLookFirst(fix: string, uncertain: string): string {
  return uncertain ? `${fix}; first look for that registration in the platform (re-running creates another)` : fix;
}

/**
 * The fix for an HTTP error status at a step; `code` is the platform's error
 * code, if any; `host` the platform host the run talked to (wrong-region hints).
 */
function fixFor(step: Step, status: number, code: string | undefined, host = 'this platform'): string {
  // Without region or base-url the US platform is used: the likeliest cause of "wrong credentials".
  const where = `they must belong to ${host}${host === 'platform.invicti.com' ? ' (the US platform, used when neither region nor base-url is set)' : ''}`;
  if (status === 429) {
    // Creating a registration is never retried, so more attempts would not help there.
    return step === 'create registration'
      ? 'the platform is rate limiting; wait a few minutes and re-run'
      : 'the platform is rate limiting; wait and re-run, or raise max-attempts';
  }
  if (status >= 500) return 'the platform had a server error; re-run the job later';
  if (status === 404 && step !== 'authorize') {
    return 'check base-url (or region): the platform has no such endpoint there; an on-premises URL may need its path prefix';
  }
  switch (step) {
    case 'login':
      if (status === 401 || status === 400) return `check the email and password inputs of an Owner account; ${where}`;
      if (status === 403) return 'the account cannot log in here: check that it is an active Owner account of this platform';
      break;
    case 'create registration':
    case 'authorize':
      if (status === 403) return 'the account in input "email" needs the Owner role';
      if (status === 401) return 'the login token was rejected; re-run the job, and check that email belongs to this platform';
      if (status === 404) return 'the registration was not found; re-run provision to create a new one';
      if (status === 400) return 'the platform rejected the request; check client-name and client-description';
      break;
    case 'token':
      if (code === 'invalid_client' || status === 401) {
        return `check the client-id and client-secret inputs (${where}): client-id is credentials.clientId (the client-id output of provision), not the registration UUID`;
      }
      if (code === 'access_denied' || status === 403) {
        return "the registration was never authorized for the platform API (step 3 of the platform's setup guide); run this action with mode: provision, or authorize its registration id";
      }
      if (code === 'unauthorized_client') return 'the registration does not allow the client_credentials grant; provision a new one with this action';
      if (status === 400) return 'check base-url or region: the token audience is <base-url>/api and must match the platform';
      break;
    case 'SCIM check':
      if (status === 401 || status === 403) return 'the bearer token was not accepted for SCIM; check that the registration is authorized for the platform API';
      break;
    default:
      break;
  }
  return 'check base-url and the inputs of this step, then re-run';
}
