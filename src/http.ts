/**
 * The HTTP transport: one `@actions/http-client` client per run, kept alive so
 * every call of the run shares one connection, that never follows a redirect,
 * never retries by itself (retries are ours: `retry.ts`), bounds each
 * request, connect to last body byte, by a timeout, and reads at most
 * {@link MAX_BODY_BYTES} of a body.
 */
import type { IncomingMessage } from 'node:http';
import { HttpClient } from '@actions/http-client';

/** One request. `body` is sent as is (already JSON- or form-encoded). */
export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** One response, body read in full as UTF-8 text. Header names are lower case. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Why a request got no response:
 * - `refused`: the connection was never made (ECONNREFUSED, DNS failure), so
 *   the server provably never saw the request;
 * - `timeout`: no full response within the timeout;
 * - `reset`: the connection dropped after it was made (the server may have acted);
 * - `network`: any other transport failure (TLS, proxy…).
 */
export type TransportFailure = 'refused' | 'timeout' | 'reset' | 'network';

/** A request that got no HTTP response. Its message holds no body or header. */
export class TransportError extends Error {
  readonly kind: TransportFailure;
  readonly code: string | undefined;
  constructor(kind: TransportFailure, message: string, code?: string) {
    super(message);
    this.name = 'TransportError';
    this.kind = kind;
    this.code = code;
  }
}

/** Sends requests; `dispose` closes the kept-alive connection so Node can exit. */
export interface Transport {
  /**
   * Sends one request, bounded connect to last body byte by `timeoutMs`
   * (milliseconds); resolves with any HTTP status; rejects with {@link TransportError} only.
   */
  send(request: HttpRequest, timeoutMs: number): Promise<HttpResponse>;
  dispose(): void;
}

const REFUSED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'ENETUNREACH', 'EHOSTUNREACH']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/** Maps a Node/http-client error to a {@link TransportError} (never keeps the original object). */
function classifyNetworkError(error: unknown): TransportError {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && REFUSED.has(code)) return new TransportError('refused', `could not connect (${code})`, code);
  if (code !== undefined && RESET.has(code)) return new TransportError('reset', `the connection was reset (${code})`, code);
  if (/socket hang up/iu.test(message)) return new TransportError('reset', 'the connection was closed before a response (socket hang up)', code);
  if (/timeout/iu.test(message) || code === 'ETIMEDOUT') return new TransportError('timeout', 'no response in time', code);
  return new TransportError('network', `network error${code ? ` (${code})` : ''}`, code);
}

/**
 * Most bytes of a response body read. The platform's answers are a few
 * kilobytes; a longer body fails the request (and its connection is closed),
 * so a hostile or broken server cannot fill the runner's memory.
 */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Reads a response body as UTF-8. Rejects with a {@link TransportError}:
 * `reset` when the connection closes before the body is complete, `network`
 * when the body is longer than `maxBytes` (the response is then destroyed).
 */
export function readBody(message: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cut = (): TransportError => new TransportError('reset', 'the connection was closed before the whole response arrived');
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      reject(new TransportError('network', `the response was larger than ${maxBytes / (1024 * 1024)} MiB`));
      message.destroy();
    });
    message.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    message.on('error', () => reject(cut()));
    // After 'end' this changes nothing; before it, the body was cut off.
    message.on('close', () => {
      if (!message.complete) reject(cut());
    });
    if (message.destroyed && !message.complete) reject(cut());
  });
}

/**
 * Creates the real transport over `@actions/http-client` (which also honours
 * `https_proxy`/`no_proxy`). `userAgent` is sent on every request;
 * `timeoutMs` (milliseconds) is the socket idle timeout, while each `send`
 * bounds its whole exchange by its own `timeoutMs`.
 */
export function createHttpTransport(userAgent: string, timeoutMs: number): Transport {
  const client = new HttpClient(userAgent, [], {
    allowRedirects: false,
    allowRetries: false,
    maxRetries: 0,
    keepAlive: true,
    socketTimeout: timeoutMs,
  });
  return {
    async send(request: HttpRequest, limitMs: number): Promise<HttpResponse> {
      let timer: NodeJS.Timeout | undefined;
      // Once the deadline passes, the response (if any) is destroyed, so a body
      // that never ends stops being read while the next attempt runs.
      let expired = false;
      let message: IncomingMessage | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          expired = true;
          message?.destroy();
          reject(new TransportError('timeout', `no response within ${limitMs / 1000} s`));
        }, limitMs);
      });
      const exchange = (async (): Promise<HttpResponse> => {
        let response;
        try {
          response = await client.request(request.method, request.url, request.body ?? null, request.headers);
        } catch (error) {
          throw classifyNetworkError(error);
        }
        message = response.message;
        if (expired) message.destroy();
        // Not http-client's readBody: it never settles when the connection drops
        // mid-body, and it keeps whatever a server sends.
        const body = await readBody(message, MAX_BODY_BYTES);
        return { status: message.statusCode ?? 0, headers: message.headers, body };
      })();
      try {
        return await Promise.race([exchange, deadline]);
      } finally {
        clearTimeout(timer);
        exchange.catch(() => undefined);
      }
    },
    dispose(): void {
      client.dispose();
    },
  };
}
