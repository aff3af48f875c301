/**
 * The `ca-certificate` input (src/runner/ca-certificate.ts): PEM text or a file, checked
 * before any request; certificates are added to Node's default trust, never
 * replacing it; and the warning when NODE_TLS_REJECT_UNAUTHORIZED=0.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionError } from '../../src/errors.ts';
import {
  insecureTlsWarning,
  MAX_CA_FILE_BYTES,
  readCaCertificates,
  readCaFile,
} from '../../src/runner/ca-certificate.ts';
import { pemBlocks } from '../../src/net/trust.ts';
import { makePrivateCa, type PrivateCa } from '../../harness/tls.ts';

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
      'Invalid input: input "ca-certificate" names the file certs/missing.pem, which cannot be read (ENOENT: no such file). ' +
        'Fix: check the path (relative paths start at the workspace, so check out the repository first), or give the PEM text itself.',
    );
  });

  it('quotes a path only whole: a long one-line value (a secret pasted by mistake) is never shown, not even cut', () => {
    const pasted = `MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7${'x'.repeat(200)}`;
    const error = inputErrorOf(() => readCaCertificates(pasted, '/ws', noFile));
    expect(error.message).toContain('names a file (a 252-character path, not shown), which cannot be read');
    expect(error.message).not.toContain(pasted.slice(0, 20));
  });

  it('finds PEM blocks in one pass: BEGIN lines without an END cost nothing and hide no later certificate', () => {
    const junk = '-----BEGIN A-----\n'.repeat(100_000);
    expect(pemBlocks(junk)).toEqual([]);
    expect(readCaCertificates(`${junk}${ca.root}`, '/ws', noFile)).toEqual([ca.root.trim()]);
    expect(pemBlocks('-----BEGIN X-----\na\n-----BEGIN Y-----\nb\n-----END Y-----\n-----END X-----')).toEqual([
      { label: 'Y', pem: '-----BEGIN Y-----\nb\n-----END Y-----' },
    ]);
  });

  it('reads only a regular file of at most 1 MiB: never a device, FIFO or folder, which would block or fill the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-file-'));
    try {
      const big = join(dir, 'big.pem');
      writeFileSync(big, 'x'.repeat(MAX_CA_FILE_BYTES + 1));
      const codeOf = (path: string): unknown => {
        try {
          readCaFile(path);
        } catch (error) {
          return (error as { code?: unknown }).code;
        }
        return undefined;
      };
      expect(codeOf('/dev/zero')).toBe('ENOTREGULAR');
      expect(codeOf(dir)).toBe('EISDIR');
      expect(codeOf(big)).toBe('EFBIG');
      expect(inputErrorOf(() => readCaCertificates('/dev/zero', dir, readCaFile)).message).toContain(
        'names the file /dev/zero, which cannot be read (not a regular file)',
      );
      writeFileSync(join(dir, 'ok.pem'), ca.root);
      expect(readCaCertificates('ok.pem', dir, readCaFile)).toEqual([ca.root.trim()]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not PEM (e.g. DER)', () => {
    expect(inputErrorOf(() => readCaCertificates('ca.cer', '/ws', () => '0\x82\x03')).message).toMatch(
      /names the file ca\.cer, which is not PEM.*openssl x509 -inform der/u,
    );
  });

  it('refuses multi-line text that is not PEM', () => {
    expect(inputErrorOf(() => readCaCertificates('MIIB\nMIIB', '/ws', noFile)).message).toMatch(
      /input "ca-certificate" is not PEM/u,
    );
  });

  it('refuses PEM that holds no certificate, saying what it holds (and never printing it)', () => {
    const key =
      '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----';
    const error = inputErrorOf(() => readCaCertificates(key, '/ws', noFile));
    expect(error.message).toMatch(
      /input "ca-certificate" holds no certificate \(only PRIVATE KEY\).*never a private key/u,
    );
    expect(error.message).not.toContain('MIGH');
  });

  it('refuses a certificate block that does not parse, saying which one', () => {
    const broken = '-----BEGIN CERTIFICATE-----\nMIIBnotbase64\n-----END CERTIFICATE-----';
    expect(inputErrorOf(() => readCaCertificates(`${ca.root}${broken}`, '/ws', noFile)).message).toMatch(
      /certificate 2 of input "ca-certificate" is not a valid X\.509 certificate/u,
    );
  });
});

// trustCaCertificates gave way to a per-transport trust: __tests__/net/trust-set.test.ts.

describe('insecureTlsWarning', () => {
  it('warns for NODE_TLS_REJECT_UNAUTHORIZED=0 only', () => {
    expect(insecureTlsWarning({ NODE_TLS_REJECT_UNAUTHORIZED: '0' })).toMatch(
      /certificate checks are off.*ca-certificate/u,
    );
    for (const value of [undefined, '', '1', 'false'])
      expect(insecureTlsWarning({ NODE_TLS_REJECT_UNAUTHORIZED: value })).toBeUndefined();
  });
});
