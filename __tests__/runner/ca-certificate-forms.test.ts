/**
 * Forms of `ca-certificate` that were silently dropped (src/runner/ca-certificate.ts):
 * OpenSSL's `TRUSTED CERTIFICATE` form, which Node ignores, is an input error
 * that says so; PEM pasted with its line breaks written as `\n` or turned
 * into spaces is read as the PEM it was.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePrivateCa, type PrivateCa } from '../../harness/tls.ts';
import { ActionError } from '../../src/errors.ts';
import { readCaCertificates } from '../../src/runner/ca-certificate.ts';

let ca: PrivateCa;
beforeAll(() => {
  ca = makePrivateCa();
});
afterAll(() => ca.cleanup());

const noFile = (path: string): string => {
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
};

const fingerprints = (pems: readonly string[]): string[] => pems.map((pem) => new X509Certificate(pem).fingerprint256);

function inputErrorOf(fn: () => unknown): ActionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ActionError) return error;
    throw error;
  }
  throw new Error('expected an input error');
}

describe('OpenSSL trusted certificates', () => {
  it('-----BEGIN TRUSTED CERTIFICATE----- is an input error saying Node ignores that form', () => {
    const trusted = execFileSync(
      process.env['OPENSSL'] ?? 'openssl',
      ['x509', '-in', ca.file('root-for-trust.pem', ca.root), '-trustout', '-addtrust', 'serverAuth'],
      { encoding: 'utf8' },
    );
    expect(trusted).toContain('-----BEGIN TRUSTED CERTIFICATE-----');
    const error = inputErrorOf(() => readCaCertificates(trusted, '/ws', noFile));
    expect(error.step).toBe('inputs');
    expect(error.message).toContain(
      'input "ca-certificate" holds an OpenSSL trusted certificate (-----BEGIN TRUSTED CERTIFICATE-----), a form Node ignores',
    );
    expect(error.howToFix).toContain('-----BEGIN CERTIFICATE-----');
    // Next to a plain certificate too: it would be dropped without a word.
    expect(() => readCaCertificates(`${ca.intermediate}${trusted}`, '/ws', noFile)).toThrow(/a form Node ignores/u);
  });
});

describe('PEM pasted in a mangled form', () => {
  it('with its line breaks written as the two characters \\n (a value copied out of JSON) is read as the PEM it was', () => {
    const escaped = `${ca.root}${ca.intermediate}`.replace(/\n/gu, '\\n');
    expect(escaped).not.toContain('\n');
    expect(fingerprints(readCaCertificates(escaped, '/ws', noFile))).toEqual(fingerprints([ca.root, ca.intermediate]));
    expect(fingerprints(readCaCertificates(ca.root.replace(/\n/gu, '\\r\\n'), '/ws', noFile))).toEqual(
      fingerprints([ca.root]),
    );
  });

  it('with its line breaks turned into spaces (a one-line secret or variable) is read as the PEM it was', () => {
    const spaced = `${ca.root}${ca.intermediate}`.replace(/\n/gu, ' ');
    const read = readCaCertificates(spaced, '/ws', noFile);
    expect(fingerprints(read)).toEqual(fingerprints([ca.root, ca.intermediate]));
    // Rewritten as PEM proper: base64 in lines of 64 between the BEGIN and END lines.
    expect(read[0]).toMatch(/^-----BEGIN CERTIFICATE-----\n(?:[A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----$/u);
  });

  it('PEM already in lines is returned as it is', () => {
    expect(readCaCertificates(ca.root, '/ws', noFile)).toEqual([ca.root.trimEnd()]);
  });
});
