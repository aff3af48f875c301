/**
 * Mode entra-check's flow (src/flows/entra-check.ts) over a scripted Microsoft side: it only
 * reads (no PUT, no restart), and fails when Entra's test of its saved credentials fails or the
 * job is in quarantine.
 */
import { describe, expect, it } from 'vitest';
import type { ActionError } from '../../src/errors.ts';
import { entraCheck } from '../../src/flows/entra-check.ts';
import { graphCalls, INPUTS, microsoft, newEntraReport, testFailed } from '../support/scripted-microsoft.ts';

describe('entraCheck', () => {
  it('reads only: no PUT, no restart; passes when the saved test passes and there is no quarantine', async () => {
    const { s, context } = microsoft();
    const entra = newEntraReport(INPUTS);
    await entraCheck(context, INPUTS, entra);
    expect(graphCalls(s)).toEqual(['GET /jobs', 'GET /secrets', 'POST /jobs/scim.0a1b/validateCredentials saved=true']);
    expect(entra.savedTest).toBe('passed');
  });

  it('fails when the saved credentials fail the test, with a fix', async () => {
    const { context } = microsoft({ validate: [testFailed] });
    const entra = newEntraReport(INPUTS);
    const error = (await entraCheck(context, INPUTS, entra).catch((e: unknown) => e)) as ActionError;
    expect(error.step).toBe('Entra test saved credentials');
    expect(error.why).toContain('do not work');
    expect(entra.savedTest).toBe('failed');
  });

  it('fails on a quarantine even when the test passes, and does not lift it', async () => {
    const { s, context } = microsoft({
      jobs: [{ id: 'scim.0a1b', templateId: 'scim', status: { code: 'Quarantine', quarantine: { reason: 'r' } } }],
    });
    const error = (await entraCheck(context, INPUTS, newEntraReport(INPUTS)).catch((e: unknown) => e)) as ActionError;
    expect(error.step).toBe('Entra check');
    expect(error.why).toContain('in quarantine (r)');
    expect(graphCalls(s).some((call) => call.includes('restart'))).toBe(false);
  });
});
