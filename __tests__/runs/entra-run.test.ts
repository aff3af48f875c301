/**
 * startRun (src/main.ts) in-process with the Entra inputs, against both simulators, with a fake
 * @actions/core and an injected sleep: every Microsoft secret is masked before the request that
 * carries it, the saved-test retry is bounded without real waiting, and a cancel while the save
 * is in flight keeps the registration and says Entra may hold either set.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpTransport } from '../../src/net/http.ts';
import { startRun, type RunDependencies, type StartedRun } from '../../src/main.ts';
import { SAVED_TEST_DELAYS_MS } from '../../src/flows/entra-handoff.ts';
import { fakeCore, recordingTransport, type FakeCore } from '../support/fake-core.ts';
import { savedOnly, startWithPlatform, testFailed, type MicrosoftSimulator } from '../../harness/microsoft.ts';
import { OWNER, PlatformSimulator } from '../../harness/simulator.ts';

let sim: PlatformSimulator;
let ms: MicrosoftSimulator;
beforeAll(async () => {
  sim = await PlatformSimulator.start();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  sim.reset();
  ({ ms } = await startWithPlatform(sim));
});
afterEach(async () => {
  await ms.close();
});

interface Started {
  core: FakeCore;
  run: StartedRun;
  sleeps: number[];
}

function start(extra: Record<string, string> = {}): Started {
  const core = fakeCore({
    mode: 'provision',
    'base-url': sim.baseUrl,
    'api-key': OWNER.apiKey ?? '',
    'max-attempts': '1',
    ...ms.inputs(),
    ...extra,
  });
  const sleeps: number[] = [];
  const deps: RunDependencies = {
    core,
    env: { GITHUB_REPOSITORY: 'octo-org/identity', GITHUB_RUN_ID: '1', GITHUB_OUTPUT: '/dev/null', ...ms.env() },
    createTransport: (userAgent, timeoutMs) => recordingTransport(createHttpTransport(userAgent, timeoutMs), core),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
    now: () => new Date(),
    userAgent: 'entra-run-test/1',
  };
  return { core, run: startRun(deps), sleeps };
}

/** Index of the first event of `core` that is a request carrying `secret` in its headers or body. */
function firstSend(core: FakeCore, secret: string): number {
  return core.events.findIndex(
    (event) =>
      event.kind === 'send' &&
      (Object.values(event.request.headers).some((value) => value.includes(secret)) ||
        (event.request.body ?? '').includes(secret)),
  );
}

function firstMask(core: FakeCore, secret: string): number {
  return core.events.findIndex((event) => event.kind === 'secret' && event.value === secret);
}

describe('a provision run with the Entra hand-off, in-process', () => {
  it('masks the request token, the OIDC token and the Graph token before the request that carries them', async () => {
    const { core, run } = start();
    await run.done;
    expect(core.failures).toEqual([]);
    expect(core.outputs['entra-updated']).toBe('true');
    expect(core.outputs['entra-job-id']).toBe(ms.job.id);
    const secrets = [ms.requestToken, ...ms.oidcTokens, ...ms.graphTokens];
    expect(secrets).toHaveLength(3);
    for (const secret of secrets) {
      const sent = firstSend(core, secret);
      expect(sent).toBeGreaterThan(-1);
      expect(firstMask(core, secret)).toBeGreaterThan(-1);
      expect(firstMask(core, secret)).toBeLessThan(sent);
      expect(core.stdout.replace(/^::add-mask::.*$/gmu, '')).not.toContain(secret);
      expect(core.summaryText).not.toContain(secret);
    }
    // Entra holds the new registration, tested by Entra.
    expect(ms.savedCredentials().clientId).toBe(core.outputs['client-id']);
    expect(ms.tests.map((test) => [test.useSavedCredentials, test.passed])).toEqual([
      [false, true],
      [true, true],
    ]);
  });

  it('the saved test keeps failing: retried after each delay (< 1 minute, no real wait), entra-updated false', async () => {
    ms.fault('validate', { match: savedOnly, ...testFailed('Graph is catching up') });
    const { core, run, sleeps } = start();
    await run.done;
    expect(sleeps).toEqual([...SAVED_TEST_DELAYS_MS]);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(60_000);
    expect(core.outputs['entra-updated']).toBe('false');
    expect(core.outputs['registration-id']).not.toBe('');
    expect(core.failures).toHaveLength(1);
    expect(core.failures[0]).toMatch(/^Entra test saved credentials failed \(HTTP 400\): /u);
    expect(core.failures[0]).toContain('Microsoft Entra ID holds the new values');
  });

  it('a cancel while the save is in flight keeps the registration and says Entra may hold either set', async () => {
    ms.fault('save', { delayMs: 1500, act: true, times: 1 });
    const { core, run } = start();
    while (ms.requestsTo('save').length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await run.cancel('SIGTERM');
    expect(core.failures).toHaveLength(1);
    expect(core.failures[0]).toMatch(/^Entra save credentials failed: the run was cancelled \(SIGTERM\)/u);
    expect(core.failures[0]).toContain('may hold the old or the new values');
    expect(core.outputs['registration-id']).toBe([...sim.registrations.keys()].at(-1));
    expect(core.outputs['client-secret']).not.toBe('');
    expect(core.outputs['entra-updated']).toBe('false');
    await run.done;
  });
});
