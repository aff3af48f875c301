/**
 * What a failure with no HTTP response means and what to do about it: the
 * retry decision and the words of the `::error::` for each {@link TransportError}
 * kind. TLS codes are OpenSSL's verification codes and Node's
 * (`X509_V_ERR_*` without the prefix, `ERR_TLS_CERT_ALTNAME_INVALID`).
 */
import { DETERMINISTIC_BODY_FAILURES } from '../net/body.ts';
import type { TransportError } from '../net/http.ts';

/** What failed, for whom, and the fix; both one clause, no trailing period. */
export interface Advice {
  what: string;
  fix: string;
}

/** How to trust a private CA: the ca-certificate input, never checks turned off. */
const TRUST_FIX =
  'if the platform uses a private or corporate CA, pass its root certificate (PEM text, or a file in the repository) in the ca-certificate input; never turn certificate checks off';

/** Per OpenSSL/Node code: which check failed, and its fix when it is not {@link TRUST_FIX}. */
const TLS_CHECKS: Record<string, { check: string; fix?: string }> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: { check: 'is self-signed and not trusted' },
  SELF_SIGNED_CERT_IN_CHAIN: { check: 'ends in a root CA the runner does not trust' },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: { check: 'is issued by a CA the runner does not trust' },
  UNABLE_TO_GET_ISSUER_CERT: { check: 'is issued by a CA the runner does not trust' },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
    check: 'cannot be traced to a trusted CA (the server may not send its intermediate certificate)',
    fix: "have the server send its full chain, or pass the issuing CA's certificates (PEM text, or a file in the repository) in the ca-certificate input",
  },
  CERT_HAS_EXPIRED: {
    check: 'has expired',
    fix: "have the platform's administrators renew the certificate; if it is valid, check the runner's clock",
  },
  CERT_NOT_YET_VALID: { check: 'is not valid yet', fix: "check the runner's clock, or have the certificate reissued" },
  CERT_REVOKED: { check: 'has been revoked', fix: "have the platform's administrators replace the certificate" },
  ERR_TLS_CERT_ALTNAME_INVALID: {
    check: '',
    fix: 'set base-url to a host name the certificate is for, or have the certificate reissued for this name',
  },
};

/**
 * True when another attempt may help: a connection that was never made or a
 * tunnel the proxy never opened (the platform never saw the request, so even
 * creating a registration may be sent again), or any other passing failure of
 * an idempotent call. Certificate and protocol failures, a proxy that
 * refuses (407, 403), a body too large or compressed unreadably, and response
 * headers over Node's limit are permanent. A request of which not one byte was
 * written (a connect timeout, a reused connection that failed on the first
 * write) may be sent again even when it creates something.
 */
export function mayRetry(failure: TransportError, idempotent: boolean): boolean {
  // A body too large or compressed in a way the action cannot read, or headers over Node's
  // limit (`deterministic`): the same again on every attempt.
  if (failure.details.deterministic === true) return false;
  if (failure.code !== undefined && DETERMINISTIC_BODY_FAILURES.has(failure.code)) return false;
  switch (failure.kind) {
    case 'tls':
      return false;
    case 'proxy': {
      const status = failure.details.proxyStatus;
      return status === undefined || status === 502 || status === 503 || status === 504;
    }
    case 'refused':
      return true;
    default:
      return idempotent || !failure.reached;
  }
}

/**
 * The words of a failure that got no HTTP response from `host` (`host:port`
 * as in base-url). `timeoutMs` is the per-request limit in milliseconds.
 */
export function adviseTransportFailure(
  failure: TransportError,
  host: string,
  timeoutMs: number,
  target: { name: string; urlSetting: string } = { name: 'the platform', urlSetting: 'base-url' },
): Advice {
  const advice = adviseFor(failure, host, timeoutMs);
  if (target.name === 'the platform' && target.urlSetting === 'base-url') return advice;
  // The words are written for the platform: another server gets its own name and URL input.
  const retarget = (text: string): string =>
    text.replace(/base-url \(or region\)|base-url/gu, target.urlSetting).replace(/the platform/gu, target.name);
  return { what: retarget(advice.what), fix: retarget(advice.fix) };
}

