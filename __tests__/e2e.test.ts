/**
 * End to end: dist/index.js under Node 24 as a runner runs it, against the
 * platform simulator on loopback.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from './support/runner.ts';
import { OWNER, PlatformSimulator } from './support/simulator.ts';

let sim: PlatformSimulator;
beforeAll(async () => {
  sim = await PlatformSimulator.start();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

function expectNoLeak(run: ActionRun, secrets: string[]): void {
  for (const secret of secrets) {
    expect(run.log.text).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
    expect(run.summary).not.toContain(secret);
  }
}

describe('provision then token (happy paths)', () => {
  it('creates, authorizes and verifies a registration, and its credentials get a token', async () => {
    const provisioned = await runAction({ mode: 'provision', 'base-url': sim.baseUrl, email: OWNER.email, password: OWNER.password });
    expect(provisioned.exitCode).toBe(0);
    expect(sim.registrations.size).toBe(1);
    const [registration] = [...sim.registrations.values()];
    expect(provisioned.outputs['registration-id']).toBe(registration?.id);
    expect(provisioned.outputs['client-id']).toBe(registration?.clientId);
    expect(provisioned.outputs['client-secret']).toBe(registration?.clientSecret);
    expect(registration?.authorized).toBe(true);
    expect(sim.accessTokens.has(provisioned.outputs['access-token'] ?? '')).toBe(true);
    expect(provisioned.outputs['token-type']).toBe('Bearer');
    expect(provisioned.outputs['expires-in']).toBe('3600');
    expect(provisioned.outputs['scim-url']).toBe(`${sim.baseUrl}/api/scim/v2`);
    expect(provisioned.outputs['token-url']).toBe(`${sim.baseUrl}/oauth/token?audience=${sim.baseUrl}/api`);
    expectNoLeak(provisioned, [OWNER.password, registration?.clientSecret ?? '', provisioned.outputs['access-token'] ?? '']);

    const token = await runAction({
      mode: 'token',
      'base-url': sim.baseUrl,
      'client-id': provisioned.outputs['client-id'] ?? '',
      'client-secret': provisioned.outputs['client-secret'] ?? '',
    });
    expect(token.exitCode).toBe(0);
    expect(sim.accessTokens.has(token.outputs['access-token'] ?? '')).toBe(true);
    expectNoLeak(token, [registration?.clientSecret ?? '', token.outputs['access-token'] ?? '']);
  });
});
