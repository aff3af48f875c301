/**
 * Why a request got no usable response, as facts the retry policy and the
 * error advice (`client/network-advice.ts`) act on. Built from Node's and the
 * proxy tunnel's errors without keeping the original object (which can carry
 * request headers).
 */
import * as http from 'node:http';

/**
 * - `refused`: the connection was never made (ECONNREFUSED, DNS failure, no
 *   answer to the connection attempt in time, a TLS handshake that never
 *   finished), so the server provably never saw the request;
 * - `timeout`: no full response within the timeout;
 * - `reset`: the connection dropped after it was made (the server may have acted);
 * - `stale`: a kept-alive connection that had been idle was found dead when
 *   reused: reset before a single byte of a response arrived (a NAT or load
 *   balancer forgot it, or the server closed it as the request left);
 * - `tls`: the TLS handshake failed (a certificate check, a certificate Node
 *   refuses as too weak, or no TLS at all): permanent, and nothing was sent;
 *   a TLS failure after the request was written is a `reset` (the stream broke);
 * - `proxy`: the proxy refused the tunnel (`proxyStatus`) or could not be reached (`code`);
 *   the platform never saw the request;
 * - `network`: any other failure, including a body too large or not decodable,
 *   and response headers over Node's limit (`deterministic`).
 */
export type TransportFailure = 'refused' | 'timeout' | 'reset' | 'stale' | 'tls' | 'proxy' | 'network';

/**
 * What the transport saw on the wire for the failed request; each fact unknown
 * (undefined) unless the transport saw it. All are about this request's connection.
 */
export interface WireFacts {
  /**
   * The connection was established: TCP connected and, for https, the TLS
   * handshake done (a reused kept-alive connection always was). False: no byte
   * of the request can have reached the server.
   */
  established?: boolean;
  /**
   * The request went out on an idle kept-alive connection taken from the pool,
   * and the failure came from writing it (EPIPE, ECONNRESET on write): not one
   * byte of it was written.
   */
  unwritten?: boolean;
  /** The issuer of the certificate the server (or a proxy in its place) presented: `CN=…, O=…`, name characters only. */
  issuer?: string;
}

/** More facts about a failure, all safe to print (no header, body or credential). */
export interface TransportErrorDetails {
  /** For `tls` with ERR_TLS_CERT_ALTNAME_INVALID: the names the certificate is for (`DNS:a, IP Address:b`). */
  certificateNames?: string;
  /** For `proxy`: the proxy as `host:port`, never its credentials. */
  proxy?: string;
  /** For `proxy`: the HTTP status the proxy answered to CONNECT. */
  proxyStatus?: number;
  /** For `tls`: the issuer of the certificate the runner saw ({@link WireFacts.issuer}). */
  issuer?: string;
  /** For `tls` refused by Node as too weak (code `UNSPECIFIED`): OpenSSL's reason, name characters only. */
  weakness?: string;
  /** The same request would fail the same way (e.g. response headers over Node's limit): never retried. */
  deterministic?: boolean;
  /**
   * Whether any byte of the request may have reached the server. Default by
   * kind: false for `refused`, `proxy` and `tls` (nothing sent), true otherwise.
   */
  reached?: boolean;
}

/** A request that got no usable HTTP response. Its message holds no body or header. */
export class TransportError extends Error {
  readonly kind: TransportFailure;
  /** Node's or OpenSSL's error code (`ECONNRESET`, `CERT_HAS_EXPIRED`, …). */
  readonly code: string | undefined;
  readonly details: TransportErrorDetails;
  constructor(kind: TransportFailure, message: string, code?: string, details: TransportErrorDetails = {}) {
    super(message);
    this.name = 'TransportError';
    this.kind = kind;
    this.code = code;
    this.details = details;
  }

  /** True when some of the request may have reached the server (so the server may have acted on it). */
  get reached(): boolean {
    return this.details.reached ?? !(this.kind === 'refused' || this.kind === 'proxy' || this.kind === 'tls');
  }
}

const REFUSED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'ENETUNREACH', 'EHOSTUNREACH']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
/** OpenSSL's words when the other end does not speak TLS (an http:// port, or another protocol). */
const NOT_TLS = /wrong version number|packet length too long|unknown protocol|http request|record layer failure/iu;
/** OpenSSL certificate-verification codes and Node's TLS codes. */
const TLS_CODE =
  /CERT|SELF_SIGNED|UNABLE_TO_(?:VERIFY|GET|DECRYPT|DECODE)|^ERR_TLS|^ERR_SSL|HOSTNAME_MISMATCH|^INVALID_CA|^PATH_LENGTH/u;
/** The errors `tunnel` (the http-client's HTTPS-over-proxy agent) raises when CONNECT fails. */
const TUNNEL = /^tunneling socket could not be established, (?:statusCode=(\d+)|cause=(.*))$/su;

/** OpenSSL's words for a certificate or key below the security level (Node reports code `UNSPECIFIED` for some). */
const TOO_WEAK = /too weak|too small/iu;

/**
 * Only the characters a certificate's DNS names, IP addresses and distinguished
 * names use, at most 160: server text stays inert.
 */
export function safeNames(text: unknown): string | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const safe = text.replace(/[^A-Za-z0-9.*:,= _-]/gu, '?');
  return safe.length > 160 ? `${safe.slice(0, 159)}…` : safe;
}

