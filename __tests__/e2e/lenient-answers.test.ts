/**
 * Odd but valid 2xx answers are read, end to end (the entry file under Node 24
 * against the simulator): a UTF-8 byte-order mark before the JSON. Request
 * level, per step: client/platform-api.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { runAction } from '../../harness/runner.ts';
import { ROUTES } from '../../harness/simulator.ts';
import { expectProvisioned, provisionInputs, withSimulator } from '../support/platform.ts';

const sim = withSimulator();

const provision = (): Record<string, string> =>
  provisionInputs(sim, { 'client-name': 'Entra ID odd answers', 'scim-check': 'true' });

describe('odd but valid 2xx answers', () => {
  it('a UTF-8 byte-order mark before every JSON answer: the run succeeds without a warning', async () => {
    for (const route of ROUTES) sim.fault(route, { act: true, bom: true });
    const run = await runAction(provision());
    expectProvisioned(run, sim);
    expect(run.log.warnings).toEqual([]);
  });
});
