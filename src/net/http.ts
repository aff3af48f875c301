/**
 * The HTTP transport: one `@actions/http-client` client per run, kept alive so
 * every call of the run shares one connection, that never follows a redirect,
 * never retries by itself (retries are ours: `retry.ts`), bounds each
 * request, connect to last body byte, by a timeout, reads at most
 * {@link MAX_BODY_BYTES} of a body (decoded too: `body.ts`), connects to IPv6
 * literals, and tells a kept-alive connection found dead apart from other resets.
 */
import * as http from 'node:http';
import type { Socket } from 'node:net';
import { HttpClient } from '@actions/http-client';
import type { RequestHandler } from '@actions/http-client/lib/interfaces';
import { getProxyUrl } from '@actions/http-client/lib/proxy';
import { ACCEPT_ENCODING, decodeBody, MAX_BODY_BYTES, readBody } from './body.ts';
import { classifyNetworkError, TransportError } from './transport-error.ts';
import { trustCaCertificates } from './trust.ts';

export { MAX_BODY_BYTES, readBody } from './body.ts';
export { TransportError, type TransportFailure } from './transport-error.ts';

/** One request. `body` is sent as is (already JSON- or form-encoded). */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** One response, body read in full (decoded when compressed) as UTF-8 text. Header names are lower case. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
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

/**
 * http-client 4.0.1 hands `URL.hostname` to the socket layer, brackets and
 * all (`[::1]`), which then fails DNS (ENOTFOUND). Without a proxy, this
 * handler gives Node the bare address; Node puts the brackets back in the
 * Host header. Through a proxy the brackets stay: the CONNECT target needs them.
 */
const IPV6_LITERALS: RequestHandler = {
  prepareRequest(options) {
    const host = options.host;
    if (typeof host === 'string' && host.startsWith('[') && host.endsWith(']') && options.agent instanceof http.Agent) {
      options.host = host.slice(1, -1);
    }
  },
  canHandleAuthentication: () => false,
  handleAuthentication: () => Promise.reject(new Error('not supported')),
};

/** The socket a request was given from the agent's idle pool, and how much it had read by then. */
interface Reuse {
  socket: Socket;
  bytesRead: number;
}

/**
 * Creates the real transport over `@actions/http-client` (which also honours
 * `https_proxy`/`no_proxy`). `userAgent` is sent on every request;
 * `timeoutMs` (milliseconds) is the socket idle timeout, while each `send`
 * bounds its whole exchange by its own `timeoutMs`. `caCertificates` (PEM) are
 * added to the process's default CAs (`trust.ts`), so they hold for the proxy
 * tunnel's TLS too. Requests are sent one at
 * a time (the flows await each call), which is what lets the transport tie a
 * reused socket to the request it carries.
 */
export function createHttpTransport(
  userAgent: string,
  timeoutMs: number,
  caCertificates: readonly string[] = [],
): Transport {
  trustCaCertificates(caCertificates);
  const client = new HttpClient(userAgent, [IPV6_LITERALS], {
    allowRedirects: false,
    allowRetries: false,
    maxRetries: 0,
    keepAlive: true,
    socketTimeout: timeoutMs,
  });
  /** `reuse` is set while a request is in flight, when the agent gave it an idle kept-alive socket. */
  const inFlight: { reuse?: Reuse } = {};
  const watched = new WeakSet<http.Agent>();
  /**
   * The direct agent (none with a proxy: the http-client's tunnel agent never
   * keeps a connection idle) reports when it hands out an idle socket
   * (`agent.reuseSocket`, Node's documented hook for this).
   */
  function watch(url: string): http.Agent | undefined {
    const agent = client.getAgent(url);
    if (!(agent instanceof http.Agent)) return undefined;
    if (!watched.has(agent)) {
      watched.add(agent);
      const original = agent.reuseSocket.bind(agent);
      agent.reuseSocket = (socket, req) => {
        inFlight.reuse = { socket: socket as Socket, bytesRead: (socket as Socket).bytesRead };
        original(socket, req);
      };
    }
    return agent;
  }
  return {
    async send(request: HttpRequest, limitMs: number): Promise<HttpResponse> {
      const proxyUrl = getProxyUrl(new URL(request.url));
      // host:port of the proxy, never its credentials.
      const proxy = proxyUrl?.hostname
        ? `${proxyUrl.hostname}:${proxyUrl.port || (proxyUrl.protocol === 'https:' ? 443 : 80)}`
        : undefined;
      const agent = watch(request.url);
      inFlight.reuse = undefined;
      let timer: NodeJS.Timeout | undefined;
      // Once the deadline passes, the response (if any) is destroyed, so a body
      // that never ends stops being read while the next attempt runs.
      let expired = false;
      let message: http.IncomingMessage | undefined;
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
          const headers = { 'accept-encoding': ACCEPT_ENCODING, ...request.headers };
          response = await client.request(request.method, request.url, request.body ?? null, headers);
        } catch (error) {
          // No response at all; on a reused socket that read nothing since, the connection was dead before we spoke.
          const { reuse } = inFlight;
          const stale = reuse !== undefined && reuse.socket.bytesRead === reuse.bytesRead;
          if (stale && agent) dropIdleSockets(agent);
          throw classifyNetworkError(error, proxy, stale);
        }
        message = response.message;
        if (expired) message.destroy();
        // Not http-client's readBody: it never settles when the connection drops
        // mid-body, and it keeps whatever a server sends.
        const raw = await readBody(message, MAX_BODY_BYTES);
        const body = decodeBody(raw, message.headers['content-encoding'], MAX_BODY_BYTES);
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

/** Closes the agent's idle sockets, so the next request opens a fresh connection. */
function dropIdleSockets(agent: http.Agent): void {
  for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
}