/** The failure of a connection that was never established: nothing was sent. */
function unestablished(code: string | undefined, message: string): TransportError {
  if (code === 'ETIMEDOUT' || /timeout/iu.test(message))
    return new TransportError('refused', 'no connection in time (connect timeout)', 'ETIMEDOUT');
  return new TransportError(
    'refused',
    `the connection closed before it was established (${code ?? 'socket hang up'})`,
    code ?? 'ECONNRESET',
  );
}

/**
 * Maps a Node/http-client error to a {@link TransportError}, by what happened
 * on the wire where `wire` says so: a connection never established sent
 * nothing (`refused`, whatever the error); a TLS error after the handshake broke
 * the stream of a request that was sent (`reset`).
 * @param proxy the proxy the request went through, `host:port` without credentials, if any.
 * @param stale true when the request reused an idle kept-alive connection and not one byte of a response arrived on it.
 * @param wire what the transport saw of this request's connection ({@link WireFacts}).
 */
export function classifyNetworkError(
  error: unknown,
  proxy?: string,
  stale = false,
  wire: WireFacts = {},
): TransportError {
  const failure = classifyError(error, proxy, stale, wire);
  if (failure.kind === 'tls' && proxy !== undefined) failure.details.proxy = proxy;
  if (failure.kind === 'tls' && wire.issuer !== undefined) failure.details.issuer = wire.issuer;
  return failure;
}

function classifyError(error: unknown, proxy: string | undefined, stale: boolean, wire: WireFacts): TransportError {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new TransportError(
      'network',
      `the response headers are larger than Node's limit of ${http.maxHeaderSize} bytes (${code})`,
      code,
      { deterministic: true },
    );
  }
  const tunnel = TUNNEL.exec(message);
  if (proxy !== undefined && tunnel) {
    const status = tunnel[1] === undefined ? undefined : Number(tunnel[1]);
    const cause = /\b(E[A-Z_]+)\b/u.exec(tunnel[2] ?? '')?.[1];
    const what =
      status === undefined
        ? `could not reach the proxy ${proxy}${cause ? ` (${cause})` : ''}`
        : `the proxy ${proxy} answered HTTP ${status} to CONNECT`;
    return new TransportError('proxy', what, cause, { proxy, proxyStatus: status });
  }
  if (proxy !== undefined && /illegal response body from proxy/u.test(message)) {
    return new TransportError('proxy', `the proxy ${proxy} sent data before the tunnel was open`, code, { proxy });
  }
  const tlsError =
    code === 'EPROTO' ||
    code === 'UNSPECIFIED' ||
    (code !== undefined && TLS_CODE.test(code)) ||
    TOO_WEAK.test(message);
  if (tlsError && wire.established === true && wire.unwritten !== true) {
    // The handshake was done (on a reused connection, long ago) and the request written: something
    // broke the stream mid-answer, e.g. a middlebox. Its record failed, so `stale` says nothing here.
    return new TransportError(
      'reset',
      `the connection was reset: its TLS stream broke after the request was sent (${code ?? 'TLS'})`,
      code,
      {
        reached: true,
      },
    );
  }
  if (code === 'UNSPECIFIED' || (code !== undefined && TOO_WEAK.test(code)) || TOO_WEAK.test(message)) {
    const weakness = safeNames(message.split('\n')[0]?.slice(0, 120)) ?? 'too weak';
    return new TransportError(
      'tls',
      `the certificate was refused by Node as too weak (${weakness})`,
      code ?? 'UNSPECIFIED',
      {
        weakness,
      },
    );
  }
  if (code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    const notTls = code === 'ERR_SSL_WRONG_VERSION_NUMBER' || NOT_TLS.test(message);
    return new TransportError(
      'tls',
      notTls ? 'the server did not answer in TLS' : 'the TLS handshake failed',
      notTls ? 'ERR_SSL_WRONG_VERSION_NUMBER' : code,
    );
  }
  if (code !== undefined && TLS_CODE.test(code)) {
    const names = safeNames((error as { cert?: { subjectaltname?: unknown } }).cert?.subjectaltname);
    return new TransportError(
      'tls',
      `the certificate check failed (${code})`,
      code,
      names === undefined ? {} : { certificateNames: names },
    );
  }
  if (code !== undefined && REFUSED.has(code))
    return new TransportError('refused', `could not connect (${code})`, code);
  if (wire.established === false) return unestablished(code, message);
  const reset = (code !== undefined && RESET.has(code)) || /socket hang up/iu.test(message);
  if (reset && stale) {
    return new TransportError(
      'stale',
      `the connection was reset before any byte of a response (${code ?? 'ECONNRESET'} on a kept-alive connection reused after being idle${wire.unwritten === true ? ', before any byte of the request was written' : ''})`,
      code ?? 'ECONNRESET',
      wire.unwritten === true ? { reached: false } : {},
    );
  }
  if (code !== undefined && RESET.has(code))
    return new TransportError('reset', `the connection was reset (${code})`, code);
  if (/socket hang up/iu.test(message))
    return new TransportError('reset', 'the connection was closed before a response (socket hang up)', code);
  if (/timeout/iu.test(message) || code === 'ETIMEDOUT')
    return new TransportError('timeout', 'no response in time', code);
  return new TransportError('network', `network error${code ? ` (${code})` : ''}`, code);
}
