/**
 * At most one Content-Encoding is decoded (issue 16 §5): a coding listed
 * thousands of times would decode in one blocking step of seconds, beyond the
 * request's timeout and deaf to a cancel. The failure is permanent, so it is not
 * retried, and nor is a body over the size limit.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { mayRetry } from '../../src/client/network-advice.ts';
import { decodeBody, MAX_BODY_BYTES } from '../../src/net/body.ts';
import { TransportError } from '../../src/net/http.ts';

const TEXT = '{"ok":true}';

function refusal(body: Buffer, coding: string | string[]): TransportError {
  try {
    decodeBody(body, coding, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof TransportError) return error;
    throw error;
  }
  throw new Error('expected a TransportError');
}

/** `text` gzipped `times` times over. */
function gzipTimes(text: string, times: number): Buffer {
  let data = Buffer.from(text);
  for (let i = 0; i < times; i += 1) data = gzipSync(data, { level: 1 });
  return data;
}

describe('Content-Encoding', () => {
  it.each([
    ['gzip, gzip', 'gzip, gzip', 2, '2'],
    ['two header lines', ['gzip', 'gzip'], 2, '2'],
    ['gzip, br', 'gzip, br', 2, '2'],
  ] as const)('%s is refused, not decoded', (_name, coding, times, said) => {
    const error = refusal(gzipTimes(TEXT, times), coding as string | string[]);
    expect(error.code).toBe('ERR_CONTENT_ENCODING');
    expect(error.message).toBe(
      `a response with ${said} content codings stacked (Content-Encoding; the action decodes at most one)`,
    );
  });

  it('the same coding listed 5000 times is refused before any decoding', () => {
    const error = refusal(gzipTimes(TEXT, 1), Array.from({ length: 5000 }, () => 'gzip').join(', '));
    expect(error.message).toContain('more than 99 content codings');
  });

  it('one coding, with identity around it, is still read', () => {
    expect(decodeBody(gzipSync(TEXT), 'identity, gzip, identity', MAX_BODY_BYTES)).toBe(TEXT);
    expect(decodeBody(gzipSync(TEXT), ['gzip'], MAX_BODY_BYTES)).toBe(TEXT);
  });

  it.each(['ERR_CONTENT_ENCODING', 'ERR_BODY_TOO_LARGE'])('%s is not retried, even for an idempotent read', (code) => {
    expect(mayRetry(new TransportError('network', 'x', code), true)).toBe(false);
  });

  it('a body that does not decompress (maybe cut in transit) may still be retried', () => {
    expect(mayRetry(new TransportError('network', 'x', 'ERR_CONTENT_DECODING'), true)).toBe(true);
  });
});
