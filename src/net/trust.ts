/**
 * TLS trust: finding PEM blocks in text, and the trust of one transport (the
 * default CAs plus the run's own) for every request of the run, direct or
 * through a proxy tunnel.
 * Verification is never turned off here.
 */
import * as tls from 'node:tls';

/**
 * The PEM blocks of `text` (RFC 7468 §2), in order: each `-----BEGIN <label>-----`
 * up to its matching `-----END <label>-----`. One pass over the text (a
 * BEGIN without its END is skipped), so no input can make it slow.
 */
export function pemBlocks(text: string): Array<{ label: string; pem: string }> {
  const blocks: Array<{ label: string; pem: string }> = [];
  let at = 0;
  for (;;) {
    const begin = text.indexOf('-----BEGIN ', at);
    if (begin === -1) return blocks;
    const label = /^-----BEGIN ([A-Z0-9 ]{1,64})-----/u.exec(text.slice(begin, begin + 80))?.[1];
    const next = text.indexOf('-----BEGIN ', begin + 11);
    // The END must come before the next BEGIN (else this block is broken): searched
    // in that stretch only, so each stretch of the text is read once.
    const offset =
      label === undefined ? -1 : text.slice(begin, next === -1 ? undefined : next).indexOf(`-----END ${label}-----`);
    const endMark = offset === -1 ? -1 : begin + offset;
    if (label === undefined || endMark === -1) {
      at = begin + 11;
      continue;
    }
    const end = endMark + `-----END ${label}-----`.length;
    blocks.push({ label, pem: text.slice(begin, end) });
    at = end;
  }
}

/**
 * The trust of one transport: a TLS secure context that trusts what Node
 * trusts by default (its bundled CAs, or OpenSSL's store under
 * `--use-openssl-ca`, the system store under `--use-system-ca`, and
 * NODE_EXTRA_CA_CERTS) plus `certificates` (PEM). Undefined when there is
 * nothing to add (Node's default trust holds). Nothing changes for the rest of
 * the process. The context is made without a `ca` option and the certificates
 * are then added to its own copy of the default store (`addCACert` of Node's
 * native context): a `ca` list, even one starting with
 * `tls.getCACertificates('default')`, would replace the store, and under
 * `--use-openssl-ca` that list lacks OpenSSL's CAs. Given to every TLS
 * connection of the transport, direct or inside a proxy tunnel (`http.ts`).
 */
export function trustedContext(certificates: readonly string[]): tls.SecureContext | undefined {
  if (certificates.length === 0) return undefined;
  const context = tls.createSecureContext();
  const native = context.context as { addCACert(pem: string): void };
  for (const pem of certificates) native.addCACert(pem);
  return context;
}
