/**
 * Reading response bodies (src/net/body.ts) and the transport's part in it: what
 * the action asks for (`Accept-Encoding: identity`), what it decodes anyway
 * (gzip, deflate in both its forms, br, stacked codings), and the size cap on
 * the wire and once decoded (a compression bomb stops at the cap).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, constants, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCEPT_ENCODING, decodeBody, MAX_BODY_BYTES } from '../../src/net/body.ts';
import { createHttpTransport, TransportError } from '../../src/net/http.ts';

const JSON_TEXT = '{"access_token":"tok","token_type":"Bearer","expires_in":3600,"note":"ünïcødé ✓"}';
const RAW = Buffer.from(JSON_TEXT, 'utf8');

function caught(fn: () => unknown): TransportError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TransportError) return error;
    throw error;
  }
  throw new Error('expected a TransportError');
}

describe('decodeBody', () => {
  it.each([
    ['none', undefined, RAW],
    ['identity', 'identity', RAW],
    ['gzip', 'gzip', gzipSync(RAW)],
    ['x-gzip', 'x-gzip', gzipSync(RAW)],
    ['GZIP in capitals', 'GZIP', gzipSync(RAW)],
    ['deflate (zlib format, RFC 9110)', 'deflate', deflateSync(RAW)],
    ['deflate sent raw (no zlib header), as some servers do', 'deflate', deflateRawSync(RAW)],
    ['br', 'br', brotliCompressSync(RAW)],
  ])('reads %s', (_name, encoding, body) => {
    expect(decodeBody(body, encoding, MAX_BODY_BYTES)).toBe(JSON_TEXT);
  });

  it('refuses a coding it cannot read, naming it (and nothing else from the server)', () => {
    const error = caught(() => decodeBody(RAW, 'zstd-x\n##[stop-commands]', MAX_BODY_BYTES));
    expect(error.kind).toBe('network');
    expect(error.code).toBe('ERR_CONTENT_ENCODING');
    expect(error.message).not.toMatch(/[\r\n]|##\[/u);
  });

  it('says a body that does not decompress is truncated or corrupt', () => {
    const error = caught(() => decodeBody(gzipSync(RAW).subarray(0, 20), 'gzip', MAX_BODY_BYTES));
    expect(error.code).toBe('ERR_CONTENT_DECODING');
    expect(error.message).toMatch(/gzip-compressed response does not decompress/u);
  });

  /** 16 MiB of zeros, compressed fast (level 1) to a few KiB. */
  const ZEROS = Buffer.alloc(16 * 1024 * 1024);
  it.each([
    ['gzip', () => gzipSync(ZEROS, { level: 1 })],
    ['deflate', () => deflateSync(ZEROS, { level: 1 })],
    ['br', () => brotliCompressSync(ZEROS, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } })],
  ] as const)(
    'stops a %s bomb at the cap: 16 MiB of zeros in a few KiB is refused, not inflated',
    (coding, compress) => {
      const bomb = compress();
      expect(bomb.length).toBeLessThan(MAX_BODY_BYTES / 16);
      const error = caught(() => decodeBody(bomb, coding, MAX_BODY_BYTES));
      expect(error.code).toBe('ERR_BODY_TOO_LARGE');
      expect(error.message).toBe(`the response was larger than 4 MiB once decompressed (${coding})`);
    },
  );

  it('accepts a decoded body of exactly the cap', () => {
    const text = 'x'.repeat(1024);
    expect(decodeBody(gzipSync(text), 'gzip', 1024)).toBe(text);
    expect(caught(() => decodeBody(gzipSync(`${text}x`), 'gzip', 1024)).code).toBe('ERR_BODY_TOO_LARGE');
  });
});

describe('the transport and Content-Encoding', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  async function serve(handler: http.RequestListener): Promise<string> {
    server = http.createServer(handler);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
  }

  it('asks for identity, and decodes a gzip answer sent anyway', async () => {
    let accepted: string | undefined;
    const url = await serve((req, res) => {
      accepted = req.headers['accept-encoding'];
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(RAW));
    });
    const transport = createHttpTransport('test/1', 5000);
    try {
      const response = await transport.send({ method: 'GET', url, headers: {} }, 5000);
      expect(ACCEPT_ENCODING).toBe('identity');
      expect(accepted).toBe('identity');
      expect(response.body).toBe(JSON_TEXT);
    } finally {
      transport.dispose();
    }
  });

  it('fails a compression bomb with a transport error, not an out-of-memory runner', async () => {
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20), { level: 1 });
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(bomb);
    });
    const transport = createHttpTransport('test/1', 5000);
    try {
      // The outcome, not the 16 MiB body: were the cap gone, the test must fail at once
      // on the body's length, not hang while vitest formats the body for its diff.
      const outcome = await transport.send({ method: 'GET', url, headers: {} }, 5000).then(
        (response) => ({ resolvedWithBodyOfLength: response.body.length }),
        (error: unknown) => error,
      );
      expect(outcome).toMatchObject({
        kind: 'network',
        message: 'the response was larger than 4 MiB once decompressed (gzip)',
      });
    } finally {
      transport.dispose();
    }
  });
});
