/**
 * The runner's proxy setting as the HTTP client (`@actions/http-client` 4)
 * reads it for the platform's https:// URLs: `https_proxy`, else
 * `HTTPS_PROXY`. Some values it drops without a word and connects directly,
 * where curl would use them; the run warns about those instead.
 */
import type { Env } from './env.ts';

/** `text` as a URL, or undefined when it does not parse. */
function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** True when `part` (a URL's user name or password) cannot be percent-decoded. */
function undecodable(part: string): boolean {
  try {
    decodeURIComponent(part);
    return false;
  } catch {
    return true;
  }
}

/**
 * The warning for an `https_proxy` (or `HTTPS_PROXY`) in `env` that the HTTP
 * client ignores, so that requests to `baseUrl` go directly to the platform;
 * undefined when there is none, it is used, or `baseUrl` is a loopback host
 * (which the client never sends through a proxy). Two kinds are ignored: a
 * value without a scheme whose host is a name (`proxy.corp:3128`: the URL
 * parser reads `proxy.corp:` as the scheme, so there is no host; an IP address
 * works), and a user name or password with a `%` not followed by two hex
 * digits (decoding it throws, and the whole value is dropped). The warning
 * names the variable and the proxy's `host:port`, never its credentials.
 */
export function ignoredProxyWarning(env: Env, baseUrl: string): string | undefined {
  const name = env['https_proxy'] ? 'https_proxy' : env['HTTPS_PROXY'] ? 'HTTPS_PROXY' : undefined;
  const value = name === undefined ? undefined : env[name];
  const platform = parseUrl(baseUrl)?.hostname.toLowerCase() ?? '';
  // The hosts http-client never proxies (its isLoopbackAddress): `localhost` exactly, `127.*`, `[::1]`.
  if (name === undefined || value === undefined || /^(?:localhost$|127\.|\[::1\])/u.test(platform)) return undefined;
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//iu.test(value);
  const proxy = parseUrl(hasScheme ? value : `http://${value}`);
  if (proxy === undefined) return undefined;
  const ignored = `${name} (${proxy.host}) is ignored by the HTTP client, so every request goes directly to the platform, not through the proxy`;
  if (!hasScheme && parseUrl(value)?.hostname === '') {
    return `${ignored}: it has no scheme, and its first part is read as one. Write it as http://${proxy.host} (with credentials: http://user:password@${proxy.host})`;
  }
  if (undecodable(proxy.username) || undecodable(proxy.password)) {
    return `${ignored}: its user name or password has a % that does not start a %XX escape. Write each % in the credentials as %25`;
  }
  return undefined;
}
