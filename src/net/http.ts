/**
 * The HTTP transport: one `@actions/http-client` client per run, kept alive so
 * every call of the run shares one connection, that never follows a redirect,
 * never retries by itself (retries are ours: `retry.ts`), bounds each
 * request, connect to last body byte, by a timeout, reads at most
 * {@link MAX_BODY_BYTES} of a body (decoded too: `body.ts`), connects to IPv6
 * literals, and tells a kept-alive connection found dead apart from other resets.
 * Each failure is classified by what happened on the wire (`transport-error.ts`):
 * whether the connection was ever established, and for TLS whose certificate was seen.
 */
import * as http from 'node:http';
import type { Socket } from 'node:net';
import * as tls from 'node:tls';
import { HttpClient } from '@actions/http-client';
import type { RequestHandler } from '@actions/http-client/lib/interfaces';
import { getProxyUrl } from '@actions/http-client/lib/proxy';
import { ACCEPT_ENCODING, decodeBody, MAX_BODY_BYTES, readBody } from './body.ts';
import { classifyNetworkError, safeNames, TransportError, type WireFacts } from './transport-error.ts';
import { trustedContext } from './trust.ts';

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

/** What one request's connection did, as {@link WireFacts} (plus the socket, never printed). */
interface Wire extends WireFacts {
  socket?: Socket;
}

/** An agent as http-client makes them (Node's, or `tunnel`'s for a proxy): its options reach `tls.connect`. */
interface AnyAgent {
  options?: Record<string, unknown>;
  proxyOptions?: Record<string, unknown>;
  addRequest(...args: unknown[]): unknown;
}

/** The issuer of a peer certificate as `CN=…, O=…` (name characters only), if it has one. */
function issuerOf(socket: tls.TLSSocket): string | undefined {
  const issuer = socket.getPeerCertificate()?.issuer as Record<string, string | string[]> | undefined;
  if (!issuer) return undefined;
  const parts = ['CN', 'O', 'OU'].flatMap((key) => {
    const value = issuer[key];
    return value === undefined ? [] : [`${key}=${Array.isArray(value) ? value.join('+') : value}`];
  });
  return safeNames(parts.join(', '));
}

/** Records on `wire` when `socket` is established (TCP connected; for TLS, handshake done) and whose certificate it saw. */
function watchSocket(socket: Socket, wire: Wire, reused: boolean): void {
  wire.socket = socket;
  if (reused) {
    wire.established = true;
    return;
  }
  if (socket instanceof tls.TLSSocket) {
    // 'secure' comes before Node checks the certificate (and before a failed check destroys the socket).
    socket.prependListener('secure', () => (wire.issuer = issuerOf(socket)));
    socket.once('secureConnect', () => (wire.established = true));
  } else if (socket.connecting) {
    socket.once('connect', () => (wire.established = true));
  } else {
    wire.established = true;
  }
}

/**
 * Resolves after the event loop has polled for I/O once: a FIN or reset the
 * server already sent on an idle kept-alive connection is then seen, and that
 * connection is not reused. No wait on time.
 */
