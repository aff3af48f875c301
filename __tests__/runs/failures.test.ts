/**
 * Failures outside the platform calls, run in process (src/main.ts `run`):
 * input errors, unexpected exceptions, a missing summary file, transport
 * disposal, debug lines, and setFailed coming last.
 */
import { describe, expect, it } from 'vitest';
import { onlyFailure, runInProcess } from '../support/in-process.ts';
import { withSimulator } from '../support/platform.ts';
import { OWNER } from '../../harness/simulator.ts';

const sim = withSimulator();

const provisionInputs = { mode: 'provision', email: OWNER.email, password: OWNER.password };

describe('failures outside the platform calls', () => {
  it('an input error: one error, no transport, no request, no outputs, secrets still masked, summary written', async () => {
    const { core, transports } = await runInProcess(sim, { mode: 'provision', email: '', password: 'pw-secret' });
    const message = onlyFailure(core);
    expect(message).toMatch(/^Invalid input: input "email"/u);
    expect(transports).toBe(0);
    expect(sim.requests).toHaveLength(0);
    expect(core.outputs).toEqual({});
    expect(core.secrets).toContain('pw-secret');
    expect(core.events.findIndex((e) => e.kind === 'secret')).toBeLessThan(
      core.events.findIndex((e) => e.kind === 'failed'),
    );
    expect(core.summaryText).toContain('inputs');
  });

  it('an unexpected exception becomes one well-formed error without a stack trace', async () => {
    const { core } = await runInProcess(sim, provisionInputs, {
      createTransport: () => {
        throw new TypeError('boom\n    at Object.<anonymous> (/x.js:1:1)');
      },
    });
    const message = onlyFailure(core);
    expect(message).toMatch(/^Run failed: unexpected error: boom/u);
  });

  it('no step summary file is not a failure', async () => {
    const { core } = await runInProcess(sim, provisionInputs, { summaryFails: true });
    expect(core.failures).toEqual([]);
    expect(core.events.some((e) => e.kind === 'debug' && e.text.includes('No step summary'))).toBe(true);
  });

  it('the transport is disposed on failure too', async () => {
    const ran = await runInProcess(sim, { ...provisionInputs, password: 'wrong' });
    expect(ran.transports).toBe(1);
    expect(ran.disposed).toBe(1);
  });

  it('debug lines name method, path and status only', async () => {
    const { core } = await runInProcess(sim, { ...provisionInputs, 'scim-check': 'true' });
    const debug = core.events.flatMap((e) => (e.kind === 'debug' ? [e.text] : []));
    expect(debug.filter((line) => line.includes('→'))).toEqual([
      expect.stringMatching(/^POST \/api\/identity\/v1\/userCredentials\/login → HTTP 200 in \d+ ms$/u),
      expect.stringMatching(/^POST \/api\/identity\/v1\/clients → HTTP 201 in \d+ ms$/u),
      expect.stringMatching(
        /^POST \/api\/identity\/v1\/apis\/00000000-0000-0000-0000-000000000001\/clients → HTTP 201 in \d+ ms$/u,
      ),
      expect.stringMatching(/^POST \/oauth\/token → HTTP 200 in \d+ ms$/u),
      expect.stringMatching(/^GET \/api\/scim\/v2\/ServiceProviderConfig → HTTP 200 in \d+ ms$/u),
      expect.stringMatching(/^GET \/api\/scim\/v2\/Users → HTTP 200 in \d+ ms$/u),
      expect.stringMatching(/^GET \/api\/scim\/v2\/Groups → HTTP 200 in \d+ ms$/u),
    ]);
  });

  it('setFailed is the last thing the run does (outputs and summary come first)', async () => {
    const { core } = await runInProcess(sim, { ...provisionInputs, password: 'wrong' });
    expect(core.events.at(-1)?.kind).toBe('failed');
  });
});
