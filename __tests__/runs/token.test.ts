/**
 * Token mode, run in process (src/main.ts `run`) against the simulator: only
 * the token and URL outputs, and the fix for each refusal of step 4.
 */
import { describe, expect, it } from 'vitest';
import { expectMaskedBeforeUse, onlyFailure, runInProcess } from '../support/in-process.ts';
import { withSimulator } from '../support/platform.ts';
import { OWNER } from '../../harness/simulator.ts';

const sim = withSimulator();

const provisionInputs = { mode: 'provision', email: OWNER.email, password: OWNER.password };

describe('token', () => {
  it('exchanges client credentials; sets only the token and URL outputs', async () => {
    await runInProcess(sim, { ...provisionInputs, verify: 'false' });
    const [registration] = [...sim.registrations.values()];
    sim.requests.length = 0;
    const { core } = await runInProcess(sim, {
      mode: 'token',
      'client-id': registration?.clientId ?? '',
      'client-secret': registration?.clientSecret ?? '',
    });
    expect(core.failures).toEqual([]);
    expect(Object.keys(core.outputs).sort()).toEqual([
      'access-token',
      'expires-at',
      'expires-in',
      'scim-url',
      'token-type',
      'token-url',
    ]);
    expect(sim.accessTokens.has(core.outputs['access-token'] ?? '')).toBe(true);
    expect(sim.requests.map((r) => r.route)).toEqual(['token']);
    expectMaskedBeforeUse(core.events, registration?.clientSecret ?? '');
    expectMaskedBeforeUse(core.events, core.outputs['access-token'] ?? '');
  });

  it('an unauthorized registration: 403 access_denied → never authorized (step 3)', async () => {
    await runInProcess(sim, { ...provisionInputs, verify: 'false' });
    const [registration] = [...sim.registrations.values()];
    if (registration) registration.authorized = false;
    const { core } = await runInProcess(sim, {
      mode: 'token',
      'client-id': registration?.clientId ?? '',
      'client-secret': registration?.clientSecret ?? '',
    });
    const message = onlyFailure(core);
    expect(message).toMatch(/^Token failed \(HTTP 403\): /u);
    expect(message).toContain('access_denied');
    expect(message).toContain('never authorized');
  });

  it('the registration UUID passed as client-id: 401 invalid_client → check client-id/client-secret', async () => {
    await runInProcess(sim, { ...provisionInputs, verify: 'false' });
    const [registration] = [...sim.registrations.values()];
    const { core } = await runInProcess(sim, {
      mode: 'token',
      'client-id': registration?.id ?? '',
      'client-secret': registration?.clientSecret ?? '',
    });
    const message = onlyFailure(core);
    expect(message).toMatch(/^Token failed \(HTTP 401\): /u);
    expect(message).toContain('client-id');
    expect(message).toContain('client-secret');
  });
});
