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
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
        'req',
        '-x509',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        caFile,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        `subjectAltName=${['IP:127.0.0.1', 'DNS:localhost', ...names.map((name) => `DNS:${name}`)].join(',')}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,digitalSignature,keyCertSign',
        '-addext',
        'extendedKeyUsage=serverAuth',
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
    throw new Error(`could not make a loopback certificate with ${OPENSSL}${stderr ? `: ${stderr}` : ''}`, {
      cause: error,
    });
  }
}

/** A key and a certificate (PEM). */
export interface KeyAndCertificate {
  key: string;
  cert: string;
}

/**
 * A private PKI as on-premises installations have one: a root CA, an
 * intermediate CA under it, and server certificates issued by the intermediate.
 */
export interface PrivateCa {
  /** Root CA certificate (PEM): what a user passes as `ca-certificate`. */
  root: string;
  /** Intermediate CA certificate (PEM), signed by the root. */
  intermediate: string;
  /** Leaf for `DNS:localhost, DNS:invicti.test, IP:127.0.0.1, IP:::1`, signed by the intermediate. */
  leaf: KeyAndCertificate;
  /**
   * Issues another server certificate under the intermediate: `san` as
   * openssl writes it (`DNS:a.test,IP:127.0.0.1`); `days` below 0 makes one
   * that has already expired.
   */
  issue(san: string, days?: number): KeyAndCertificate;
  /** Writes `text` to a file in the CA's temporary folder; returns its path. */
  file(name: string, text: string): string;
  /** Deletes the temporary folder. */
  cleanup(): void;
}

/** SANs of {@link PrivateCa.leaf}: the loopback names the tests use. */
export const LEAF_SAN = 'DNS:localhost,DNS:invicti.test,IP:127.0.0.1,IP:::1';

/**
 * Makes a fresh private CA chain with `openssl` (ECDSA P-256, valid one day):
 * root → intermediate → leaf. Keys stay in a temporary folder until `cleanup`.
 * @throws when `openssl` is missing or fails (its stderr is in the message).
 */
export function makePrivateCa(): PrivateCa {
  const dir = mkdtempSync(join(tmpdir(), 'sim-ca-'));
  const path = (name: string): string => join(dir, name);
  const run = (args: string[]): void => {
    try {
      execFileSync(OPENSSL, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`openssl ${args[0]} failed${stderr ? `: ${stderr}` : ''}`, { cause: error });
    }
  };
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const sign = (csr: string, issuer: string, out: string, extensions: string, days: number): void => {
    writeFileSync(path('ext.cnf'), `[ext]\n${extensions}\n`);
    run([
      'x509',
      '-req',
      '-in',
      path(csr),
      '-CA',
      path(`${issuer}.pem`),
      '-CAkey',
      path(`${issuer}.key`),
      '-days',
      String(days),
      '-extfile',
      path('ext.cnf'),
      '-extensions',
      'ext',
      '-out',
      path(out),
    ]);
  };
  let serial = 0;
  try {
    run([
      'req',
      '-x509',
      '-new',
      ...newKey,
      '-keyout',
      path('root.key'),
      '-out',
      path('root.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=Test Private Root CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    run([
      'req',
      '-new',
      ...newKey,
      '-keyout',
      path('intermediate.key'),
      '-out',
      path('intermediate.csr'),
      '-subj',
      '/CN=Test Private Issuing CA',
    ]);
    sign(
      'intermediate.csr',
      'root',
      'intermediate.pem',
      'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign',
      1,
    );
    const issue = (san: string, days = 1): KeyAndCertificate => {
      serial += 1;
      run([
        'req',
        '-new',
        ...newKey,
        '-keyout',
        path(`leaf${serial}.key`),
        '-out',
        path(`leaf${serial}.csr`),
        '-subj',
        '/CN=invicti.test',
      ]);
      sign(
        `leaf${serial}.csr`,
        'intermediate',
        `leaf${serial}.pem`,
        `subjectAltName=${san}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth`,
        days,
      );
      return {
        key: readFileSync(path(`leaf${serial}.key`), 'utf8'),
        cert: readFileSync(path(`leaf${serial}.pem`), 'utf8'),
      };
    };
    return {
      root: readFileSync(path('root.pem'), 'utf8'),
      intermediate: readFileSync(path('intermediate.pem'), 'utf8'),
      leaf: issue(LEAF_SAN),
      issue,
      file: (name, text) => {
        writeFileSync(path(name), text);
        return path(name);
      },
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A self-signed certificate for 127.0.0.1 with an RSA-1024 key, made with
 * `openssl`: one Node 24's clients refuse as too weak ("EE certificate key too
 * weak", code `UNSPECIFIED`). A server needs `ciphers: 'DEFAULT:@SECLEVEL=0'`
 * to load it at all. Nothing stays on disk.
 * @throws when `openssl` is missing or fails.
 */
export function makeWeakCertificate(): KeyAndCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'weak-tls-'));
  try {
    execFileSync(
      OPENSSL,
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:1024',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=weak',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
