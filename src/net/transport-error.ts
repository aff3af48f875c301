/**
 * Why a request got no usable response, as facts the retry policy and the
 * error advice (`client/network-advice.ts`) act on. Built from Node's and the
 * proxy tunnel's errors without keeping the original object (which can carry
 * request headers).
 */

/**
 * - `refused`: the connection was never made (ECONNREFUSED, DNS failure), so
 *   the server provably never saw the request;
 * - `timeout`: no full response within the timeout;
 * - `reset`: the connection dropped after it was made (the server may have acted);
 * - `stale`: a kept-alive connection that had been idle was found dead when
 *   reused: reset before a single byte of a response arrived (a NAT or load
 *   balancer forgot it, or the server closed it as the request left);
 * - `tls`: the TLS handshake failed (a certificate check, or no TLS at all): permanent;
 * - `proxy`: the proxy refused the tunnel (`proxyStatus`) or could not be reached (`code`);
 *   the platform never saw the request;
 * - `network`: any other failure, including a body too large or not decodable.
 */
export type TransportFailure = 'refused' | 'timeout' | 'reset' | 'stale' | 'tls' | 'proxy' | 'network';

/** More facts about a failure, all safe to print (no header, body or credential). */
export interface TransportErrorDetails {
  /** For `tls` with ERR_TLS_CERT_ALTNAME_INVALID: the names the certificate is for (`DNS:a, IP Address:b`). */
  certificateNames?: string;
  /** For `proxy`: the proxy as `host:port`, never its credentials. */
  proxy?: string;
  /** For `proxy`: the HTTP status the proxy answered to CONNECT. */
  proxyStatus?: number;
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

/** Only the characters a certificate's DNS names and IP addresses use: server text stays inert. */
function safeNames(text: unknown): string | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const safe = text.replace(/[^A-Za-z0-9.*:, _-]/gu, '?');
  return safe.length > 160 ? `${safe.slice(0, 159)}…` : safe;
}

/**
 * Maps a Node/http-client error to a {@link TransportError}.
 * @param proxy the proxy the request went through, `host:port` without credentials, if any.
 * @param stale true when the request reused an idle kept-alive connection and not one byte of a response arrived on it.
 */
export function classifyNetworkError(error: unknown, proxy?: string, stale = false): TransportError {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
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
  const reset = (code !== undefined && RESET.has(code)) || /socket hang up/iu.test(message);
  if (reset && stale) {
    return new TransportError(
      'stale',
      `the connection was reset before any byte of a response (${code ?? 'ECONNRESET'} on a kept-alive connection reused after being idle)`,
      code ?? 'ECONNRESET',
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
