/**
 * TLS trust: finding PEM blocks in text, and adding CA certificates to the
 * trust of every request of the run (direct or through a proxy tunnel).
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
 * Adds `certificates` (PEM) to Node's default CA list for the rest of the
 * process: every TLS connection made after this, direct or through a proxy
 * tunnel, trusts them as well as the CAs it trusted before (Node's bundled
 * list, and NODE_EXTRA_CA_CERTS / NODE_USE_SYSTEM_CA if set). Node ≥ 22.19/24.5
 * (`tls.setDefaultCACertificates`); the action runs on node24.
 */
export function trustCaCertificates(certificates: readonly string[]): void {
  if (certificates.length === 0) return;
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), ...certificates]);
}
