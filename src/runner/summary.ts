/**
 * The step summary (`core.summary`): what was made, the values to paste into
 * the directory (Microsoft Entra ID's provisioning page), and on failure the
 * failed step and its fix. It never holds a secret: secrets appear only as
 * the name of the output that carries them.
 */
import type { EntraReport, Report } from './report.ts';
import { stripBidi, type ActionError } from '../errors.ts';
import type { Mode } from './inputs.ts';
import { describeOwnerAuth } from '../client/owner.ts';
import { redact } from './mask.ts';

/**
 * Renders the Microsoft Entra ID section (`entra-summary.ts`, loaded with the Entra flows);
 * `row(name, value, code)` is a table row of text from outside (redacted, escaped), `own(name,
 * text)` one of the action's own words.
 */
export type EntraSection = (
  entra: EntraReport,
  mode: Report['mode'],
  failure: ActionError | undefined,
  row: (name: string, value: string, code?: boolean) => string,
  own: (name: string, text: string) => string,
) => string[];

/** The part of `core.summary` this module uses. */
export interface SummaryWriter {
  addRaw(text: string, addEOL?: boolean): SummaryWriter;
  write(): Promise<unknown>;
}

/**
 * Renders the summary as Markdown: on failure first the failed step, why and
 * the fix; then mode, base URL and region; the registration (provision); the
 * token's type and expiry (absolute and relative); the SCIM check and what the
 * server says it supports; and the directory hand-off values.
 * @param report the run's report, or undefined when the inputs were invalid.
 * @param now the time the summary is written, for "expires in" (relative).
 * @param redactText replaces registered secrets in a value before it is
 * escaped (an escaped secret would no longer match); default: no change.
 * @param entraSection renders the Entra section of a report with `entra` (none without it).
 */
