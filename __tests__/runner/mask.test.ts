/**
 * Masking (src/runner/mask.ts): the forms of a secret that are registered
 * (secretForms) and the run's mask (createMask). In a whole run: runs/masking.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createMask, secretForms } from '../../src/runner/mask.ts';
import { namedForms } from '../support/secrets.ts';

describe('secretForms', () => {
  it('a secret with + & = % space quote backslash and non-ASCII has all four forms, distinct', () => {
    const secret = 'a+b&c=d%e f"g\\h/é';
    const forms = secretForms(secret);
    for (const form of Object.values(namedForms(secret))) expect(forms).toContain(form);
    expect(new Set(Object.values(namedForms(secret))).size).toBe(4);
    expect(new Set(forms).size).toBe(forms.length);
  });

  it('percent-encoded forms also with lower-case hex digits, as servers often echo them (RFC 3986 §2.1)', () => {
    const forms = secretForms('abc/def+ghi=JKL');
    expect(forms).toContain('abc%2Fdef%2Bghi%3DJKL');
    expect(forms).toContain('abc%2fdef%2bghi%3dJKL');
    expect(forms).toContain('abc%2fdef%2bghi%3dJKL'.replace('%2b', '%2B').replace('%2B', '%2b'));
    expect(forms).toContain('abc%2fdef%2bghi%3dJKL');
  });

  it("the URL-encoded form also with RFC 3986 reserved ! ' ( ) * escaped, as strict encoders write it", () => {
    const forms = secretForms('S3cret/pass(word)!x');
    expect(forms).toContain('S3cret%2Fpass(word)!x');
    expect(forms).toContain('S3cret%2Fpass%28word%29%21x');
    expect(forms).toContain('S3cret%2fpass%28word%29%21x');
  });

  it('a plain alphanumeric secret is one form', () => {
    expect(secretForms('abcDEF123')).toEqual(['abcDEF123']);
  });

  it('each line of a multi-line secret (e.g. a PEM key) and its forms; never an empty or blank form', () => {
    const secret = 'line one\r\nline+two\n\n   \nlast';
    const forms = secretForms(secret);
    for (const line of ['line one', 'line+two', 'last']) {
      for (const form of Object.values(namedForms(line))) expect(forms).toContain(form);
    }
    expect(forms.every((form) => form.trim() !== '')).toBe(true);
  });

  it('surrounding white space: the trimmed value too', () => {
    expect(secretForms('  padded secret  ')).toContain('padded secret');
  });

  it('a lone surrogate does not throw', () => {
    expect(() => secretForms('x\ud800y')).not.toThrow();
  });
});

describe('createMask', () => {
  it('registers every form once, the raw value first, and returns the secret', () => {
    const registered: string[] = [];
    const mask = createMask((value) => registered.push(value));
    expect(mask('p+w d')).toBe('p+w d');
    expect(registered[0]).toBe('p+w d');
    expect(registered).toEqual(secretForms('p+w d'));
    mask('p+w d');
    expect(registered).toEqual(secretForms('p+w d'));
  });

  it('forms shared between secrets are registered once', () => {
    const registered: string[] = [];
    const mask = createMask((value) => registered.push(value));
    mask('same');
    mask(' same ');
    expect(registered.filter((v) => v === 'same')).toHaveLength(1);
  });
});