function nextPoll(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/**
 * True when the agent holds a connection: an idle kept-alive one, or the
 * previous request's, about to go back to the pool (the next request would reuse it).
 */
function hasConnection(agent: http.Agent): boolean {
  return [agent.freeSockets, agent.sockets].some((pool) =>
    Object.values(pool).some((sockets) => (sockets?.length ?? 0) > 0),
  );
}

/**
 * Creates the real transport over `@actions/http-client` (which also honours
 * `https_proxy`/`no_proxy`). `userAgent` is sent on every request;
 * `timeoutMs` (milliseconds) is the socket idle timeout, while each `send`
 * bounds its whole exchange by its own `timeoutMs`. `caCertificates` (PEM) are
 * trusted besides the default CAs by this transport only (`trust.ts`
 * `trustedContext`, given to its agents), direct and inside a proxy tunnel;
 * Node's CA list for the rest of the process is unchanged. Requests are sent one at
 * a time (the flows await each call), which is what lets the transport tie a
 * reused socket to the request it carries.
 */
export function createHttpTransport(
  userAgent: string,
  timeoutMs: number,
  caCertificates: readonly string[] = [],
): Transport {
  const secureContext = trustedContext(caCertificates);
  const client = new HttpClient(userAgent, [IPV6_LITERALS], {
    allowRedirects: false,
    allowRetries: false,
    maxRetries: 0,
    keepAlive: true,
    socketTimeout: timeoutMs,
  });
  /**
   * While a request is in flight: `reuse` when the agent gave it an idle
   * kept-alive socket; `wire`, what its connection did.
   */
  const inFlight: { reuse?: Reuse; wire: Wire } = { wire: {} };
  const watched = new WeakSet<object>();
  /**
   * Every agent (Node's, or the tunnel agent with a proxy) gets the
   * transport's trust and reports the socket each request gets; the direct
   * agent (the tunnel agent never keeps a connection idle) also reports when it
   * hands out an idle socket (`agent.reuseSocket`, Node's documented hook for this).
   * @returns the direct agent, or undefined through a proxy.
   */
  function watch(url: string): http.Agent | undefined {
    const agent = client.getAgent(url) as unknown as AnyAgent;
    if (!watched.has(agent)) {
      watched.add(agent);
      if (secureContext) {
        agent.options = { ...agent.options, secureContext };
        // An https:// proxy's own TLS connection trusts the same CAs.
        if (agent.proxyOptions) agent.proxyOptions.secureContext = secureContext;
      }
      const addRequest = agent.addRequest.bind(agent);
      agent.addRequest = (...args: unknown[]) => {
        const wire = inFlight.wire;
        const reused = (): boolean => inFlight.reuse !== undefined;
        (args[0] as http.ClientRequest).once('socket', (socket) => watchSocket(socket, wire, reused()));
        return addRequest(...args);
      };
      if (agent instanceof http.Agent) {
        const original = agent.reuseSocket.bind(agent);
        agent.reuseSocket = (socket, req) => {
          inFlight.reuse = { socket: socket as Socket, bytesRead: (socket as Socket).bytesRead };
          original(socket, req);
        };
      }
    }
    return agent instanceof http.Agent ? agent : undefined;
  }
  return {
    async send(request: HttpRequest, limitMs: number): Promise<HttpResponse> {
      const proxyUrl = getProxyUrl(new URL(request.url));
      // host:port of the proxy, never its credentials.
      const proxy = proxyUrl?.hostname
        ? `${proxyUrl.hostname}:${proxyUrl.port || (proxyUrl.protocol === 'https:' ? 443 : 80)}`
        : undefined;
      const agent = watch(request.url);
      // The server may have closed the idle connection (e.g. right after the previous
      // answer): let that be seen, so the request goes on a new connection instead.
      if (agent && hasConnection(agent)) {
        await nextPoll();
        dropClosedSockets(agent);
      }
      inFlight.reuse = undefined;
      const wire: Wire = { established: false };
      inFlight.wire = wire;
      let timer: NodeJS.Timeout | undefined;
      // Once the deadline passes, the response (if any) is destroyed, so a body
      // that never ends stops being read while the next attempt runs.
      let expired = false;
      let message: http.IncomingMessage | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          expired = true;
          message?.destroy();
          if (wire.established === true) {
            reject(new TransportError('timeout', `no response within ${limitMs / 1000} s`));
            return;
          }
          // Never connected (SYNs unanswered, or a TLS handshake that never finished): nothing was sent.
          wire.socket?.destroy();
          reject(
            new TransportError('refused', `no connection within ${limitMs / 1000} s (connect timeout)`, 'ETIMEDOUT'),
          );
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
          // A write that failed on a reused socket: not one byte of this request went out.
          const unwritten = reuse !== undefined && (error as { syscall?: unknown }).syscall === 'write';
          throw classifyNetworkError(error, proxy, stale, { ...wire, unwritten });
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

/** Closes the agent's idle sockets the server has closed or reset (FIN or RST seen), so none is reused. */
function dropClosedSockets(agent: http.Agent): void {
  for (const sockets of Object.values(agent.freeSockets))
    for (const socket of sockets ?? []) if (socket.readableEnded || socket.destroyed) socket.destroy();
}

/** Closes the agent's idle sockets, so the next request opens a fresh connection. */
function dropIdleSockets(agent: http.Agent): void {
  for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
}
