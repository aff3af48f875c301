/**
 * Loopback hosts: the only hosts a request may reach over plain http://, since what it carries
 * (a secret input, the runner's request token) then never leaves the machine.
 */

/** An IPv4 literal in 127.0.0.0/8 (RFC 1122 §3.2.1.3), each octet decimal 0–255 as `URL` writes it. */
const LOOPBACK_IPV4 = /^127(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/u;

/**
 * True for a host name that is a loopback address: an IPv4 literal in 127.0.0.0/8, the IPv6
 * loopback `::1` (as `URL.hostname` writes it, `[::1]`, or bare), or `localhost` (RFC 6761 §6.3).
 * A name that only starts with `127.` or `localhost` (`127.evil.example`, `127.0.0.1.nip.io`,
 * `localhost.evil.example`) is resolved by DNS to any address: false.
 * @param hostname a URL's `hostname` (WHATWG `URL` has already turned `127.1` or `0x7f.0.0.1`
 * into `127.0.0.1`, and `[0:0::1]` into `[::1]`).
 */
export function isLoopback(hostname: string): boolean {
  return (
    hostname.toLowerCase() === 'localhost' || hostname === '[::1]' || hostname === '::1' || LOOPBACK_IPV4.test(hostname)
  );
}
