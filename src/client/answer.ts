/**
 * What a server's answer may carry, checked before it is used: secrets and tokens of a safe shape
 * (masked on receipt, refused otherwise) and fields of a JSON body. A small module of its own so
 * that every client, the lazily loaded Entra clients too, shares it without loading the request core.
 */
import { ActionError, type Step } from '../errors.ts';

/**
 * How fixes name the server an answer came from: `name` as messages name it (`the platform`,
 * `Microsoft Graph`), `urlSetting` the input or variable that points at it, `identity` what that
 * setting must point at (default `name`).
 */
export interface ServiceWords {
  name: string;
  urlSetting: string;
  identity?: string;
}

/** The Invicti Platform, as fixes name it. */
export const PLATFORM_WORDS: ServiceWords = {
  name: 'the platform',
  urlSetting: 'base-url',
  identity: 'the Invicti Platform',
};

/** `check that <setting> points at <service>`, the start of a fix for an answer no such service gives. */
export function checkPointsAt(words: ServiceWords): string {
  return `check that ${words.urlSetting} points at ${words.identity ?? words.name}`;
}

/** Registers a secret received from a server with the runner, in all its forms; returns it unchanged (`runner/mask.ts`). */
export type Mask = (secret: string) => string;

/**
 * A token an Authorization (or X-Auth) header can carry (Node refuses any other header
 * value): no line break or other control character, nothing beyond U+00FF, and
 * not blank or padded with spaces. Looser than RFC 6750's b64token on purpose.
 */
export const BEARER_TOKEN = /^[\x21-\x7e\x80-\xff](?:[\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?$/u;

/**
 * The longest secret or token accepted from the server, in characters (UTF-16
 * code units): 8192, the request-header line limit of common servers (a token
 * travels in an Authorization header). Longer is a malformed answer, not something to mask.
 */
export const MAX_SECRET_LENGTH = 8192;

/**
 * The shortest secret or token accepted from the server, in characters: 4. A
 * shorter one is no secret, and masking it would garble every later log line
 * (a token `e` turns `Step 4` into `St***p 4`): it is refused as a malformed answer.
 */
export const MIN_SECRET_LENGTH = 4;

/**
 * One line of printable text, not blank and not padded with white space: no
 * control character (C0, DEL, C1: line breaks and tabs among them) and no
 * Unicode line or paragraph separator anywhere. RFC 6749 Appendix A makes
 * client_secret and access_token VSCHAR (printable ASCII); other printable
 * characters are tolerated, line breaks and control characters never.
 */
const ONE_LINE = /^[^\p{Cc}\p{Zl}\p{Zp}\s](?:[^\p{Cc}\p{Zl}\p{Zp}]*[^\p{Cc}\p{Zl}\p{Zp}\s])?$/u;
/** Characters Node accepts in a header value (Latin-1). */
const HEADER_SAFE = /^[^\u0100-\u{10ffff}]*$/u;

/** How a well-formed secret or token looks, for error messages. */
export const SECRET_SHAPE = `${MIN_SECRET_LENGTH} to ${MAX_SECRET_LENGTH} characters on one line, without control characters or surrounding spaces`;

/**
 * True when `value` is a secret or token the server may send: a well-formed
 * string of {@link MIN_SECRET_LENGTH} to {@link MAX_SECRET_LENGTH} characters on one line
 * ({@link ONE_LINE}); with `header`, also one an Authorization header can
 * carry (Latin-1). Checked before the value is masked: a malformed one is
 * refused and never printed, so the server cannot choose what the runner masks
 * (`1\n2\n…` would register every line as a mask).
 */
export function isServerSecret(value: unknown, header = false): value is string {
  return (
    typeof value === 'string' &&
    value.length >= MIN_SECRET_LENGTH &&
    value.length <= MAX_SECRET_LENGTH &&
    value.isWellFormed() &&
    ONE_LINE.test(value) &&
    (!header || HEADER_SAFE.test(value))
  );
}

/** `value[name]` when `value` is a JSON object, else undefined. */
export function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/**
 * Masks `value` when it is a well-formed secret ({@link isServerSecret}): a secret the server sent,
 * masked before anything about its answer is logged. A malformed one is refused afterwards and never
 * printed, so it is not masked: the server cannot choose what the runner masks.
 */
export function maskString(mask: Mask, value: unknown): void {
  if (isServerSecret(value)) mask(value);
}

/** A token the server sent, usable in an Authorization header ({@link isServerSecret} with `header`; masked by {@link maskString} when well formed). */
export function requireToken(
  step: Step,
  status: number,
  value: unknown,
  name: string,
  words: ServiceWords = PLATFORM_WORDS,
): string {
  if (isServerSecret(value, true)) return value;
  const length = secretLengthProblem(value, name);
  if (length !== undefined) {
    throw new ActionError({
      step,
      status,
      reason: length,
      fix:
        typeof value === 'string' && value.length > MAX_SECRET_LENGTH
          ? `the token cannot be sent in an Authorization header of that size; report the token length to the support of ${words.identity ?? words.name}`
          : `${words.name} or something in front of it (a proxy, a test stub) answered a placeholder instead of a token; re-run, and ${checkPointsAt(words)}`,
    });
  }
  throw shapeError(step, status, `${name} (a token of ${SECRET_SHAPE})`, undefined, undefined, words);
}

/**
 * What is wrong with the length of a secret or token `name` the server sent, when only its
 * length is wrong (one line of printable text otherwise): longer than {@link MAX_SECRET_LENGTH}
 * or shorter than {@link MIN_SECRET_LENGTH}, with the limit; undefined otherwise.
 */
export function secretLengthProblem(value: unknown, name: string): string | undefined {
  if (typeof value !== 'string' || !value.isWellFormed() || !ONE_LINE.test(value)) return undefined;
  if (value.length > MAX_SECRET_LENGTH)
    return `the response's ${name} is too long: ${value.length} characters, over the action's limit of ${MAX_SECRET_LENGTH} (the request-header line limit of common servers)`;
  if (value.length < MIN_SECRET_LENGTH)
    return `the response's ${name} is malformed: ${value.length} character${value.length === 1 ? '' : 's'}, too short to be a secret (at least ${MIN_SECRET_LENGTH}); it was not masked or used`;
  return undefined;
}

export function shapeError(
  step: Step,
  status: number,
  name: string,
  extra?: string,
  fix?: string,
  words: ServiceWords = PLATFORM_WORDS,
): ActionError {
  return new ActionError({
    step,
    status,
    reason: `the response has no valid ${name}${extra ? `; ${extra}` : ''}`,
    fix: fix ?? `${checkPointsAt(words)} and not at a proxy or another service`,
  });
}
