/**
 * The step summary's Microsoft Entra ID section (src/runner/summary.ts): the app, the job, the
 * changed key names, both tests, the quarantine and the previous client id; text from Graph or
 * the token rendered inert; what Entra holds on failure; entra-check's read-only section.
 */
import { describe, expect, it } from 'vitest';
import { ActionError } from '../../src/errors.ts';
import { renderSummary as render } from '../../src/runner/summary.ts';
import { entraSection } from '../../src/runner/entra-summary.ts';
import type { EntraReport, Report } from '../../src/runner/report.ts';
import { renderMarkdown } from '../support/markdown.ts';

const NOW = new Date('2026-12-01T00:00:00Z');
const HOSTILE = '<img src=x> [link](https://evil.test) | `x` **b**';

function entra(overrides: Partial<EntraReport> = {}): EntraReport {
  return {
    tenantId: 'contoso.onmicrosoft.com',
    appClientId: '11111111-2222-3333-4444-555555555555',
    servicePrincipalId: '99999999-8888-7777-6666-555555555555',
    subject: 'repo:octo-org/identity:environment:invicti-rotation',
    jobId: 'scim.0a1b',
    jobStatus: 'Quarantine',
    quarantined: true,
    quarantineReason: 'EncounteredQuarantineException',
    previousClientId: 'old-client-id',
    changedKeys: ['Oauth2ClientId', 'Oauth2ClientSecret'],
    newTest: 'passed',
    save: 'saved',
    savedTest: 'passed',
    quarantine: 'lifted',
    updated: true,
    ...overrides,
  };
}

const renderSummary = (...args: [Report['mode'], Report, ActionError | undefined, Date]): string =>
  render(...args, undefined, entraSection);

function report(mode: Report['mode'], e: EntraReport): Report {
  return {
    mode,
    baseUrl: 'https://platform.example.test',
    region: undefined,
    scimUrl: 'https://platform.example.test/api/scim/v2',
    tokenUrl: 'https://platform.example.test/oauth/token?audience=https://platform.example.test/api',
    verified: true,
    registration: { id: 'r-1', name: 'n', clientId: 'new-client-id', clientSecret: 's', authorized: true },
    entra: e,
  };
}

/** The rows of the table under the Entra heading, as `name → value`. */
function entraRows(markdown: string): Record<string, string> {
  const section = markdown.slice(markdown.indexOf('#### Microsoft Entra ID'));
  const table = renderMarkdown(section.split('\n\n').slice(0, 2).join('\n\n')).tables[0] ?? [];
  return Object.fromEntries(table.map(([name, value]) => [name ?? '', value ?? '']));
}

describe('Entra section of the summary', () => {
  it('lists the app, the job, the changed keys (names only), both tests, the quarantine and the previous client id', () => {
    const markdown = renderSummary('provision', report('provision', entra()), undefined, NOW);
    const rows = entraRows(markdown);
    expect(rows).toMatchObject({
      'Enterprise application (Object ID)': '99999999-8888-7777-6666-555555555555',
      'Provisioning job': 'scim.0a1b',
      Quarantine: 'yes (EncounteredQuarantineException): lifted by this run',
      'Previous client id Entra held': 'old-client-id',
      'Keys changed': 'Oauth2ClientId, Oauth2ClientSecret',
      "Entra's test of the new values": 'passed',
      'Saved in Entra': 'yes',
      "Entra's test of the saved values": 'passed',
      'entra-updated': 'true',
    });
    expect(markdown).toContain('Microsoft Entra ID already holds these values');
  });

  it('renders text from Graph and the token inert', () => {
    const markdown = renderSummary(
      'provision',
      report(
        'provision',
        entra({ jobId: HOSTILE, quarantineReason: HOSTILE, subject: HOSTILE, previousClientId: HOSTILE }),
      ),
      undefined,
      NOW,
    );
    const rendered = renderMarkdown(markdown);
    expect(rendered.live).toEqual([]);
    expect(entraRows(markdown)['Provisioning job']).toBe(HOSTILE);
  });

  it("on failure says what Entra holds now, and names Graph's error code as Microsoft's", () => {
    const failure = new ActionError({
      step: 'Entra save credentials',
      status: 500,
      code: 'InternalError',
      reason: 'r',
      fix: 'f',
    });
    const markdown = renderSummary(
      'provision',
      report('provision', entra({ save: 'sent', savedTest: 'not run', updated: false, quarantine: undefined })),
      failure,
      NOW,
    );
    const rows = entraRows(markdown);
    expect(rows['Saved in Entra']).toBe('unknown (sent, no answer)');
    expect(rows['What Entra holds now']).toContain('may hold the old or the new values');
    expect(rows['Quarantine']).toBe('yes (EncounteredQuarantineException): not lifted');
    expect(renderMarkdown(markdown).tables[0]).toContainEqual(['Microsoft error', 'InternalError']);
  });

  it('entra-check: a read-only section without platform rows or hand-off values', () => {
    const markdown = renderSummary('entra-check', report('entra-check', entra({ quarantined: false })), undefined, NOW);
    expect(markdown).toContain('#### Microsoft Entra ID check (read only)');
    expect(markdown).not.toContain('Base URL');
    expect(markdown).not.toContain('Directory hand-off');
    const rows = entraRows(markdown);
    expect(rows['Client id Entra holds']).toBe('old-client-id');
    expect(rows["Entra's test of its saved values"]).toBe('passed');
    expect(rows['Quarantine']).toBe('no');
    expect(rows['Keys changed']).toBeUndefined();
  });
});
