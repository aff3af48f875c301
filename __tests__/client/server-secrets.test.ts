/**
 * The server cannot choose what gets masked (src/client/request.ts
 * `isServerSecret`): a client_secret, access_token or login accessToken with a
 * line break or a control character (RFC 6749 Appendix A: both are VSCHAR), or
 * longer than MAX_SECRET_LENGTH, is a malformed answer. In a whole run:
 * e2e/server-secrets.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { isServerSecret, MAX_SECRET_LENGTH } from '../../src/client/request.ts';

describe('isServerSecret (unit)', () => {
  it.each([
    ['a base64url secret', 'aB3_-x', false, true],
    ['printable ASCII with inner spaces and symbols', 'a b+/=%&"\\~', false, true],
    ['a non-ASCII letter (tolerated in a client secret)', 'sé cret ✓', false, true],
    [`exactly ${MAX_SECRET_LENGTH} characters`, 'x'.repeat(MAX_SECRET_LENGTH), true, true],
    [`${MAX_SECRET_LENGTH + 1} characters`, 'x'.repeat(MAX_SECRET_LENGTH + 1), false, false],
    ['a line feed', 'a\nb', false, false],
    ['a lone carriage return', 'a\rb', false, false],
    ['U+2028 LINE SEPARATOR', 'a\u2028b', false, false],
    ['a tab', 'a\tb', false, false],
    ['NUL', 'a\u0000b', false, false],
    ['DEL', 'a\u007fb', false, false],
    ['a C1 control (NEL)', 'a\u0085b', false, false],
    ['a lone surrogate', 'a\ud800b', false, false],
    ['leading space', ' ab', false, false],
    ['trailing space', 'ab ', false, false],
    ['blank', '   ', false, false],
    ['empty', '', false, false],
    ['a number', 42, false, false],
    ['beyond Latin-1 in a header token', 'tok😀', true, false],
    ['Latin-1 in a header token', 'tokü', true, true],
  ] as const)('%s', (_name, value, header, ok) => {
    expect(isServerSecret(value, header)).toBe(ok);
  });
});
