/**
 * Nothing made is lost on cancel. The outputs are written as
 * soon as they are known (before the next request), and on SIGINT/SIGTERM the
 * action writes what is known to the outputs and the summary, fails the step
 * with one ::error:: naming the step in flight and what was made, and exits.
 * End to end: the entry file under Node 24, signalled while the simulator holds
 * a call open (in process: runs/cancel.test.ts); and killed hard (SIGKILL, no
 * handler runs) to prove the outputs were already in GITHUB_OUTPUT.
 * Item 5 (no GITHUB_OUTPUT) is here too: it is about where outputs go.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../support/markdown.ts';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { provisionInputs, withSimulator } from '../support/platform.ts';
import { expectNoSecretShown } from '../support/secrets.ts';

const sim = withSimulator();

const HOLD = { delayMs: 20_000 };
const provision = (extra: Record<string, string> = {}): Record<string, string> =>
  provisionInputs(sim, { 'client-name': 'SCIM cancel test', ...extra });
const reached = (route: 'create' | 'authorize' | 'token' | 'scim') => (): boolean => sim.requestsTo(route).length > 0;

/** Each output name written once to the append-only GITHUB_OUTPUT file. */
function expectWrittenOnce(run: ActionRun): void {
  const names = [...run.outputFile.matchAll(/^([a-z-]+)<</gmu)].map((m) => m[1]);
  expect(names.length, run.outputFile).toBeGreaterThan(0);
  expect(new Set(names).size).toBe(names.length);
}

/** No secret of the run shown (support/secrets.ts), and nothing on stderr (no stack trace). */
function expectCleanCancel(run: ActionRun): void {
  expectNoSecretShown(run, sim);
  expect(run.stderr).toBe('');
}

describe('cancelled while the platform holds a call open (the entry file, Node 24)', () => {
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
      `Authorize failed: the run was cancelled (SIGINT) while this step was in flight; registration ${registration?.id} ("SCIM cancel test") was created but not authorized; its registration-id, client-id, client-secret outputs are set. Fix: authorize the registration by hand (step 3 of the platform's setup guide) or delete it in the platform; re-running creates another.`,
    ]);
    const rows = renderMarkdown(run.summary).tables.flat();
    expect(rows).toContainEqual(['Failed step', 'authorize']);
    expect(rows).toContainEqual(['Registration id', registration?.id]);
    expect(rows).toContainEqual(['Authorized', 'no']);
    expectCleanCancel(run);
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
    expectCleanCancel(run);
  });

  it('during the SCIM check: the error names the token outputs as set', async () => {
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
    expectCleanCancel(run);
  });

  it('killed hard (SIGKILL, no handler runs) during the SCIM check: the token outputs were written when step 4 answered', async () => {
    sim.fault('scim', HOLD);
    const run = await runAction(provision({ 'scim-check': 'true' }), {
      signal: { name: 'SIGKILL', when: reached('scim') },
    });
    expect(run.exitCode).toBeNull();
    expect(run.log.errors).toEqual([]);
    const [registration] = [...sim.registrations.values()];
    expect(run.outputs['registration-id']).toBe(registration?.id);
    expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
    expect(sim.accessTokens.has(run.outputs['access-token'] ?? '')).toBe(true);
    expect(run.outputs['token-type']).toBe('Bearer');
    expect(run.outputs['expires-in']).toBe('3600');
    expect(run.outputs['expires-at']).toMatch(/^\d{4}-\d\d-\d\dT/u);
    expectWrittenOnce(run);
  });

  it('during step 2 (create): says a registration may exist, and under which name to look', async () => {
    sim.fault('create', HOLD);
    const run = await runAction(provision(), { signal: { name: 'SIGINT', when: reached('create') } });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['registration-id']).toBeUndefined();
    expect(run.log.errors).toEqual([
      'Create registration failed: the run was cancelled (SIGINT) while this step was in flight; the platform may have created a registration named "SCIM cancel test" anyway. Fix: look for the registration named "SCIM cancel test" in the platform before re-running (re-running creates another).',
    ]);
    expectCleanCancel(run);
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

describe('no GITHUB_OUTPUT (outside a runner)', () => {
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
