/**
 * Issue 8 item 3: nothing made is lost on cancel. The outputs are written as
 * soon as they are known (before the next request), and on SIGINT/SIGTERM the
 * action writes what is known to the outputs and the summary, fails the step
 * with one ::error:: naming the step in flight and what was made, and exits.
 * End to end: the bundle under Node 24, signalled while the simulator holds a
 * call open; in process: startRun's cancel with a fake core.
 * Item 5 (no GITHUB_OUTPUT) is here too: it is about where outputs go.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpTransport } from '../../src/net/http.ts';
import { startRun } from '../../src/main.ts';
import { fakeCore } from '../support/fake-core.ts';
import { renderMarkdown } from '../support/markdown.ts';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { OWNER, PlatformSimulator } from '../../harness/simulator.ts';

let sim: PlatformSimulator;
beforeAll(async () => {
  sim = await PlatformSimulator.start();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

const HOLD = { delayMs: 20_000 };
const provision = (extra: Record<string, string> = {}): Record<string, string> => ({
  mode: 'provision',
  'base-url': sim.baseUrl,
  email: OWNER.email,
  password: OWNER.password,
  'client-name': 'SCIM cancel test',
  ...extra,
});
const reached = (route: 'create' | 'authorize' | 'token' | 'scim') => (): boolean => sim.requestsTo(route).length > 0;

/** Each output name written once to the append-only GITHUB_OUTPUT file. */
function expectWrittenOnce(run: ActionRun): void {
  const names = [...run.outputFile.matchAll(/^([a-z-]+)<</gmu)].map((m) => m[1]);
  expect(names.length, run.outputFile).toBeGreaterThan(0);
  expect(new Set(names).size).toBe(names.length);
}

function expectNoSecretShown(run: ActionRun): void {
  const secrets = [
    OWNER.password,
    ...[...sim.registrations.values()].map((r) => r.clientSecret),
    ...sim.loginTokens.keys(),
    ...sim.accessTokens.keys(),
  ];
  for (const secret of secrets) {
    expect(run.log.text).not.toContain(secret);
    expect(run.summary).not.toContain(secret);
  }
  expect(run.stderr).toBe('');
}

describe('cancelled while the platform holds a call open (bundle, Node 24)', () => {
  it('SIGINT during step 3 (authorize): the registration and its credentials are in the outputs, one ::error::, exit at once', async () => {
    sim.fault('authorize', HOLD);
    const run = await runAction(provision(), { signal: { name: 'SIGINT', when: reached('authorize') } });
    const [registration] = [...sim.registrations.values()];
    expect(run.exitCode).toBe(1);
    expect(run.signalToExitMs).toBeLessThan(2000);
    expect(run.outputs['registration-id']).toBe(registration?.id);
    expect(run.outputs['client-id']).toBe(registration?.clientId);
    expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
    expect(run.log.masks).toContain(registration?.clientSecret);
    expectWrittenOnce(run);
    expect(run.log.errors).toEqual([
      `Authorize failed: the run was cancelled (SIGINT) while this step was in flight; registration ${registration?.id} ("SCIM cancel test") was created but not authorized; its registration-id, client-id, client-secret outputs are set. Fix: store the outputs of this run, then authorize the registration by hand (step 3 of the platform's setup guide) or remove it in the platform; re-running creates another.`,
    ]);
    const rows = renderMarkdown(run.summary).tables.flat();
    expect(rows).toContainEqual(['Failed step', 'authorize']);
    expect(rows).toContainEqual(['Registration id', registration?.id]);
    expect(rows).toContainEqual(['Authorized', 'no']);
    expectNoSecretShown(run);
  });

  it('SIGTERM during step 4 (verify): the registration is authorized and kept', async () => {
    sim.fault('token', HOLD);
    const run = await runAction(provision(), { signal: { name: 'SIGTERM', when: reached('token') } });
    const [registration] = [...sim.registrations.values()];
    expect(run.exitCode).toBe(1);
    expect(run.signalToExitMs).toBeLessThan(2000);
    expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
    expect(run.outputs['access-token']).toBeUndefined();
    expectWrittenOnce(run);
    expect(run.log.errors).toHaveLength(1);
    expect(run.log.errors[0]).toMatch(
      /^Token failed: the run was cancelled \(SIGTERM\) while this step was in flight; registration \S+ \("SCIM cancel test"\) was created and authorized; /u,
    );
    expectNoSecretShown(run);
  });

  it('during the SCIM check: the token outputs were written when step 4 answered', async () => {
    sim.fault('scim', HOLD);
    const run = await runAction(provision({ 'scim-check': 'true' }), {
      signal: { name: 'SIGINT', when: reached('scim') },
    });
    expect(run.exitCode).toBe(1);
    expect(sim.accessTokens.has(run.outputs['access-token'] ?? '')).toBe(true);
    expect(run.outputs['expires-in']).toBe('3600');
    expectWrittenOnce(run);
    expect(run.log.errors[0]).toMatch(
      /^SCIM check failed: the run was cancelled \(SIGINT\) .* and its credentials got a token; its registration-id, client-id, client-secret, access-token, token-type, expires-in, expires-at outputs are set\./u,
    );
    expectNoSecretShown(run);
  });

  it('during step 2 (create): says a registration may exist, and under which name to look', async () => {
    sim.fault('create', HOLD);
    const run = await runAction(provision(), { signal: { name: 'SIGINT', when: reached('create') } });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['registration-id']).toBeUndefined();
    expect(run.log.errors).toEqual([
      'Create registration failed: the run was cancelled (SIGINT) while this step was in flight; the platform may have created a registration named "SCIM cancel test" anyway. Fix: look for the registration named "SCIM cancel test" in the platform before re-running (re-running creates another).',
    ]);
    expectNoSecretShown(run);
  });

  it("a second signal (the runner's SIGTERM after SIGINT) changes nothing", async () => {
    sim.fault('authorize', HOLD);
    let sent = 0;
    const run = await runAction(provision(), {
      signal: {
        name: 'SIGINT',
        when: () => {
          if (!reached('authorize')()) return false;
          sent += 1;
          return true;
        },
      },
    });
    expect(sent).toBe(1);
    expect(run.log.errors).toHaveLength(1);
    expectWrittenOnce(run);
  });
});

