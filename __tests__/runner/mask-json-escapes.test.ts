/**
 * JSON-escaped forms of a secret as servers other than JavaScript write them
 * (src/runner/mask.ts `secretForms`): `/` as `\/` (Java, PHP), .NET's default
 * encoder (System.Text.Json, Microsoft Graph: `"` `&` `'` `+` `<` `>` `` ` `` and
 * non-ASCII as `\uXXXX`), and every character but letters and digits as `\uXXXX`;
 * upper- and lower-case hex. The expected texts are written out here by hand,
 * apart from `src/`.
 */
import { describe, expect, it } from 'vitest';
import { createMask, redact, secretForms } from '../../src/runner/mask.ts';

/** The secret whose .NET-escaped echo was shown in a log. */
const LOGGED = 'Pa+ss/w<rd&1>x';

/** Every character each form treats apart: + / < & > " ' ` \ é and an astral character (two UTF-16 code units). */
const SECRET = 'Pa+ss/w<rd&1>x"q\'b`c\\d\u00e9\u{1f600}';

/** What each kind of server writes inside a JSON string for {@link SECRET}. */
const ECHOES: [string, string][] = [
  ['JavaScript (JSON.stringify)', 'Pa+ss/w<rd&1>x\\"q\'b`c\\\\d\u00e9\u{1f600}'],
  ['JSON with \\/ (Java, PHP with JSON_UNESCAPED_UNICODE)', 'Pa+ss\\/w<rd&1>x\\"q\'b`c\\\\d\u00e9\u{1f600}'],
  [
    '.NET default encoder, upper-case hex',
    'Pa\\u002Bss/w\\u003Crd\\u00261\\u003Ex\\u0022q\\u0027b\\u0060c\\\\d\\u00E9\\uD83D\\uDE00',
  ],
  [
    '.NET default encoder, lower-case hex',
    'Pa\\u002bss/w\\u003crd\\u00261\\u003ex\\u0022q\\u0027b\\u0060c\\\\d\\u00e9\\ud83d\\ude00',
  ],
  [
    '.NET default encoder with \\/, upper-case hex',
    'Pa\\u002Bss\\/w\\u003Crd\\u00261\\u003Ex\\u0022q\\u0027b\\u0060c\\\\d\\u00E9\\uD83D\\uDE00',
  ],
  [
    '.NET default encoder with \\/, lower-case hex',
    'Pa\\u002bss\\/w\\u003crd\\u00261\\u003ex\\u0022q\\u0027b\\u0060c\\\\d\\u00e9\\ud83d\\ude00',
  ],
  [
    'all but letters and digits as \\uXXXX, upper-case hex',
    'Pa\\u002Bss\\u002Fw\\u003Crd\\u00261\\u003Ex\\u0022q\\u0027b\\u0060c\\u005Cd\\u00E9\\uD83D\\uDE00',
  ],
  [
    'all but letters and digits as \\uXXXX, lower-case hex',
    'Pa\\u002bss\\u002fw\\u003crd\\u00261\\u003ex\\u0022q\\u0027b\\u0060c\\u005cd\\u00e9\\ud83d\\ude00',
  ],
];

/** A server's error body echoing the password inside a JSON string. */
const echo = (escaped: string): string => `{"error":"invalid_request","password":"${escaped}","status":400}`;

/** What a mask registers for `secret`, in order (as `core.setSecret` would receive it). */
function registered(secret: string): string[] {
  const values: string[] = [];
  createMask((value) => values.push(value))(secret);
  return values;
}

describe('JSON-escaped forms of a secret, as servers other than JavaScript write them', () => {
  it.each(ECHOES)('%s is a registered form', (_style, escaped) => {
    expect(secretForms(SECRET)).toContain(escaped);
  });

  it('the .NET echo shown in the log ("Pa\\u002Bss\\/w\\u003Crd\\u00261\\u003Ex") is a registered form', () => {
    const forms = secretForms(LOGGED);
    expect(forms).toContain('Pa\\u002Bss\\/w\\u003Crd\\u00261\\u003Ex');
    expect(forms).toContain('Pa\\u002Bss/w\\u003Crd\\u00261\\u003Ex');
    expect(forms).toContain('Pa+ss\\/w<rd&1>x');
    expect(forms).toContain('Pa\\u002Bss\\u002Fw\\u003Crd\\u00261\\u003Ex');
    expect(forms).toContain('Pa\\u002bss\\u002fw\\u003crd\\u00261\\u003ex');
  });

  it('control characters: \\b \\t \\n \\f \\r as JSON writes them in the .NET forms, every one as \\uXXXX in the all-escaped form', () => {
    const forms = secretForms('ab\tc\u001fd\be');
    expect(forms).toContain('ab\\tc\\u001Fd\\be');
    expect(forms).toContain('ab\\tc\\u001fd\\be');
    expect(forms).toContain('ab\\u0009c\\u001Fd\\u0008e');
    expect(forms).toContain('ab\\u0009c\\u001fd\\u0008e');
  });

  it("the lower-case forms change only the hex digits of escapes, never the secret's own text", () => {
    // The secret holds a backslash followed by "u00AB": .NET writes it as \\u00AB in both cases.
    const forms = secretForms('k\\u00AB+');
    expect(forms).toContain('k\\\\u00AB\\u002B');
    expect(forms).toContain('k\\\\u00AB\\u002b');
    expect(forms).toContain('k\\u005Cu00AB\\u002B');
    expect(forms).toContain('k\\u005cu00AB\\u002b');
  });

  it('each line of a multi-line secret gets the forms too', () => {
    const forms = secretForms('first+line\nsecond<line');
    expect(forms).toContain('first\\u002Bline');
    expect(forms).toContain('second\\u003cline');
  });

  it('no duplicates: a plain alphanumeric secret is still one form, and every form is distinct', () => {
    expect(secretForms('abcDEF123')).toEqual(['abcDEF123']);
    for (const secret of [SECRET, LOGGED, 'ab/cd', 'x y']) {
      const forms = secretForms(secret);
      expect(new Set(forms).size).toBe(forms.length);
    }
  });

  it.each(ECHOES)('a server echo in the style "%s" is redacted with what the mask registered', (_style, escaped) => {
    expect(redact(echo(escaped), registered(SECRET))).toBe(echo('***'));
  });

  it('the logged .NET echo of the password is redacted with what the mask registered', () => {
    const body = echo('Pa\\u002Bss\\/w\\u003Crd\\u00261\\u003Ex');
    expect(redact(body, registered(LOGGED))).toBe(echo('***'));
  });
});
