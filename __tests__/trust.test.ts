/**
 * The `ca-certificate` input (src/trust.ts): PEM text or a file, checked
 * before any request; certificates are added to Node's default trust, never
 * replacing it; and the warning when NODE_TLS_REJECT_UNAUTHORIZED=0.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionError } from '../src/errors.ts';
import { insecureTlsWarning, readCaCertificates } from '../src/trust.ts';
import { NODE24, ROOT } from './support/runner.ts';
import { makePrivateCa, type PrivateCa } from './support/tls.ts';

let ca: PrivateCa;
beforeAll(() => {
  ca = makePrivateCa();
});
afterAll(() => ca.cleanup());

function inputErrorOf(fn: () => unknown): ActionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ActionError) return error;
    throw error;
  }
  throw new Error('expected an input error');
}

const noFile = (path: string): string => {
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
};

describe('readCaCertificates', () => {
  it('is empty when the input is unset', () => {
    expect(readCaCertificates('', '/ws', noFile)).toEqual([]);
  });

  it('reads PEM text with several certificates, text around them ignored (as a CA bundle has it)', () => {
    const text = `# corporate root\n${ca.root}\nsubject=CN = issuing\n${ca.intermediate}`;
    expect(readCaCertificates(text, '/ws', noFile)).toEqual([ca.root.trim(), ca.intermediate.trim()]);
  });

  it('reads a path relative to GITHUB_WORKSPACE, and an absolute path as is', () => {
    const seen: string[] = [];
    const read = (path: string): string => {
      seen.push(path);
      return ca.root;
    };
    expect(readCaCertificates('certs/root.pem', '/home/runner/work/repo', read)).toEqual([ca.root.trim()]);
    expect(readCaCertificates('/etc/pki/root.pem', '/home/runner/work/repo', read)).toHaveLength(1);
    expect(seen).toEqual(['/home/runner/work/repo/certs/root.pem', '/etc/pki/root.pem']);
  });

  it('names an unreadable file and its error code', () => {
    const error = inputErrorOf(() => readCaCertificates('certs/missing.pem', '/ws', noFile));
    expect(error.step).toBe('inputs');
    expect(error.message).toBe(
      'Invalid input: input "ca-certificate" names the file certs/missing.pem, which cannot be read (ENOENT). ' +
        'Fix: check the path (relative paths start at the workspace, so check out the repository first), or give the PEM text itself.',
    );
  });

  it('refuses a file that is not PEM (e.g. DER)', () => {
    expect(inputErrorOf(() => readCaCertificates('ca.cer', '/ws', () => '0\x82\x03')).message).toMatch(/names the file ca\.cer, which is not PEM.*openssl x509 -inform der/u);
  });

  it('refuses multi-line text that is not PEM', () => {
    expect(inputErrorOf(() => readCaCertificates('MIIB\nMIIB', '/ws', noFile)).message).toMatch(/input "ca-certificate" is not PEM/u);
  });

  it('refuses PEM that holds no certificate, saying what it holds (and never printing it)', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----';
    const error = inputErrorOf(() => readCaCertificates(key, '/ws', noFile));
    expect(error.message).toMatch(/input "ca-certificate" holds no certificate \(only PRIVATE KEY\).*never a private key/u);
    expect(error.message).not.toContain('MIGH');
  });

  it('refuses a certificate block that does not parse, saying which one', () => {
    const broken = '-----BEGIN CERTIFICATE-----\nMIIBnotbase64\n-----END CERTIFICATE-----';
    expect(inputErrorOf(() => readCaCertificates(`${ca.root}${broken}`, '/ws', noFile)).message).toMatch(/certificate 2 of input "ca-certificate" is not a valid X\.509 certificate/u);
  });
});

describe('trustCaCertificates (under Node 24, which has tls.setDefaultCACertificates)', () => {
  it('adds the certificates to the default list and keeps every default CA', () => {
    const script = `
      import * as tls from 'node:tls';
      import { trustCaCertificates } from ${JSON.stringify(`${ROOT}/src/trust.ts`)};
      const before = tls.getCACertificates('default');
      trustCaCertificates([process.env.ROOT_PEM]);
      const after = tls.getCACertificates('default');
      const norm = (pem) => pem.replace(/\\s+/g, '');
      console.log(JSON.stringify({
        before: before.length,
        after: after.length,
        keptAll: before.every((pem) => after.some((p) => norm(p) === norm(pem))),
        added: after.some((p) => norm(p) === norm(process.env.ROOT_PEM)),
      }));`;
    const out = execFileSync(NODE24, ['--input-type=module', '-e', script], { env: { PATH: process.env['PATH'] ?? '', ROOT_PEM: ca.root }, encoding: 'utf8' });
    const result = JSON.parse(out) as { before: number; after: number; keptAll: boolean; added: boolean };
    expect(result.before).toBeGreaterThan(100);
    expect(result.after).toBe(result.before + 1);
    expect(result.keptAll).toBe(true);
    expect(result.added).toBe(true);
  });
});

describe('insecureTlsWarning', () => {
  it('warns for NODE_TLS_REJECT_UNAUTHORIZED=0 only', () => {
    expect(insecureTlsWarning({ NODE_TLS_REJECT_UNAUTHORIZED: '0' })).toMatch(/certificate checks are off.*ca-certificate/u);
    for (const value of [undefined, '', '1', 'false']) expect(insecureTlsWarning({ NODE_TLS_REJECT_UNAUTHORIZED: value })).toBeUndefined();
  });
});
