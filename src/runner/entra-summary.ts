/**
 * The step summary's Microsoft Entra ID section (loaded only with the Entra inputs): the app, the
 * job, the keys changed (names only), both tests, the quarantine and the client id Entra held.
 */
import { entraHolds, type EntraReport } from './report.ts';
import type { EntraSection } from './summary.ts';

/**
 * The Microsoft Entra ID section: the app, the job, the keys changed (names only), both tests,
 * the quarantine and the client id Entra held before; `row` escapes text from outside.
 */
export const entraSection: EntraSection = (entra, mode, failure, row, ownRow) => {
  const check = mode === 'entra-check';
  const lines = [
    check ? '#### Microsoft Entra ID check (read only)' : '#### Microsoft Entra ID hand-off',
    '',
    '| | |',
    '|---|---|',
    row('Enterprise application (Object ID)', entra.servicePrincipalId, true),
    row('Tenant', entra.tenantId, true),
    row('App registration (signs in)', entra.appClientId, true),
  ];
  if (entra.subject !== undefined) lines.push(row('GitHub OIDC subject', entra.subject, true));
  lines.push(
    entra.jobId === undefined ? ownRow('Provisioning job', '(not found)') : row('Provisioning job', entra.jobId, true),
  );
  if (entra.jobStatus !== undefined) lines.push(row('Job status (when read)', entra.jobStatus));
  if (entra.quarantined !== undefined) {
    const reason = entra.quarantineReason === undefined ? '' : ` (${entra.quarantineReason})`;
    const state = !entra.quarantined
      ? 'no'
      : check
        ? `yes${reason}`
        : `yes${reason}: ${entra.quarantine === 'lifted' ? 'lifted by this run' : 'not lifted'}`;
    lines.push(row('Quarantine', state));
  }
  lines.push(
    entra.previousClientId === undefined
      ? ownRow(
          check ? 'Client id Entra holds' : 'Previous client id Entra held',
          entra.keys === undefined ? '(not read)' : '(not readable)',
        )
      : row(check ? 'Client id Entra holds' : 'Previous client id Entra held', entra.previousClientId, true),
  );
  if (!check) {
    lines.push(
      entra.changedKeys === undefined
        ? ownRow('Keys changed', '(none: not reached)')
        : row('Keys changed', entra.changedKeys.join(', ') || 'none', true),
      ownRow("Entra's test of the new values", entra.newTest),
      ownRow('Saved in Entra', SAVE_STATES[entra.save]),
    );
  }
  lines.push(ownRow(check ? "Entra's test of its saved values" : "Entra's test of the saved values", entra.savedTest));
  if (!check) {
    lines.push(ownRow('entra-updated', String(entra.updated)));
    const holds = entraHolds(entra);
    if (failure && holds !== undefined) lines.push(ownRow('What Entra holds now', holds));
  }
  lines.push('');
  return lines;
};

const SAVE_STATES: Record<EntraReport['save'], string> = {
  'not sent': 'no (not sent)',
  sent: 'unknown (sent, no answer)',
  saved: 'yes',
  refused: 'no (refused)',
};
