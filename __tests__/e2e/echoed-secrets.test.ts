/**
 * A server that echoes the client secret in its error text, end to end (the
 * entry file under Node 24 against the simulator): no piece of the secret in
 * the error line or the summary. Redaction itself: runner/redact.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { runAction } from '../../harness/runner.ts';
import { withSimulator } from '../support/platform.ts';

// Double spaces (collapsed by sanitize) and a length that straddles its 200-character cut.
const SECRET = 'Qx7  vP2  aa91  ZZ-kk  ' + 'w'.repeat(40);

describe('end to end: a server echoing the client secret in error_description', () => {
  const sim = withSimulator({}, { reset: false });

  it('shows no piece of the secret in the error line or the summary', async () => {
    sim.fault('token', {
      status: 401,
      body: JSON.stringify({ error: 'invalid_client', error_description: `${'x'.repeat(170)} secret was ${SECRET}` }),
    });
    const run = await runAction({
      mode: 'token',
      'base-url': sim.baseUrl,
      'client-id': 'm2m-1',
      'client-secret': SECRET,
    });
    expect(run.exitCode).toBe(1);
    expect(run.log.errors).toHaveLength(1);
    expect(run.log.errors[0]).toContain('invalid_client');
    for (const text of [run.log.text, run.summary]) {
      expect(text).not.toContain('Qx7');
      expect(text).not.toContain('ZZ-kk');
    }
  });
});
