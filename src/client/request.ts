/**
 * The shared request core of every client (the platform's `identity.ts`, `oauth.ts`,
 * `scim.ts`; Microsoft's `github-oidc.ts`, `entra.ts`, `graph.ts`): one transport, the retry
 * policy of `retry.ts`, JSON parsing of answers, and the mapping of failures to
 * {@link ActionError}s that name the step, the HTTP status, the server's error and a fix.
 * Each core has a base URL and a {@link Service} (how errors name the server, which input
 * sets its URL, its fixes: `fixes.ts` for the platform); {@link ApiCore.withBase} makes a
 * core for another server over the same transport. The API facts behind each call are in
 * `docs/platform-api.md` and `docs/entra-graph-api.md`.
 */
import { ActionError, capitalize, sanitize, type ActionErrorDetails, type Step } from '../errors.ts';
import { DETERMINISTIC_BODY_FAILURES } from '../net/body.ts';
import { TransportError, type HttpResponse, type Transport } from '../net/http.ts';
import { backoffDelayMs, DEFAULT_BACKOFF, RETRYABLE_STATUSES, serverWait, type BackoffOptions } from '../net/retry.ts';
import { fixFor } from './fixes.ts';
import type { OwnerAuth } from './owner.ts';
import { adviseTransportFailure, mayRetry } from './network-advice.ts';

// What a server's answer may carry (shared with the Entra clients, which load lazily).
export {
  BEARER_TOKEN,
  field,
  isServerSecret,
  MAX_SECRET_LENGTH,
  MIN_SECRET_LENGTH,
  maskString,
  requireToken,
  SECRET_SHAPE,
  secretLengthProblem,
  shapeError,
  type Mask,
} from './answer.ts';
import { checkPointsAt, field, PLATFORM_WORDS, type Mask, type ServiceWords } from './answer.ts';

/** The log lines a client writes (the run's log provides them, secrets redacted and made inert). */
export interface ClientLog {
  info(message: string): void;
  /** Shown only with runner debug logging on. */
  debug(message: string): void;
  /** For odd but usable answers, after their secrets are masked. */
  warning(message: string): void;
}

/** How a {@link Redact} matches. */
export interface RedactOptions {
  /**
   * Match regardless of letter case: for server text that was lower-cased or
   * upper-cased on the way (a URL parser lower-cases host names).
   */
  ignoreCase?: boolean;
}

/** Replaces registered secrets in server text by `***` (see {@link ClientOptions.redact}). */
export type Redact = (text: string, options?: RedactOptions) => string;

/** A server's error as the core read it from a failed response (see {@link platformErrorOf}). */
export interface ServiceError {
  /** Its error code (OAuth `error`, `code`, nested `error.code`, …), sanitized. */
  code: string | undefined;
  /** Its words (code and message), sanitized; undefined when the body says nothing. */
  text: string | undefined;
  /** The parsed JSON body, when the body was JSON (for codes in other fields, e.g. Entra's `error_codes`). */
  body: unknown;
}

/** The remote service a core talks to: how error messages name it and what they advise. */
export interface Service extends ServiceWords {
  /** How messages name it: `the platform`, `Microsoft Graph`. */
  name: string;
  /** The input (or variable) that sets its URL, as fixes name it: `base-url`, `entra-graph-url`. */
  urlSetting: string;
  /** The fix for an HTTP error status at a step (the platform's: `fixes.ts` `fixFor`). */
  fixFor(step: Step, status: number, error: ServiceError, host: string, auth: OwnerAuth | undefined): string;
  /** The fix when it answers with a redirect (which is never followed). */
  redirectFix: string;
}

/** The Invicti Platform: fixes from `fixes.ts`; its URL is set by `base-url` (or `region`). */
export const PLATFORM: Service = {
  ...PLATFORM_WORDS,
  name: 'the platform',
  urlSetting: 'base-url',
  fixFor: (step, status, error, host, auth) => fixFor(step, status, error.code, host, auth),
  redirectFix:
    "set base-url to the platform's own URL (region us, eu or ca, or your on-premises URL), not one that redirects",
};

/** Collaborators and settings shared by the clients. */
export interface ClientOptions {
  /** Base URL without trailing slash (inputs.ts `resolveBaseUrl`). */
  baseUrl: string;
  /** The server at `baseUrl`; default {@link PLATFORM}. */
  service?: Service;
  /** The token audience (step 4) when it is not `<base-url>/api` (the `audience` input). */
  audience?: string;
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
  /** `warning` is for odd but usable answers (e.g. JSON labelled text/plain), logged after their secrets are masked. */
  log: ClientLog;
  mask: Mask;
  /**
   * Called before each attempt of a call is sent, with the call's step: the run
   * writes the outputs known so far and notes the step in flight (for a cancel).
   */
  onSend?: (step: Step) => void;
  /**
   * Replaces registered secrets in server text by `***` before it is shortened
   * for an error message (a cut secret would no longer match its mask).
   * Default: no change.
   */
  redact?: Redact;
  backoff?: BackoffOptions;
}

