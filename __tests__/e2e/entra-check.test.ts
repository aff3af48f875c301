/**
 * Issue 15, `mode: entra-check`: with only the Entra inputs, Entra tests the
 * credentials it has saved (against the platform simulator) and the job's
 * state is read; the run fails when the test fails or the job is in quarantine.
 * It only reads: never saves, never restarts. End to end under Node 24.
 */
import { describe, expect, it } from 'vitest';
import { scimJob } from '../../harness/microsoft.ts';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { expectNotShown, expectOneError, microsoftSecrets, useEntraWorld, withIdToken } from '../support/entra.ts';

const w = useEntraWorld();

const check = (): Promise<ActionRun> => runAction({ mode: 'entra-check', ...w.ms.inputs() }, withIdToken(w.ms));

/** The run only read: nothing saved, nothing restarted, no platform request of its own. */
function expectReadOnly(run: ActionRun): void {
  expect(w.ms.requestsTo('save')).toEqual([]);
  expect(w.ms.requestsTo('restart')).toEqual([]);
  expect(w.ms.requestsTo('validate').map((r) => JSON.parse(r.body) as unknown)).toEqual([
    { useSavedCredentials: true },
  ]);
  // The platform saw only Entra's test (HTTP Basic token request, then the Users read).
  for (const request of w.sim.requestsTo('token')) expect(request.headers['authorization']).toMatch(/^Basic /u);
  expect(w.sim.requests.filter((r) => r.route !== 'token' && r.route !== 'users')).toEqual([]);
  expect(w.ms.savedCredentials().clientId).toBe(w.previous.clientId);
  expectNotShown(run, [...microsoftSecrets(w.ms), w.previous.clientSecret]);
}

describe.each(['oauth2', 'client'] as const)('mode: entra-check (%s key names)', (style) => {
  it('reports the client id Entra holds, read under the key name the app uses', async () => {
    await w.restart({ keyStyle: style });
    const run = await check();
    expect(run.exitCode, run.log.text).toBe(0);
    expect(run.summary).toContain(w.previous.clientId);
    expectReadOnly(run);
  });
});

describe('mode: entra-check', () => {
  it('passes when Entra’s test of its saved credentials passes and the job is not in quarantine', async () => {
    const run = await check();
    expect(run.exitCode, run.log.text).toBe(0);
    expect(w.ms.tests).toEqual([
      { useSavedCredentials: true, passed: true, detail: '', clientId: w.previous.clientId },
    ]);
    expect(run.outputs['entra-job-id']).toBe(w.ms.job.id);
    expect(run.summary).toContain(w.ms.job.id);
    expectReadOnly(run);
  });

  it('fails when the saved credentials fail Entra’s test (e.g. the registration was deleted), with a fix', async () => {
    w.sim.registrations.delete(w.previous.id);
    const run = await check();
    const error = expectOneError(run);
    expect(w.ms.tests).toMatchObject([{ useSavedCredentials: true, passed: false }]);
    expect(error).toMatch(/saved/iu);
    expectReadOnly(run);
  });

  it('fails when the job is in quarantine, even though the test passes; does not lift it', async () => {
    w.ms.jobs = [scimJob(true)];
    const run = await check();
    const error = expectOneError(run);
    expect(error).toMatch(/quarantine/iu);
    expect(w.ms.job.status.code).toBe('Quarantine');
    expectReadOnly(run);
  });

  it('Graph 403: fails naming the permissions, having read nothing else', async () => {
    w.ms.forbidden = true;
    const error = expectOneError(await check());
    expect(error).toContain('Synchronization.ReadWrite.All');
    expect(w.ms.requestsTo('validate')).toEqual([]);
    expect(w.sim.requests).toEqual([]);
  });

  it('needs no platform input and no client secret; without id-token permission it says so', async () => {
    const run = await runAction({ mode: 'entra-check', ...w.ms.inputs() });
    const error = expectOneError(run);
    expect(error).toContain('id-token: write');
    expect(w.ms.requests).toEqual([]);
  });

  it('without the Entra inputs it is an input error', async () => {
    const run = await runAction({ mode: 'entra-check' }, withIdToken(w.ms));
    expect(expectOneError(run)).toContain('entra-tenant-id');
    expect(w.ms.requests).toEqual([]);
  });
});