function adviseFor(failure: TransportError, host: string, timeoutMs: number): Advice {
  switch (failure.kind) {
    case 'timeout':
      return {
        what: `no response from ${host} within the ${timeoutMs / 1000} s limit (timeout-seconds)`,
        fix: 'check that the platform is reachable from the runner, or raise timeout-seconds',
      };
    case 'refused':
      if (failure.code === 'ETIMEDOUT') {
        return {
          what: `could not connect to ${host}: no connection within the ${timeoutMs / 1000} s limit (connect timeout), so nothing was sent`,
          fix: "check base-url (or region), that no firewall drops the runner's connections to the platform, and the runner's proxy settings (https_proxy)",
        };
      }
      return {
        what: `could not connect to ${host} (${failure.code ?? 'refused'})`,
        fix: "check base-url (or region) and the runner's network and proxy settings",
      };
    case 'tls':
      return adviseTls(failure, host);
    case 'proxy':
      return adviseProxy(failure, host);
    default:
      if (failure.code === 'HPE_HEADER_OVERFLOW') {
        return {
          what: `${failure.message} from ${host}; the answer is the same on every attempt, so it was not retried`,
          fix: "check base-url and any proxy between the runner and the platform (too many or too large headers, often cookies); if the platform really sends them, raise Node's limit for the step with NODE_OPTIONS=--max-http-header-size=65536",
        };
      }
      return {
        what: `${failure.message} while talking to ${host}`,
        fix: 're-run the job; if it persists, check the network and any proxy between the runner and the platform',
      };
  }
}

/**
 * TLS advice; when an https_proxy was in force, the proxy and the issuer of the
 * certificate the runner saw are named (an intercepting proxy re-signs with its own CA).
 */
function adviseTls(failure: TransportError, host: string): Advice {
  const advice = adviseTlsCheck(failure, host);
  const { proxy, issuer } = failure.details;
  if (proxy === undefined || failure.code === 'ERR_SSL_WRONG_VERSION_NUMBER') return advice;
  return {
    what: `${advice.what}; the connection went through the proxy ${proxy} (https_proxy)${issuer ? ` and the certificate seen was issued by ${issuer}` : ''}`,
    fix: `if the proxy intercepts TLS it re-signs with its own CA: pass that CA's certificate in the ca-certificate input, or add the platform's host to no_proxy if it is reachable directly; otherwise ${advice.fix}`,
  };
}

function adviseTlsCheck(failure: TransportError, host: string): Advice {
  const code = failure.code ?? 'TLS';
  if (failure.details.weakness !== undefined) {
    return {
      what: `the certificate of ${host} was refused by Node as too weak ("${failure.details.weakness}", ${code})`,
      fix: "have the platform's administrators replace the certificate (Node 24 refuses RSA keys under 2048 bits and SHA-1 signatures); ca-certificate cannot make it acceptable",
    };
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return {
      what: `${host} answered in plain HTTP, not TLS (${code})`,
      fix: "check the port in base-url: it must be the platform's HTTPS port (a plain-HTTP port is refused for credentials)",
    };
  }
  const hostname = host.replace(/:\d+$/u, '');
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = failure.details.certificateNames;
    return {
      what: `the certificate of ${host} is not valid for ${hostname} (${code}${names ? `; it is for ${names}` : ''})`,
      fix: TLS_CHECKS[code]?.fix ?? TRUST_FIX,
    };
  }
  const known = Object.hasOwn(TLS_CHECKS, code) ? TLS_CHECKS[code] : undefined;
  if (known) return { what: `the certificate of ${host} ${known.check} (${code})`, fix: known.fix ?? TRUST_FIX };
  return { what: `the TLS connection to ${host} failed its checks (${code})`, fix: `check base-url; ${TRUST_FIX}` };
}

function adviseProxy(failure: TransportError, host: string): Advice {
  const proxy = failure.details.proxy ?? 'the proxy';
  const status = failure.details.proxyStatus;
  if (status === 407) {
    return {
      what: `the proxy ${proxy} refused to open a tunnel to ${host}: HTTP 407 Proxy Authentication Required`,
      fix: "give the proxy's credentials in the runner's https_proxy (http://user:password@host:port), or add the platform's host to no_proxy if it is reachable directly",
    };
  }
  if (status !== undefined) {
    return {
      what: `the proxy ${proxy} refused to open a tunnel to ${host}: HTTP ${status}`,
      fix: "ask the proxy's administrators to allow CONNECT to the platform's host and port, or add that host to no_proxy if it is reachable directly",
    };
  }
  return {
    what: `could not reach the proxy ${proxy} (${failure.code ?? 'no connection'}) on the way to ${host}`,
    fix: "check the runner's https_proxy setting (host and port of a running proxy), or add the platform's host to no_proxy",
  };
}
