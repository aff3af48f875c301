/**
 * The retry policy (src/net/retry.ts): Retry-After parsing, exponential
 * backoff with full jitter, and which statuses are retried. Pure functions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, DEFAULT_BACKOFF, parseRetryAfter, RETRYABLE_STATUSES } from '../../src/net/retry.ts';

const NOW = new Date('2025-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['1', 1000],
    ['120', 120_000],
    [' 7 ', 7000],
  ])('reads delay-seconds %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it('reads an IMF-fixdate relative to now', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', NOW)).toBe(30_000);
  });

  it('reads an obsolete RFC 850 date relative to now', () => {
    expect(parseRetryAfter('Wednesday, 01-Jan-25 00:01:00 GMT', NOW)).toBe(60_000);
  });

  it('gives 0 for a date in the past', () => {
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', NOW)).toBe(0);
  });

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfter(['5', '9'], NOW)).toBe(5000);
  });

  it.each([undefined, '', '  ', 'soon', '1.5', '-1', '10s', 'Mon, 99 Foo 2025 99:99:99 GMT'])(
    'ignores %j (backoff applies)',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );
});

describe('backoffDelayMs', () => {
  it('uses Retry-After as given up to the cap of 60 s', () => {
    expect(DEFAULT_BACKOFF.retryAfterCapMs).toBe(60_000);
    expect(backoffDelayMs(1, 0, () => 0.5)).toBe(0);
    expect(backoffDelayMs(1, 2500, () => 0.5)).toBe(2500);
    expect(backoffDelayMs(3, 60_000, () => 0.5)).toBe(60_000);
    expect(backoffDelayMs(1, 120_000, () => 0.5)).toBe(60_000);
    expect(backoffDelayMs(1, parseRetryAfter('99999999999999999999999', NOW), () => 0.5)).toBe(60_000);
  });

  it('is exponential with full jitter: random × min(10 s, 1 s × 2^(attempt−1))', () => {
    const half = (attempt: number): number => backoffDelayMs(attempt, undefined, () => 0.5);
    expect([1, 2, 3, 4, 5, 6].map(half)).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    expect(backoffDelayMs(1, undefined, () => 0)).toBe(0);
    expect(backoffDelayMs(4, undefined, () => 0.999_999)).toBe(7999);
  });

  it('stays within [0, ceiling) for every attempt and every random value in [0, 1)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const ceiling = Math.min(DEFAULT_BACKOFF.maxMs, DEFAULT_BACKOFF.baseMs * 2 ** (attempt - 1));
          const delay = backoffDelayMs(attempt, undefined, () => r);
          return Number.isInteger(delay) && delay >= 0 && delay < ceiling;
        },
      ),
    );
  });

  it('honours custom options', () => {
    const options = { baseMs: 100, maxMs: 250, retryAfterCapMs: 5000 };
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(a, undefined, () => 0.5, options))).toEqual([50, 100, 125, 125]);
    expect(backoffDelayMs(1, 9000, () => 0.5, options)).toBe(5000);
  });

  it('retries exactly 408, 429, 500, 502, 503 and 504', () => {
    expect([...RETRYABLE_STATUSES].sort()).toEqual([408, 429, 500, 502, 503, 504]);
  });
});
