/**
 * Retry policy: which failures are worth another attempt, and how long to wait.
 * Transient: network failures, 408, 429, 500, 502, 503, 504. Waits honour
 * `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), capped;
 * otherwise exponential backoff with full jitter.
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

/**
 * Parses a `Retry-After` header value into milliseconds from `now`.
 * Returns `undefined` when absent or unparsable; a date in the past gives 0.
 * @param value header value: delay-seconds (`"120"`) or an HTTP-date.
 * @param now current time, for HTTP-dates.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: Date): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
  if (text === '') return undefined;
  if (/^\d+$/u.test(text)) return Number(text) * 1000;
  // An HTTP-date (IMF-fixdate, RFC 850 or asctime) starts with a day name; this
  // keeps Date.parse's leniency from reading "1.5" or "-1" as a date.
  if (!/^[A-Za-z]{3,9},? /u.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
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
