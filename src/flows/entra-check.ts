/**
 * `mode: entra-check`: what Microsoft Entra ID really uses, read only. Signs in with the job's
 * GitHub OIDC token, finds the enterprise application's SCIM job, reads its saved keys, asks
 * Entra to test the credentials it has saved (`validateCredentials` with `useSavedCredentials:
 * true`) and reads the job's quarantine. Never saves, never restarts; needs no client secret.
 */
import { ActionError, amend } from '../errors.ts';
import type { EntraInputs } from '../runner/entra-inputs.ts';
import type { EntraReport } from '../runner/report.ts';
import { entraPreflight, isTestFailure, type EntraContext } from './entra-handoff.ts';

/**
 * Runs the check, recording what it finds in `entra`.
 * @throws ActionError: a preflight step's error, `Entra test saved credentials` when Entra's test
 * of its saved credentials fails, `Entra check` when the job is in quarantine.
 */
export async function entraCheck(context: EntraContext, inputs: EntraInputs, entra: EntraReport): Promise<void> {
  const { log } = context;
  log.info(
    `Mode entra-check: enterprise application ${inputs.servicePrincipalId} in tenant ${inputs.tenantId} (read only)`,
  );
  const session = await entraPreflight(context, inputs, entra, true);
  await log.group('Entra: test the saved credentials', async () => {
    try {
      await session.graph.validateCredentials('Entra test saved credentials', session.job.id);
    } catch (error) {
      entra.savedTest = 'failed';
      throw isTestFailure(error)
        ? amend(error, {
            note: 'the credentials Microsoft Entra ID has saved do not work, so provisioning fails (this check changed nothing)',
            fixNote:
              "hand over working credentials: run this action with mode provision and the entra-* inputs (a rotation), or mode token with a registration's client-id and client-secret",
          })
        : error;
    }
    entra.savedTest = 'passed';
    log.info("Entra's test of the saved credentials passed");
  });
  if (session.job.quarantined) {
    throw new ActionError({
      step: 'Entra check',
      reason: `provisioning job ${session.job.id} is in quarantine (${session.job.quarantineReason ?? 'no reason given'}), so Entra provisions rarely or not at all, although its saved credentials pass the test now`,
      fix: 'read the cause in the provisioning logs; then run a rotation (mode provision with the entra-* inputs), which lifts the quarantine after Entra tests the new credentials, or choose Restart provisioning in the portal',
    });
  }
  log.info(`Provisioning job ${session.job.id} is not in quarantine (status ${session.job.statusCode ?? 'not given'})`);
}
