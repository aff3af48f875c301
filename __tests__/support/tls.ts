/**
 * A throw-away TLS identity for the simulator on loopback: a self-signed
 * certificate for 127.0.0.1 and localhost, made at run time with `openssl`
 * (nothing is committed, least of all a private key). The action trusts it
 * through `NODE_EXTRA_CA_CERTS`, which Node reads at start-up, exactly as a
 * runner behind a TLS-inspecting proxy would trust its proxy's CA.
 * Written in erasable TypeScript so Node 24 runs it without a build step.
 *
 *   const tls = makeLoopbackCertificate();
 *   const sim = await PlatformSimulator.start({ tls });
 *   await runAction(inputs, { env: tls.env });
 *   tls.cleanup();
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoopbackCertificate {
  /** Private key (PEM), kept in memory only: its file is deleted at once. */
  key: string;
  /** Self-signed certificate (PEM) with subjectAltName IP:127.0.0.1, DNS:localhost and the extra names. */
  cert: string;
  /** Path of the certificate file, for `NODE_EXTRA_CA_CERTS`; valid until `cleanup`. */
  caFile: string;
  /** `{ NODE_EXTRA_CA_CERTS: caFile }`, to merge into a child's environment. */
  env: Record<string, string>;
  /** Deletes the temporary directory holding the certificate file. */
  cleanup(): void;
}

/** `openssl` binary: `$OPENSSL`, else the first on PATH. */
const OPENSSL = process.env['OPENSSL'] ?? 'openssl';

/**
 * Makes a fresh key pair (ECDSA P-256, as most public TLS front ends serve)
 * and a self-signed certificate valid for one day for 127.0.0.1, localhost
 * and `names` (extra DNS names, e.g. a platform host reached through a proxy).
 * @throws when `openssl` is missing or fails (its stderr is in the message).
 */
export function makeLoopbackCertificate(names: readonly string[] = []): LoopbackCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'sim-tls-'));
  const keyFile = join(dir, 'key.pem');
  const caFile = join(dir, 'cert.pem');
  try {
    execFileSync(
      OPENSSL,
      [
        'req', '-x509', '-new',
        '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
        '-nodes', '-keyout', keyFile, '-out', caFile,
        '-days', '1',
        '-subj', '/CN=localhost',
        '-addext', `subjectAltName=${['IP:127.0.0.1', 'DNS:localhost', ...names.map((name) => `DNS:${name}`)].join(',')}`,
        '-addext', 'basicConstraints=critical,CA:TRUE',
        '-addext', 'keyUsage=critical,digitalSignature,keyCertSign',
        '-addext', 'extendedKeyUsage=serverAuth',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const key = readFileSync(keyFile, 'utf8');
    rmSync(keyFile, { force: true });
    const cert = readFileSync(caFile, 'utf8');
    return {
      key,
      cert,
      caFile,
      env: { NODE_EXTRA_CA_CERTS: caFile },
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`could not make a loopback certificate with ${OPENSSL}${stderr ? `: ${stderr}` : ''}`, { cause: error });
  }
}
