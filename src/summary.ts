/**
 * The step summary (`core.summary`): what was made, the values to paste into
 * the directory (Microsoft Entra ID's provisioning page), and on failure the
 * failed step and its fix. It never holds a secret: secrets appear only as
 * the name of the output that carries them.
 */
import type { Report } from './report.ts';
import type { ActionError } from './errors.ts';
import type { Mode } from './inputs.ts';

/** The part of `core.summary` this module uses. */
export interface SummaryWriter {
  addRaw(text: string, addEOL?: boolean): SummaryWriter;
  write(): Promise<unknown>;
}

/**
 * Renders the summary as Markdown.
 * @param report the run's report, or undefined when the inputs were invalid.
 * @param now the time the summary is written, for "expires in" (relative).
 */
export function renderSummary(mode: Mode | undefined, report: Report | undefined, failure: ActionError | undefined, now: Date): string {
  const lines: string[] = [];
  const title = `Invicti SCIM credentials${mode ? `: ${mode}` : ''}`;
  lines.push(`### ${failure ? '❌' : '✅'} ${title} ${failure ? 'failed' : 'succeeded'}`, '');
  if (failure) {
    lines.push('| | |', '|---|---|');
    lines.push(row('Failed step', failure.step));
    if (failure.status !== undefined) lines.push(row('HTTP status', String(failure.status)));
    lines.push(row('Why', failure.reason), row('Fix', failure.fix), '');
  }
  if (!report) return lines.join('\n');

  lines.push('| | |', '|---|---|');
  lines.push(row('Mode', report.mode), row('Base URL', report.baseUrl), row('Region', report.region ?? '(custom base-url)'));
  const registration = report.registration;
  if (report.mode === 'provision') {
    lines.push(row('Registration id', registration?.id ?? '(none created)'));
    if (registration) {
      lines.push(row('Client name', registration.name));
      lines.push(row('client-id', registration.clientId ?? '(not returned)'));
    }
    lines.push(row('Authorized', registration?.authorized ? 'yes' : 'no'));
    lines.push(row('Verified (token obtained)', report.verified ? 'yes' : 'no'));
  }
  const token = report.token;
  if (token) {
    lines.push(row('Token type', token.tokenType || '(not given)'));
    lines.push(
      row(
        'Token expires',
        token.expiresIn === undefined || token.expiresAt === undefined
          ? '(the server gave no expires_in)'
          : `${token.expiresAt} (in ${relative(new Date(token.expiresAt).getTime() - now.getTime())})`,
      ),
    );
  }
  lines.push(row('SCIM check', report.scim ? 'passed' : failure?.step === 'SCIM check' ? 'failed' : 'not run'));
  lines.push('');

  if (report.scim) {
    const yesNo = (value: boolean | undefined): string => (value === undefined ? 'not stated' : value ? 'supported' : 'not supported');
    lines.push('#### SCIM ServiceProviderConfig', '', '| feature | server says |', '|---|---|');
    for (const [name, value] of Object.entries(report.scim)) lines.push(row(name, yesNo(value as boolean | undefined)));
    lines.push('');
  }

  const clientId = report.mode === 'provision' ? registration?.clientId : undefined;
  lines.push(
    '#### Directory hand-off (Microsoft Entra ID → Provisioning → Admin Credentials)',
    '',
    '| field | value |',
    '|---|---|',
    row('Authentication Method', 'OAuth2 Client Credentials Grant'),
    row('Tenant URL', report.scimUrl, true),
    row('Token Endpoint', report.tokenUrl, true),
  );
  if (report.mode === 'provision') {
    lines.push(row('Client Identifier', clientId ?? '(not available)', clientId !== undefined));
    lines.push(row('Client Secret', 'the step output client-secret (masked; never shown here)'));
  }
  lines.push('');
  return lines.join('\n');
}

/** Writes the rendered summary; a runner without a summary file is not an error. */
export async function writeSummary(writer: SummaryWriter, markdown: string): Promise<boolean> {
  try {
    await writer.addRaw(markdown, true).write();
    return true;
  } catch {
    return false;
  }
}

function row(name: string, value: string, code = false): string {
  const cell = escapeCell(value);
  return `| ${escapeCell(name)} | ${code ? `\`${cell.replace(/`/gu, "'")}\`` : cell} |`;
}

function escapeCell(text: string): string {
  return text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/\|/gu, '\\|').replace(/\r?\n/gu, ' ');
}

function relative(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}
