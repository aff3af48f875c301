/**
 * Retry policy: which failures are worth another attempt, and how long to wait.
 * Transient: network failures, 408, 429, 500, 502, 503, 504. Waits honour
 * `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date, the date
 * measured against the response's own `Date`), or on 429/503 without it
 * `RateLimit-Reset` / `X-RateLimit-Reset` (seconds), capped; otherwise
 * exponential backoff with full jitter.
 */

/** HTTP statuses that are retried on idempotent calls. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Tunables of the backoff, all in milliseconds. */
export interface BackoffOptions {
  /** Upper bound of the first wait (attempt 1 → [0, baseMs)). Default 1000 ms. */
  baseMs: number;
  /** Upper bound of any computed backoff wait. Default 10 000 ms. */
  maxMs: number;
  /** Upper bound of a server-asked `Retry-After` wait. Default 60 000 ms. */
  retryAfterCapMs: number;
}

/** The backoff the action uses: first wait below 1 s, computed waits at most 10 s, `Retry-After` at most 60 s. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 10_000, retryAfterCapMs: 60_000 };

/** A header's value as one trimmed string (the first of repeated ones); '' when absent. */
function headerText(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/** An HTTP-date (IMF-fixdate, RFC 850 or asctime) in ms since the epoch, or undefined. */
function httpDate(text: string): number | undefined {
  // It starts with a day name; this keeps Date.parse's leniency from reading "1.5" or "-1" as a date.
  if (!/^[A-Za-z]{3,9},? /u.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : date;
}

/**
 * Parses a `Retry-After` header value into milliseconds from now.
 * Returns `undefined` when absent or unparsable; a date in the past gives 0.
 * @param value header value: delay-seconds (`"120"`) or an HTTP-date.
 * @param now current time, for HTTP-dates.
 * @param serverDate the response's `Date` header: when it is a valid HTTP-date,
 * an HTTP-date is measured against it instead of `now` (the runner's and the
 * server's clocks may differ by minutes).
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: Date,
  serverDate?: string | string[],
): number | undefined {
  const text = headerText(value);
  if (text === '') return undefined;
  if (/^\d+$/u.test(text)) return Number(text) * 1000;
  const date = httpDate(text);
  if (date === undefined) return undefined;
  return Math.max(0, date - (httpDate(headerText(serverDate)) ?? now.getTime()));
}

/** Rate-limit headers read on 429 and 503 without `Retry-After`, in this order. */
const RESET_HEADERS = ['ratelimit-reset', 'x-ratelimit-reset'] as const;

/**
 * A `RateLimit-Reset` or `X-RateLimit-Reset` value in milliseconds from now:
 * seconds to wait; a number of seconds above 10^9 is a Unix time (as some APIs
 * send `X-RateLimit-Reset`), measured like an HTTP-date.
 */
function parseReset(value: string | string[] | undefined, reference: number): number | undefined {
  const text = headerText(value);
  if (!/^\d{1,12}$/u.test(text)) return undefined;
  const seconds = Number(text);
  return seconds > 1e9 ? Math.max(0, seconds * 1000 - reference) : seconds * 1000;
}

/** How long a server asked the client to wait, and in which header. */
export interface ServerWait {
  /** Milliseconds from now, not yet capped. */
  ms: number;
  header: 'Retry-After' | 'RateLimit-Reset' | 'X-RateLimit-Reset';
}

/**
 * What a failed response asks the client to wait: its `Retry-After`
 * ({@link parseRetryAfter}, dates against the response's `Date`); on 429 and
 * 503 without a usable one, `RateLimit-Reset` or `X-RateLimit-Reset` (seconds).
 * Undefined when it asks nothing usable. Capped by {@link backoffDelayMs}.
 * @param headers the response's headers, names in lower case.
 * @param now the runner's current time.
 */
export function serverWait(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  now: Date,
): ServerWait | undefined {
  const retryAfter = parseRetryAfter(headers['retry-after'], now, headers['date']);
  if (retryAfter !== undefined) return { ms: retryAfter, header: 'Retry-After' };
  if (status !== 429 && status !== 503) return undefined;
  const reference = httpDate(headerText(headers['date'])) ?? now.getTime();
  for (const name of RESET_HEADERS) {
    const ms = parseReset(headers[name], reference);
    if (ms !== undefined) return { ms, header: name === 'ratelimit-reset' ? 'RateLimit-Reset' : 'X-RateLimit-Reset' };
  }
  return undefined;
}

/**
 * How long to wait before attempt `attempt + 1`, in milliseconds.
 * With a `Retry-After` of `retryAfterMs`, that value capped at `retryAfterCapMs`;
 * otherwise full jitter: `random() * min(maxMs, baseMs * 2^(attempt-1))`.
 * @param attempt the attempt that just failed, from 1.
 * @param retryAfterMs the server's `Retry-After` in milliseconds ({@link parseRetryAfter}), if any.
 * @param random uniform in [0, 1) (`Math.random`, replaceable in tests).
 */
export function backoffDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, options.retryAfterCapMs);
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}
