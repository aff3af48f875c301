/**
 * Cancel in process (src/main.ts `startRun` and its `cancel`) with a fake
 * @actions/core against the simulator: each output and the summary written
 * once, one failure naming the step in flight; and an outputs file that fails
 * mid-run after an earlier failure. The entry file signalled: e2e/cancel.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { startRun } from '../../src/main.ts';
import { fakeCore } from '../support/fake-core.ts';
import { runDependencies } from '../support/in-process.ts';
import { provisionInputs, withSimulator } from '../support/platform.ts';

const sim = withSimulator();
const provision = (): Record<string, string> => provisionInputs(sim, { 'client-name': 'SCIM cancel test' });

describe('startRun cancel (in process)', () => {
  it('writes each output once, the summary once, one failure; a second cancel and the late end change nothing', async () => {
    sim.fault('authorize', { delayMs: 300 });
    const core = fakeCore({ ...provision(), 'max-attempts': '1' });
    const started = startRun(runDependencies(core));
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
    await startRun(runDependencies(core)).done;
    expect(core.failures).toHaveLength(1);
    expect(core.failures[0]).toMatch(
      /^Create registration failed \(HTTP 201\): registration \S+ was created but the response has credentials: null/u,
    );
    expect(core.events.filter((e) => e.kind === 'warning').map((e) => ('text' in e ? e.text : ''))).toEqual([
      'The step outputs could not be written (GITHUB_OUTPUT): ENOSPC: no space left on device',
    ]);
  });
});