describe('startRun cancel (in process)', () => {
  it('writes each output once, the summary once, one failure; a second cancel and the late end change nothing', async () => {
    sim.fault('authorize', { delayMs: 300 });
    const core = fakeCore({ ...provision(), 'max-attempts': '1' });
    const started = startRun({
      core,
      env: { GITHUB_OUTPUT: '/dev/null', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '1' },
      createTransport: (userAgent, timeoutMs, cas) => createHttpTransport(userAgent, timeoutMs, cas),
      sleep: async () => undefined,
      random: () => 0,
      now: () => new Date(),
      userAgent: 'test/1',
    });
    while (sim.requestsTo('authorize').length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // Written when step 2 answered, before step 3 was sent.
    expect(Object.keys(core.outputs)).toEqual(
      expect.arrayContaining(['registration-id', 'client-id', 'client-secret']),
    );
    await Promise.all([started.cancel('SIGINT'), started.cancel('SIGTERM')]);
    await started.done;
    const outputs = core.events.filter((e) => e.kind === 'output').map((e) => (e.kind === 'output' ? e.name : ''));
    expect(new Set(outputs).size).toBe(outputs.length);
    expect(core.events.filter((e) => e.kind === 'summary')).toHaveLength(1);
    expect(core.failures).toHaveLength(1);
    expect(core.failures[0]).toMatch(/^Authorize failed: the run was cancelled \(SIGINT\)/u);
  });
});

describe('an outputs file that fails mid-run (in process)', () => {
  it('after an earlier failure: that failure stays the one error, the outputs problem a warning', async () => {
    sim.fault('create', { act: true, mutate: (body) => ({ ...body, credentials: null }) });
    const core = fakeCore({ ...provision(), 'max-attempts': '1' });
    const setOutput = core.setOutput.bind(core);
    core.setOutput = (name, value) => {
      if (name === 'registration-id') throw new Error('ENOSPC: no space left on device');
      setOutput(name, value);
    };
    await startRun({
      core,
      env: { GITHUB_OUTPUT: '/dev/null', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '1' },
      createTransport: (userAgent, timeoutMs, cas) => createHttpTransport(userAgent, timeoutMs, cas),
      sleep: async () => undefined,
      random: () => 0,
      now: () => new Date(),
      userAgent: 'test/1',
    }).done;
    expect(core.failures).toHaveLength(1);
    expect(core.failures[0]).toMatch(
      /^Create registration failed \(HTTP 201\): registration \S+ was created but the response has credentials: null/u,
    );
    expect(core.events.filter((e) => e.kind === 'warning').map((e) => ('text' in e ? e.text : ''))).toEqual([
      'The step outputs could not be written (GITHUB_OUTPUT): ENOSPC: no space left on device',
    ]);
  });
});

describe('no GITHUB_OUTPUT (outside a runner): item 5', () => {
  it('fails before any request, and never prints ::set-output (which would show the token in clear)', async () => {
    const record = sim.seedRegistration();
    const run = await runAction(
      { mode: 'token', 'base-url': sim.baseUrl, 'client-id': record.clientId, 'client-secret': record.clientSecret },
      { env: { GITHUB_OUTPUT: '' } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).not.toContain('set-output');
    expect(run.log.errors).toEqual([
      'Run failed: GITHUB_OUTPUT is not set, so the step outputs (client-secret and access-token among them) could only be printed in the log; nothing was sent. Fix: run the action as a step of a GitHub Actions job, whose runner sets GITHUB_OUTPUT; elsewhere set GITHUB_OUTPUT to the path of a writable file (npm run local does).',
    ]);
    expect(sim.requests).toHaveLength(0);
    expect(run.stdout).not.toContain(record.clientSecret);
  });
});