export function renderSummary(
  mode: Mode | undefined,
  report: Report | undefined,
  failure: ActionError | undefined,
  now: Date,
  redactText: (text: string) => string = (text) => text,
  entraSection?: EntraSection,
): string {
  // A row of text from the server or the inputs: shown as plain text, or as a code span with `code`.
  const row = (name: string, value: string, code = false): string => {
    const plain = redactText(value);
    return `| ${ownCell(name)} | ${code ? codeSpan(plain) : escapeText(plain)} |`;
  };
  const lines: string[] = [];
  const title = `Invicti SCIM credentials${mode ? `: ${mode}` : ''}`;
  lines.push(`### ${failure ? '❌' : '✅'} ${title} ${failure ? 'failed' : 'succeeded'}`, '');
  if (failure) {
    lines.push('| | |', '|---|---|');
    lines.push(ownRow('Failed step', failure.step));
    if (failure.status !== undefined) lines.push(ownRow('HTTP status', String(failure.status)));
    if (failure.code !== undefined)
      lines.push(row(failure.step.startsWith('Entra') ? 'Microsoft error' : 'Platform error', failure.code, true));
    lines.push(row('Why', failure.why), row('Fix', failure.howToFix), '');
  }
  if (!report) return lines.join('\n');

  if (report.mode === 'entra-check') {
    lines.push('| | |', '|---|---|', ownRow('Mode', report.mode), '');
    if (report.entra && entraSection) lines.push(...entraSection(report.entra, report.mode, failure, row, ownRow));
    return lines.join('\n');
  }
  const requested = report.requested;
  const failedAt = failure?.step;
  lines.push('| | |', '|---|---|');
  lines.push(
    ownRow('Mode', report.mode),
    row('Base URL', report.baseUrl, true),
    ownRow('Region', report.region ?? '(custom base-url)'),
  );
  if (report.audience !== undefined) lines.push(row('Token audience', report.audience, true));
  if (report.organizationId !== undefined) lines.push(row('Organization id', report.organizationId, true));
  const registration = report.registration;
  if (report.mode === 'provision') {
    if (report.ownerAuth !== undefined) lines.push(ownRow('Authenticated with', describeOwnerAuth(report.ownerAuth)));
    lines.push(
      registration?.id !== undefined
        ? row('Registration id', registration.id, true)
        : ownRow('Registration id', registration ? '(not returned)' : '(none created)'),
    );
    if (registration) {
      lines.push(row('Client name', registration.name));
      lines.push(
        registration.clientId === undefined
          ? ownRow('client-id', '(not returned)')
          : row('client-id', registration.clientId, true),
      );
    }
    lines.push(ownRow('Authorized', registration?.authorized ? 'yes' : 'no'));
    const verified = report.verified
      ? 'yes'
      : requested?.verify === false
        ? 'no (not requested: verify is false)'
        : 'no';
    lines.push(ownRow('Verified (token obtained)', verified));
  } else if (report.clientId !== undefined) {
    lines.push(row('client-id', report.clientId, true));
  }
  const token = report.token;
  if (token) {
    lines.push(token.tokenType ? row('Token type', token.tokenType) : ownRow('Token type', '(not given)'));
    lines.push(
      ownRow(
        'Token expires',
        token.expiresIn === undefined || token.expiresAt === undefined
          ? '(the server gave no expires_in)'
          : `${token.expiresAt} (in ${relative(new Date(token.expiresAt).getTime() - now.getTime())}; lifetime ${token.expiresIn} s)`,
      ),
    );
  } else {
    lines.push(
      ownRow(
        'Token',
        requested?.verify === false && report.mode === 'provision'
          ? 'not requested (verify is false)'
          : 'none obtained',
      ),
    );
  }
  lines.push(ownRow('SCIM check', scimResult(report, failedAt)));
  lines.push('');

  if (report.scimChecks) {
    lines.push('#### SCIM check (what the directory will read)', '', '| read | result |', '|---|---|');
    for (const { check, result, detail } of report.scimChecks)
      lines.push(ownRow(check, detail === '' ? result : `${result}: ${detail}`));
    lines.push('');
  }
  if (report.scim) {
    const says = (value: boolean | undefined): string =>
      value === undefined ? 'not stated' : value ? 'supported' : 'not supported';
    lines.push(
      '#### SCIM ServiceProviderConfig (what the server says it supports)',
      '',
      '| feature | server says |',
      '|---|---|',
    );
    for (const name of ['patch', 'bulk', 'filter', 'sort', 'etag', 'changePassword'] as const)
      lines.push(ownRow(name, says(report.scim[name])));
    lines.push('');
  }

  if (report.entra && entraSection) lines.push(...entraSection(report.entra, report.mode, failure, row, ownRow));

  const clientId = report.mode === 'provision' ? registration?.clientId : report.clientId;
  if (clientId === undefined) return lines.join('\n');
  lines.push('#### Directory hand-off (Microsoft Entra ID → Provisioning → Admin Credentials)', '');
  if (report.entra?.updated)
    lines.push('Microsoft Entra ID already holds these values: this run saved them and Entra tested them.', '');
  if (failure)
    lines.push(
      '> [!WARNING]',
      `> The run failed at step "${failure.step}": read why above before handing these values to the directory.`,
      '',
    );
  lines.push(
    '| field | value |',
    '|---|---|',
    ownRow('Authentication Method', 'OAuth2 Client Credentials Grant'),
    row('Tenant URL', report.scimUrl, true),
    row('Token Endpoint', report.tokenUrl, true),
    row('Client Identifier', clientId, true),
    ownRow(
      'Client Secret',
      report.mode !== 'provision'
        ? 'the client-secret input of this step (never shown here)'
        : report.entra?.save === 'saved'
          ? 'held by Microsoft Entra ID (this run saved it there); the step output client-secret is masked, never shown here'
          : 'the step output client-secret (masked; never shown here); an Owner can also read it on the platform',
    ),
    '',
  );
  return lines.join('\n');
}

