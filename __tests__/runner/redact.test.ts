/**
 * Redaction of server text (src/runner/mask.ts `redact`): every form of every
 * secret is replaced, longest first, before the text is shortened or reflowed
 * for the error line (which would break the runner's mask: it only hides exact
 * registered forms).
 */
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/runner/mask.ts';
import { platformErrorOf } from '../../src/client/request.ts';

// Double spaces (collapsed by sanitize) and a length that straddles its 200-character cut.
const SECRET = 'Qx7  vP2  aa91  ZZ-kk  ' + 'w'.repeat(40);

describe('redact', () => {
  it('replaces every form, longest first', () => {
    expect(redact('a SECRET and SECRET-2 b', ['SECRET', 'SECRET-2'])).toBe('a *** and *** b');
    expect(redact('nothing here', [''])).toBe('nothing here');
  });

  it('runs before the platform error text is shortened', () => {
    const body = JSON.stringify({
      error: 'invalid_client',
      error_description: `${'x'.repeat(170)} secret was ${SECRET}`,
    });
    const response = { status: 401, headers: { 'content-type': 'application/json' }, body };
    const plain = platformErrorOf(response).text ?? '';
    expect(plain).toContain('Qx7 vP2'); // without redaction a reflowed, cut piece survives
    const redacted = platformErrorOf(response, (text) => redact(text, [SECRET])).text ?? '';
    expect(redacted).not.toContain('Qx7');
    expect(redacted).toContain('***');
  });
});