/** One HTTP call of a client, as the shared core sends it. */
export interface Call {
  step: Step;
  method: 'GET' | 'POST' | 'PUT';
  /** Path and query, appended to the base URL. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** May be sent again after a failure where the server may have acted. */
  idempotent: boolean;
  /** For non-idempotent calls: what the server may have done when the outcome is unknown. */
  uncertainOutcome?: string;
  /**
   * For a read whose answer the query bounds (SCIM `count`, a filter): what an
   * answer over the body limit means, said after the reason (e.g. that the server ignored `count`).
   */
  tooLarge?: string;
  /** Identity calls sent with an Owner credential: how it authenticated (the fixes differ). */
  auth?: OwnerAuth;
  /**
   * Called before each attempt is sent, with its number (1, 2, …): a caller that must know
   * whether an earlier attempt may have acted (a 4xx after a lost answer proves nothing) counts them.
   */
  onAttempt?: (attempt: number) => void;
  /** This call's own fix for an HTTP error; undefined falls back to the service's {@link Service.fixFor}. */
  fix?: (status: number, error: ServiceError) => string | undefined;
}

/** The request/retry core one run's clients share (one transport, so one connection). */
export class ApiCore {
  readonly options: ClientOptions;
  readonly redact: Redact;
  readonly service: Service;

  constructor(options: ClientOptions) {
    this.options = options;
    this.redact = options.redact ?? ((text) => text);
    this.service = options.service ?? PLATFORM;
  }

  /**
   * A core for another server (`baseUrl` without trailing slash, its {@link Service}) with
   * this core's transport, retry policy, mask, log and clock: one request core for every client.
   */
  withBase(baseUrl: string, service: Service): ApiCore {
    return new ApiCore({ ...this.options, baseUrl, service });
  }

  /**
   * Sends one call with the retry policy (`retry.ts`): idempotent calls are retried on network
   * failures and {@link RETRYABLE_STATUSES}; a call that never reached the platform is retried
   * always; certificate failures and a refusing proxy never (`network-advice.ts` `mayRetry`).
   * An idempotent call whose kept-alive connection is found dead (`stale`) is sent again at once
   * on a new connection, once, without using up an attempt.
   * @returns the 2xx response.
   * @throws ActionError naming the call's step, the status and a fix; never a redirect target.
   */
  async send(call: Call): Promise<HttpResponse> {
    const { transport, timeoutMs, maxAttempts, random, now, log } = this.options;
    const url = `${this.options.baseUrl}${call.path}`;
    const pathOnly = new URL(url).pathname;
    let resentOnNewConnection = false;
    for (let attempt = 1; ; attempt += 1) {
      this.options.onSend?.(call.step);
      call.onAttempt?.(attempt);
      const started = Date.now();
      let response: HttpResponse;
      try {
        response = await transport.send(
          { method: call.method, url, headers: call.headers, body: call.body },
          timeoutMs,
        );
      } catch (error) {
        const failure = error instanceof TransportError ? error : new TransportError('network', 'network error');
        log.debug(`${call.method} ${pathOnly} → ${failure.message} after ${Date.now() - started} ms`);
        // Not for creating a registration: no byte of a response does not prove the platform did
        // not act (it may have read the request before the connection died; RFC 9112 §9.3.1).
        if (failure.kind === 'stale' && call.idempotent && !resentOnNewConnection) {
          resentOnNewConnection = true;
          attempt -= 1;
          log.info(
            `${call.step}: the kept-alive connection, idle since the previous call, was reset before any response; sent again at once on a new connection`,
          );
          continue;
        }
        if (mayRetry(failure, call.idempotent) && attempt < maxAttempts) {
          await this.#wait(call, attempt, failure.message, backoffDelayMs(attempt, undefined, random, this.#backoff));
          continue;
        }
        throw transportError(call, failure, attempt, timeoutMs, new URL(url).host, this.service);
      }
      log.debug(`${call.method} ${pathOnly} → HTTP ${response.status} in ${Date.now() - started} ms`);
      if (response.status >= 200 && response.status < 300) return response;
      if (call.idempotent && RETRYABLE_STATUSES.has(response.status) && attempt < maxAttempts) {
        const asked = serverWait(response.status, response.headers, now());
        const delay = backoffDelayMs(attempt, asked?.ms, random, this.#backoff);
        await this.#wait(call, attempt, `HTTP ${response.status}${asked ? ` with ${asked.header}` : ''}`, delay);
        continue;
      }
      throw httpError(call, url, response, attempt, this.redact, this.service);
    }
  }

  /**
   * Parses a 2xx answer of `step` as JSON ({@link parseJson}: a byte-order mark
   * is skipped, a JSON body under another label is read with a warning).
   * `secrets(body)` masks the secrets the body carries; it runs before any
   * warning about the answer is logged.
   * @throws ActionError when the body is not JSON (e.g. an HTML login page).
   */
  readJson(step: Step, response: HttpResponse, secrets?: (body: unknown) => void): unknown {
    const warnings: string[] = [];
    const body = parseJson(step, response, this.redact, (message) => warnings.push(message), this.service);
    secrets?.(body);
    for (const message of warnings) this.options.log.warning(message);
    return body;
  }

  get #backoff(): BackoffOptions {
    return this.options.backoff ?? DEFAULT_BACKOFF;
  }