function scimResult(report: Report, failedAt: string | undefined): string {
  if (failedAt === 'SCIM check') return 'failed';
  if (report.scimChecks?.every((check) => check.result === 'passed')) return 'passed';
  if (report.requested?.scimCheck === false) return 'not requested (scim-check is false)';
  return failedAt === undefined ? 'not run' : 'not run (an earlier step failed)';
}

/**
 * Replaces every registered secret form in `markdown` by `***`, also as the
 * summary escapes it in a table cell (as text, or inside a code span): a second guard behind "secrets are
 * never rendered", for a server that echoes a secret in its error text.
 */
export function redactSecrets(markdown: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    // A form without a letter or digit (`|`, `-`, `**`) cannot be told from the
    // summary's own Markdown, which replacing it would break; values from
    // outside were already redacted cell by cell before they were escaped.
    if (!/[\p{L}\p{N}]/u.test(secret)) continue;
    forms.add(secret);
    forms.add(escapeText(secret));
    forms.add(flatten(secret).replace(/\|/gu, '\\|'));
  }
  return redact(markdown, forms);
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

/**
 * A table row of the action's own words (no Markdown in them, no text from
 * outside), kept readable in the file; text from the server or the inputs goes
 * through `row` in {@link renderSummary}, which escapes it.
 */
function ownRow(name: string, text: string): string {
  return `| ${ownCell(name)} | ${ownCell(text)} |`;
}

/** The action's own words in a cell: `&`, `<`, `>` as entities, `|` escaped, one line. */
function ownCell(text: string): string {
  return flatten(text).replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/\|/gu, '\\|');
}

/**
 * Control characters (line breaks of every kind among them) become spaces: a
 * table row is one line; bidirectional controls are removed (errors.ts `stripBidi`).
 */
function flatten(text: string): string {
  // eslint-disable-next-line no-control-regex
  return stripBidi(text).replace(/\r\n|[\u0000-\u001f\u007f-\u009f]/gu, ' ');
}

/**
 * A run of text around an `@` that GitHub's renderer could read as an e-mail
 * address: cmark-gfm's autolink extension links `a@b.c` (and `mailto:a@b.c`,
 * `xmpp:a@b.c`) after backslash escapes and entities are resolved, so escaping
 * does not stop it. Letters, digits and `. _ + - /` before the `@`, letters,
 * digits and `. _ - @` after it.
 */
const EMAIL_SHAPED = /[\p{L}\p{N}._+\-/]*@[\p{L}\p{N}._\-@]*/gu;

/**
 * `text` as plain text in a table cell: every ASCII punctuation character
 * backslash-escaped (CommonMark §2.4 allows it for each of them, and `\|` is a
 * GFM table's own escape), so no link, image, autolink, HTML, entity, emphasis
 * or code span can start; e-mail-shaped runs ({@link EMAIL_SHAPED}) go in a
 * code span, where no autolink is made; line breaks become spaces.
 */
export function escapeText(text: string): string {
  const flat = flatten(text);
  const escape = (plain: string): string => plain.replace(/[!-/:-@[-`{-~]/gu, (c) => `\\${c}`);
  let out = '';
  let last = 0;
  for (const match of flat.matchAll(EMAIL_SHAPED)) {
    out += `${escape(flat.slice(last, match.index))}${codeSpan(match[0])}`;
    last = match.index + match[0].length;
  }
  return `${out}${escape(flat.slice(last))}`;
}

/**
 * `text` as a code span in a table cell (nothing inside is read as Markdown):
 * fenced by one backtick more than its longest run of backticks, padded with a
 * space when it starts or ends with a backtick or a space (CommonMark §6.1
 * strips one), `|` escaped as a GFM table requires; line breaks become spaces.
 */
export function codeSpan(text: string): string {
  const flat = flatten(text).replace(/\|/gu, '\\|');
  if (flat === '') return '';
  const fence = '`'.repeat(Math.max(0, ...(flat.match(/`+/gu) ?? []).map((run) => run.length)) + 1);
  const pad = /^[` ]|[` ]$/u.test(flat) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function relative(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}
