/**
 * Reading a response body: bounded in size on the wire and once decoded, and
 * decoded when a server or gateway compressed it although the action asked
 * for `identity` (RFC 9110 §8.4 Content-Encoding, §12.5.3 Accept-Encoding).
 */
import type { IncomingMessage } from 'node:http';
import type { ZlibOptions } from 'node:zlib';
import { TransportError } from './transport-error.ts';

/**
 * What the action says it accepts (`Accept-Encoding`): no compression. The
 * platform's answers are a few kilobytes, and they carry secrets next to text
 * the request chose (the registration name): compressing the two together is
 * what BREACH-style attacks measure. Answers compressed anyway are decoded.
 */
export const ACCEPT_ENCODING = 'identity';

/**
 * Most bytes of a response body, on the wire and again once decoded. The
 * platform's answers are a few kilobytes; a longer body fails the request
 * (and its connection is closed), so a hostile or broken server cannot fill
 * the runner's memory, neither by size nor by a compression bomb.
 */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Reads a response body as bytes. Rejects with a {@link TransportError}:
 * `reset` when the connection closes before the body is complete, `network`
 * when the body is longer than `maxBytes` (the response is then destroyed).
 */
export function readBody(message: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cut = (): TransportError =>
      new TransportError('reset', 'the connection was closed before the whole response arrived');
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      reject(tooLarge(maxBytes, ''));
      message.destroy();
    });
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', () => reject(cut()));
    // After 'end' this changes nothing; before it, the body was cut off.
    message.on('close', () => {
      if (!message.complete) reject(cut());
    });
    if (message.destroyed && !message.complete) reject(cut());
  });
}

type Decoder = (data: Buffer, options: ZlibOptions) => Buffer;

/**
 * node:zlib, loaded on the first compressed answer only: the action asks for
 * none (`Accept-Encoding: identity`), and loading it costs every run a few
 * milliseconds (`npm run bench`).
 */
const zlib = (): typeof import('node:zlib') => process.getBuiltinModule('node:zlib');

/** `deflate` is the zlib format (RFC 9110 §8.4.1.2), but some servers send raw DEFLATE: both are read. */
const inflateEither: Decoder = (data, options) => {
  try {
    return zlib().inflateSync(data, options);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw error;
    return zlib().inflateRawSync(data, options);
  }
};

const gunzip: Decoder = (data, options) => zlib().gunzipSync(data, options);

const DECODERS: Record<string, Decoder> = {
  gzip: gunzip,
  'x-gzip': gunzip,
  deflate: inflateEither,
  br: (data, options) => zlib().brotliDecompressSync(data, options),
};

/**
 * Failure codes of a body that will be the same on every attempt (so not worth
 * sending the request again): longer than the limit, or compressed in a way the
 * action does not read.
 */
export const DETERMINISTIC_BODY_FAILURES: ReadonlySet<string> = new Set(['ERR_BODY_TOO_LARGE', 'ERR_CONTENT_ENCODING']);

/**
 * Decodes `body` as its `Content-Encoding` says (`identity` and none leave it
 * as is) and returns it as UTF-8 text. At most one coding is accepted: the
 * action asks for none, and a coding listed thousands of times would decode in
 * one blocking step of seconds, beyond the request's timeout and deaf to a
 * cancel. The decoded size is bounded by `maxBytes`: decoding stops there.
 * @throws TransportError (`network`) for an unknown coding, more than one
 * coding, data that does not decode, or a decoded body longer than `maxBytes`.
 */
export function decodeBody(body: Buffer, contentEncoding: string | string[] | undefined, maxBytes: number): string {
  const header = Array.isArray(contentEncoding) ? contentEncoding.join(',') : (contentEncoding ?? '');
  const codings = header
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length > 1) {
    throw new TransportError(
      'network',
      `a response with ${codings.length > 99 ? 'more than 99' : codings.length} content codings stacked (Content-Encoding; the action decodes at most one)`,
      'ERR_CONTENT_ENCODING',
    );
  }
  let data = body;
  for (const coding of codings) {
    const decode = Object.hasOwn(DECODERS, coding) ? DECODERS[coding] : undefined;
    if (decode === undefined) {
      throw new TransportError(
        'network',
        `the response is compressed as "${coding.replace(/[^a-z0-9.-]/gu, '?').slice(0, 40)}", which the action cannot read`,
        'ERR_CONTENT_ENCODING',
      );
    }
    try {
      data = decode(data, { maxOutputLength: maxBytes });
    } catch (error) {
      if (
        (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ||
        (error as { code?: string }).code === 'ERR_OUT_OF_RANGE'
      ) {
        throw tooLarge(maxBytes, coding);
      }
      throw new TransportError(
        'network',
        `the ${coding}-compressed response does not decompress (truncated or corrupt)`,
        'ERR_CONTENT_DECODING',
      );
    }
  }
  return data.toString('utf8');
}

function tooLarge(maxBytes: number, coding: string): TransportError {
  const decoded = coding === '' ? '' : ` once decompressed (${coding})`;
  return new TransportError(
    'network',
    `the response was larger than ${maxBytes / (1024 * 1024)} MiB${decoded}`,
    'ERR_BODY_TOO_LARGE',
  );
}
