/**
 * Odd but valid 2xx answers are read, end to end (the entry file under Node 24
 * against the simulator): a UTF-8 byte-order mark before the JSON. Request
 * level, per step: client/platform-api.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { OWNER, ROUTES } from '../../harness/simulator.ts';
import { withSimulator } from '../support/platform.ts';
import { expectNoSecretShown } from '../support/secrets.ts';

const sim = withSimulator();

const provision = (base = sim.baseUrl): Record<string, string> => ({
  mode: 'provision',
  'base-url': base,
  email: OWNER.email,
  password: OWNER.password,
  'client-name': 'Entra ID odd answers',
  'scim-check': 'true',
});

function expectSucceeded(run: ActionRun): void {
  expect(run.exitCode, run.log.text).toBe(0);
  expect(run.log.errors).toEqual([]);
  const [registration] = [...sim.registrations.values()];
  expect(registration?.authorized).toBe(true);
  expect(run.outputs['registration-id']).toBe(registration?.id);
  expect(run.outputs['client-id']).toBe(registration?.clientId);
  expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
  expect(sim.accessTokens.has(run.outputs['access-token'] ?? '')).toBe(true);
  expectNoSecretShown(run, sim);
}

describe('odd but valid 2xx answers (item 6)', () => {
  it('a UTF-8 byte-order mark before every JSON answer: the run succeeds without a warning', async () => {
    for (const route of ROUTES) sim.fault(route, { act: true, bom: true });
    const run = await runAction(provision());
    expectSucceeded(run);
    expect(run.log.warnings).toEqual([]);
  });
});
