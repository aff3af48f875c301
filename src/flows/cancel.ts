/**
 * The failure of a cancelled run: the runner sends SIGINT, then SIGTERM about
 * 7.5 s later, when a job is cancelled or exceeds `timeout-minutes`. The
 * error names the step that was in flight and what the platform had made.
 */
import { ActionError, type Step } from '../errors.ts';
import { entraHolds, outputsOf, type Report } from '../runner/report.ts';

/**
 * @param signal `SIGINT` or `SIGTERM`.
 * @param step the last step sent to the platform, if any.
 * @param report what the run learned (undefined before the inputs were read).
 * @param clientName the `client-name` input, for a registration that may exist.
 */
export function cancelledError(
  signal: string,
  step: Step | undefined,
  report: Report | undefined,
  clientName: string | undefined,
): ActionError {
  const registration = report?.registration;
  const stored = report
    ? Object.keys(outputsOf(report)).filter((name) => name !== 'scim-url' && name !== 'token-url')
    : [];
  const outputs = stored.length === 0 ? '' : `; its ${stored.join(', ')} outputs are set`;
  let made: string;
  let fix = 're-run the job if the cancellation was not intended';
  if (registration) {
    const name = registration.name === '' ? '' : ` ("${registration.name}")`;
    made = `registration ${registration.id ?? '(id not returned)'}${name} was created${registration.authorized ? ' and authorized' : ' but not authorized'}${report?.token ? ', and its credentials got a token' : ''}${outputs}`;
    fix = registration.authorized
      ? 're-running creates another registration: to use this one, later steps of this job read its outputs, or an Owner reads its client secret on the platform; otherwise delete it there'
      : "authorize the registration by hand (step 3 of the platform's setup guide) or delete it in the platform; re-running creates another";
  } else if (report?.mode === 'provision' && step === 'create registration') {
    made = `the platform may have created a registration named "${clientName ?? ''}" anyway`;
    fix = `look for the registration named "${clientName ?? ''}" in the platform before re-running (re-running creates another)`;
  } else if (report?.mode === 'provision') {
    made = 'no registration was created';
  } else if (report?.mode === 'entra-check') {
    made = 'the check only reads, so nothing was changed';
  } else {
    made = report?.token ? `a bearer token was obtained${outputs}` : 'no token was obtained';
  }
  // With the Entra inputs: whether Entra may hold the old or the new values.
  const entra = report?.mode === 'entra-check' ? undefined : entraHolds(report?.entra);
  if (entra !== undefined) {
    made = `${made}; ${entra}`;
    if (report?.entra?.save === 'sent')
      fix = `${fix}; then run mode entra-check to see whether the values Entra holds work`;
  }
  return new ActionError({
    step: step ?? 'run',
    reason: `the run was cancelled (${signal})${step ? ' while this step was in flight' : ''}; ${made}`,
    fix,
  });
}