  async #wait(call: Call, attempt: number, reason: string, delayMs: number): Promise<void> {
    this.options.log.info(
      `${call.step}: attempt ${attempt} of ${this.options.maxAttempts} failed (${reason}); retrying in ${(delayMs / 1000).toFixed(1)} s`,
    );
    await this.options.sleep(delayMs);
  }
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

/** JSON media types: `application/json`, `…+json` (RFC 6839), and the legacy `text/json`; or none given. */
function isJsonType(type: string): boolean {
  return type === '' || type === 'application/json' || type === 'text/json' || type.endsWith('+json');
}

/**
 * The body as JSON text: without a leading UTF-8 byte-order mark (EF BB BF,
 * decoded as U+FEFF), which RFC 8259 §8.1 lets a parser ignore.
 */
function jsonText(body: string): string {
  return body.startsWith('\uFEFF') ? body.slice(1) : body;
}

/** The JSON object or array `text` holds (BOM already removed), or undefined when it holds none. */
function jsonObjectIn(text: string): unknown {
  if (!/^\s*[[{]/u.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Parses a 2xx body as JSON, or throws an error that says what the body was
 * instead. A leading byte-order mark is skipped. A body labelled with a
 * non-JSON media type (e.g. `text/plain`) that holds a JSON object or array is
 * read anyway and reported through `warn` (one line, no body text); an HTML
 * page or other text still fails.
 * @throws ActionError (step `step`, the response's status).
 */
export function parseJson(
  step: Step,
  response: HttpResponse,
  redact: Redact,
  warn: (message: string) => void = () => undefined,
  service: Service = PLATFORM,
): unknown {
  const type = contentTypeOf(response, redact);
  const text = jsonText(response.body);
  if (!isJsonType(type)) {
    const value = jsonObjectIn(text);
    if (value === undefined) {
      throw new ActionError({
        step,
        status: response.status,
        reason: `the response is ${type} (${response.body.length} bytes), not JSON; a proxy, firewall or login page may have answered`,
        fix: `check ${service.urlSetting} and the runner's proxy settings (https_proxy, no_proxy)`,
      });
    }
    warn(
      `${capitalize(step)} (HTTP ${response.status}): the response is labelled ${type} but holds JSON; it was read as JSON`,
    );
    return value;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ActionError({
      step,
      status: response.status,
      reason: `the response is not valid JSON (${response.body.length} bytes${response.body.length === 0 ? '' : ', truncated or malformed'})`,
      fix: `re-run the job; if it persists, check ${service.urlSetting} and any proxy between the runner and ${service.name}`,
    });
  }
}

type ErrorText = { code: string | undefined; text: string | undefined };
const NO_ERROR: ErrorText = { code: undefined, text: undefined };

/**
 * The platform's error from a failed response, sanitized, its most specific
 * text first: OAuth `error` + `error_description` (RFC 6749 §5.2); otherwise a
 * code (`code`, `errorCode`, SCIM `scimType` (RFC 7644 §3.12), or a nested
 * `error.code`) with the words `detail` (RFC 9457 problem details, SCIM) over
 * `message` over `title` (or a nested `error.message`), followed by the first
 * validation message with its field (`errors: {field: [message]}`, or
 * `errors: [{detail, pointer}]` as RFC 9457 §3 shows) and how many more there are.
 * A leading byte-order mark is skipped; a JSON body under a non-JSON label is
 * read too. Non-JSON bodies give nothing.
 */
export function platformErrorOf(response: HttpResponse, redact: Redact = (text) => text): ErrorText {
  const text = jsonText(response.body);
  let body: unknown;
  if (isJsonType(contentTypeOf(response, redact))) {
    try {
      body = JSON.parse(text);
    } catch {
      return NO_ERROR;
    }
  } else {
    body = jsonObjectIn(text);
  }
  const str = (value: unknown, max = 200): string | undefined =>
    typeof value === 'string' && value.trim() !== '' ? sanitize(redact(value), max) : undefined;
  const join = (a: string | undefined, b: string | undefined): string | undefined => (a && b ? `${a}: ${b}` : (a ?? b));
  const oauth = str(field(body, 'error'));
  if (oauth !== undefined) return { code: oauth, text: join(oauth, str(field(body, 'error_description'))) };
  const nested = field(body, 'error');
  const code =
    str(field(body, 'code')) ??
    str(field(body, 'errorCode')) ??
    str(field(body, 'scimType')) ??
    str(field(nested, 'code'));
  const words =
    str(field(body, 'detail')) ??
    str(field(body, 'message')) ??
    str(field(body, 'title')) ??
    str(field(nested, 'message'));
  const validation = firstValidation(field(body, 'errors') ?? field(body, 'Errors') ?? field(nested, 'details'), str);
  const said =
    words !== undefined && validation !== undefined
      ? `${words}${/[.!?:]$/u.test(words) ? ' ' : ': '}${validation}`
      : (words ?? validation);
  // Each piece is redacted and cut already; this bounds the whole.
  const whole = join(code, said);
  return { code, text: whole === undefined ? undefined : sanitize(whole, 300) };
}

/**
 * The first message of a validation list, with its field, and how many more
 * there are: `name: must not be empty (and 2 more)`. Reads a map of field to
 * message(s) (`{"name": ["must not be empty"]}`; a blank or `$` key is the
 * body as a whole) or a list of strings or objects (`detail`/`message`/
 * `description`, with `pointer`/`field`/`path`/`name`).
 */
function firstValidation(
  errors: unknown,
  str: (value: unknown, max?: number) => string | undefined,
): string | undefined {
  const found: Array<{ where: string | undefined; message: string }> = [];
  const add = (where: unknown, item: unknown): void => {
    const message =
      str(item) ?? str(field(item, 'detail')) ?? str(field(item, 'message')) ?? str(field(item, 'description'));
    if (message === undefined) return;
    const place = where ?? field(item, 'pointer') ?? field(item, 'field') ?? field(item, 'path') ?? field(item, 'name');
    const name =
      typeof place === 'string' ? str(place.replace(/^#?\/|^\$\.?/u, '').replace(/\//gu, '.'), 60) : undefined;
    found.push({ where: name, message });
  };
  if (Array.isArray(errors)) {
    for (const item of errors) add(undefined, item);
  } else if (typeof errors === 'object' && errors !== null) {
    for (const [key, value] of Object.entries(errors))
      for (const item of Array.isArray(value) ? value : [value]) add(key, item);
  }
  const [first] = found;
  if (first === undefined) return undefined;
  const more = found.length > 1 ? ` (and ${found.length - 1} more)` : '';
  return `${first.where ? `${first.where}: ` : ''}${first.message}${more}`;
}

/**
 * The `error` and `error_description` of a `Bearer` challenge in the response's
 * `WWW-Authenticate` header (RFC 6750 §3: `Bearer realm="…", error="invalid_token",
 * error_description="The access token expired"`), redacted and sanitized as
 * {@link platformErrorOf}; nothing when there is no Bearer challenge with an `error`.
 */
export function bearerChallengeOf(response: HttpResponse, redact: Redact = (text) => text): ErrorText {
  const value = response.headers['www-authenticate'];
  const header = (Array.isArray(value) ? value.join(', ') : (value ?? '')).slice(0, 4096);
  const start = /(?:^|[\s,])Bearer(?:\s+|$)/iu.exec(header);
  if (start === null) return NO_ERROR;
  const params = new Map<string, string>();
  const param = /\s*([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*,?/uy;
  param.lastIndex = start.index + start[0].length;
  for (let match = param.exec(header); match !== null && match[0] !== ''; match = param.exec(header)) {
    const name = (match[1] ?? '').toLowerCase();
    if (!params.has(name))
      params.set(name, match[2] === undefined ? (match[3] ?? '') : match[2].replace(/\\(.)/gsu, '$1'));
  }
  const str = (text: string | undefined): string | undefined =>
    text === undefined || text.trim() === '' ? undefined : sanitize(redact(text), 200);
  const code = str(params.get('error'));
  if (code === undefined) return NO_ERROR;
  const description = str(params.get('error_description'));
  return { code, text: description === undefined ? code : `${code}: ${description}` };
}

function describeResponse(
  response: HttpResponse,
  redact: Redact,
  service: Service,
): { error: ServiceError; words: string } {
  const { code, text } = platformErrorOf(response, redact);
  const challenge = bearerChallengeOf(response, redact);
  const error: ServiceError = { code: code ?? challenge.code, text, body: jsonObjectIn(jsonText(response.body)) };
  if (challenge.text !== undefined) {
    const said = `${service.name} refused the bearer token: "${challenge.text}" (WWW-Authenticate)`;
    return { error, words: text === undefined ? said : `${said}; it answered "${text}"` };
  }
  if (text !== undefined) return { error, words: `${service.name} answered "${text}"` };
  const type = contentTypeOf(response, redact);
  if (!isJsonType(type))
    return {
      error,
      words: `the response is ${type}, not ${service.name}'s JSON error (a proxy, firewall or wrong ${service.urlSetting} may have answered)`,
    };
  return { error, words: 'the response carries no error details' };
}

function httpError(
  call: Call,
  url: string,
  response: HttpResponse,
  attempts: number,
  redact: Redact,
  service: Service,
): ActionError {
  const status = response.status;
  // 304 Not Modified is no redirect (and has no Location): reported as any other status.
  if (status >= 300 && status < 400 && status !== 304) {
    const location = response.headers['location'];
    const raw = Array.isArray(location) ? location[0] : location;
    let host = 'an unknown location';
    if (raw !== undefined) {
      try {
        // The URL parser percent-decodes and lower-cases a host: a secret so
        // changed no longer matches its mask, so it is redacted regardless of case.
        host =
          sanitize(redact(new URL(redact(raw), url).host, { ignoreCase: true }), 100) || 'a location without a host';
      } catch {
        host = 'an invalid location';
      }
    }
    return new ActionError({
      step: call.step,
      status,
      reason: `${service.name} redirected to ${host}; credentials are never sent to a redirect target`,
      fix: service.redirectFix,
    });
  }
  const { error, words } = describeResponse(response, redact, service);
  const host = new URL(url).host;
  const after = attempts > 1 ? ` after ${attempts} attempts` : '';
  const uncertain = !call.idempotent && status >= 500 ? call.uncertainOutcome : undefined;
  return new ActionError({
    step: call.step,
    status,
    code: error.code,
    reason: `${words}${after}`,
    fix: call.fix?.(status, error) ?? service.fixFor(call.step, status, error, host, call.auth),
    ...uncertainParts(uncertain),
  });
}

function transportError(
  call: Call,
  failure: TransportError,
  attempts: number,
  timeoutMs: number,
  host: string,
  service: Service,
): ActionError {
  const after = attempts > 1 ? ` after ${attempts} attempts` : '';
  const { what, fix } = adviseTransportFailure(failure, host, timeoutMs, service);
  // Classified by what happened on the wire (net/transport-error.ts): e.g. a connection never established sent nothing.
  const reached = failure.reached;
  const uncertain = !call.idempotent && reached ? call.uncertainOutcome : undefined;
  const parts = uncertainParts(uncertain);
  if (failure.code === 'ERR_BODY_TOO_LARGE' && call.tooLarge !== undefined) {
    return new ActionError({
      step: call.step,
      reason: `${what}${after}`,
      notes: [...(parts.notes ?? []), call.tooLarge],
      fix: "check that base-url points at the Invicti Platform's SCIM service (not another SCIM server, nor a proxy that drops the query string); a server that answers whole lists to bounded reads will overwhelm the directory too, so report it to the platform's support",
    });
  }
  if (failure.code !== undefined && DETERMINISTIC_BODY_FAILURES.has(failure.code)) {
    return new ActionError({
      step: call.step,
      reason: `${what}; the answer is the same on every attempt, so it was not retried`,
      fix: `${checkPointsAt(service)} and that no proxy between the runner and ${service.name} rewrites its answers`,
      ...parts,
    });
  }
  return new ActionError({ step: call.step, reason: `${what}${after}`, fix, ...parts });
}

/**
 * The note and fix note of a call whose outcome is uncertain (`uncertainOutcome`: what the
 * server may have done): it was not sent again, and the registration is to be looked for first.
 */
function uncertainParts(uncertain: string | undefined): Pick<ActionErrorDetails, 'notes' | 'fixNotes'> {
  if (uncertain === undefined) return {};
  return {
    notes: [`${uncertain}, so it was not sent again`],
    fixNotes: ['first look for that registration in the platform (re-running creates another)'],
  };
}
