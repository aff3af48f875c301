/**
 * Odd but valid 2xx answers are read, end to end (the entry file under Node 24
 * against the simulator): a UTF-8 byte-order mark before the JSON. Request
 * level, per step: client/platform-api.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { OWNER, PlatformSimulator, ROUTES } from '../../harness/simulator.ts';

let sim: PlatformSimulator;
beforeAll(async () => {
  sim = await PlatformSimulator.start();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

const provision = (base = sim.baseUrl): Record<string, string> => ({
  mode: 'provision',
  'base-url': base,
  email: OWNER.email,
  password: OWNER.password,
  'client-name': 'Entra ID odd answers',
  'scim-check': 'true',
});

/** Every secret the simulator handed out, and the password: none may show in the log, stderr or the summary. */
function expectNoSecretShown(run: ActionRun, server: PlatformSimulator = sim): void {
  const secrets = [
    OWNER.password,
    ...[...server.registrations.values()].map((r) => r.clientSecret),
    ...server.loginTokens.keys(),
    ...server.accessTokens.keys(),
  ];
  for (const secret of secrets) {
    expect(run.log.text).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
    expect(run.summary).not.toContain(secret);
  }
}

function expectSucceeded(run: ActionRun): void {
  expect(run.exitCode, run.log.text).toBe(0);
  expect(run.log.errors).toEqual([]);
  const [registration] = [...sim.registrations.values()];
  expect(registration?.authorized).toBe(true);
  expect(run.outputs['registration-id']).toBe(registration?.id);
  expect(run.outputs['client-id']).toBe(registration?.clientId);
  expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
  expect(sim.accessTokens.has(run.outputs['access-token'] ?? '')).toBe(true);
  expectNoSecretShown(run);
}

describe('odd but valid 2xx answers (item 6)', () => {
  it('a UTF-8 byte-order mark before every JSON answer: the run succeeds without a warning', async () => {
    for (const route of ROUTES) sim.fault(route, { act: true, bom: true });
    const run = await runAction(provision());
    expectSucceeded(run);
    expect(run.log.warnings).toEqual([]);
  });
});
