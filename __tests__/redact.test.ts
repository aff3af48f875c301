/**
 * A server that echoes a secret in its error text: the action shortens and
 * reflows that text for the error line, which would break the runner's mask
 * (it only hides exact registered forms). Secrets are redacted first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redact } from '../src/mask.ts';
import { platformErrorOf } from '../src/platform.ts';
import { runAction } from './support/runner.ts';
import { PlatformSimulator } from './support/simulator.ts';

// Double spaces (collapsed by sanitize) and a length that straddles its 200-character cut.
const SECRET = 'Qx7  vP2  aa91  ZZ-kk  ' + 'w'.repeat(40);

describe('redact', () => {
  it('replaces every form, longest first', () => {
    expect(redact('a SECRET and SECRET-2 b', ['SECRET', 'SECRET-2'])).toBe('a *** and *** b');
    expect(redact('nothing here', [''])).toBe('nothing here');
  });

  it('runs before the platform error text is shortened', () => {
    const body = JSON.stringify({ error: 'invalid_client', error_description: `${'x'.repeat(170)} secret was ${SECRET}` });
    const response = { status: 401, headers: { 'content-type': 'application/json' }, body };
    const plain = platformErrorOf(response).text ?? '';
    expect(plain).toContain('Qx7 vP2'); // without redaction a reflowed, cut piece survives
    const redacted = platformErrorOf(response, (text) => redact(text, [SECRET])).text ?? '';
    expect(redacted).not.toContain('Qx7');
    expect(redacted).toContain('***');
  });
});

describe('end to end: a server echoing the client secret in error_description', () => {
  let sim: PlatformSimulator;
  beforeAll(async () => {
    sim = await PlatformSimulator.start();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('shows no piece of the secret in the error line or the summary', async () => {
    sim.fault('token', {
      status: 401,
      body: JSON.stringify({ error: 'invalid_client', error_description: `${'x'.repeat(170)} secret was ${SECRET}` }),
    });
    const run = await runAction({ mode: 'token', 'base-url': sim.baseUrl, 'client-id': 'm2m-1', 'client-secret': SECRET });
    expect(run.exitCode).toBe(1);
    expect(run.log.errors).toHaveLength(1);
    expect(run.log.errors[0]).toContain('invalid_client');
    for (const text of [run.log.text, run.summary]) {
      expect(text).not.toContain('Qx7');
      expect(text).not.toContain('ZZ-kk');
    }
  });
});
