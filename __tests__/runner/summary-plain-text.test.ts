/**
 * What the server or the inputs put in the step summary renders as plain text
 * (src/runner/summary.ts). The summary is rendered as GitHub renders Markdown
 * (markdown-it with GFM tables, raw HTML and linkified URLs, support/markdown.ts):
 * no link, image or HTML from hostile text, every table row intact, and each
 * value shown as it was (line breaks as spaces).
 */
import { describe, expect, it } from 'vitest';
import { ActionError } from '../../src/errors.ts';
import type { Report } from '../../src/runner/report.ts';
import { redact } from '../../src/runner/mask.ts';
import { renderSummary } from '../../src/runner/summary.ts';
import { expectInert, renderMarkdown } from '../support/markdown.ts';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const PHISH = 'Session expired. [Sign in again](https://phish.example.test) ![x](https://pixel.example.test/p.png)';
/** Every inline construct GitHub's Markdown knows, and line breaks of each kind. */
const HOSTILE = [
  PHISH,
  '<img src=x onerror=alert(1)> <a href="https://phish.example.test">a</a> <https://auto.example.test> <!-- c -->',
  'https://bare.example.test www.phish.example.test mail@phish.example.test',
  '**bold** _em_ ~~strike~~ `code` ``two`` $x^2$ &amp; &#x3C;b&#x3E; \\* \\',
  '[ref][1] [^note] [x]: https://ref.example.test',
  'lone\rcarriage | pipe \\| escaped\nnew line\r\nboth',
];

function report(overrides: Partial<Report> = {}): Report {
  return {
    mode: 'provision',
    baseUrl: 'https://platform.invicti.com',
    region: 'us',
    scimUrl: 'https://platform.invicti.com/api/scim/v2',
    tokenUrl: 'https://platform.invicti.com/oauth/token?audience=https://platform.invicti.com/api',
    registration: {
      id: '0b9d5a4e-1f2a-4c3b-9d8e-7f6a5b4c3d2e',
      name: 'n',
      clientId: 'm2m-1',
      clientSecret: 's',
      authorized: true,
    },
    token: { accessToken: 'a', tokenType: 'Bearer', expiresIn: 60, expiresAt: '2026-11-30T12:01:00.000Z' },
    verified: true,
    requested: { verify: true, scimCheck: false },
    ...overrides,
  };
}

/** As a reader sees a value in a cell: each line break one space. */
const shown = (text: string): string => text.replace(/\r\n|\r|\n/gu, ' ');

describe('server text and inputs render as plain text (unit, renderSummary)', () => {
  it.each(HOSTILE)('in every cell that can carry it: %j', (text) => {
    const failure = new ActionError({
      step: 'token',
      status: 401,
      code: text,
      reason: `the platform answered "${text}"`,
      fix: `check ${text}`,
    });
    const md = renderSummary(
      'provision',
      report({
        registration: {
          id: '0b9d5a4e-1f2a-4c3b-9d8e-7f6a5b4c3d2e',
          name: text,
          clientId: text,
          clientSecret: 's',
          authorized: true,
        },
        token: { accessToken: 'a', tokenType: text, expiresIn: 60, expiresAt: '2026-11-30T12:01:00.000Z' },
        baseUrl: text,
      }),
      failure,
      NOW,
    );
    const rows = expectInert(md);
    expect(rows.get('Platform error')).toEqual([shown(text)]);
    expect(rows.get('Why')).toEqual([`the platform answered "${shown(text)}"`]);
    expect(rows.get('Fix')).toEqual([`check ${shown(text)}`]);
    expect(rows.get('Client name')).toEqual([shown(text)]);
    expect(rows.get('client-id')).toEqual([shown(text)]);
    expect(rows.get('Client Identifier')).toEqual([shown(text)]);
    expect(rows.get('Token type')).toEqual([shown(text)]);
    expect(rows.get('Base URL')).toEqual([shown(text)]);
    // The rows after the hostile ones are still there: the table was not ended early.
    expect(rows.get('SCIM check')).toEqual(['not requested (scim-check is false)']);
  });

  it('secrets are replaced before escaping: "***" shows as such, never as emphasis', () => {
    const secrets = ['pa55|word<&>`x', 's3cr3t_[1]'];
    const failure = new ActionError({
      step: 'login',
      status: 401,
      reason: `the platform answered "${secrets[0]} and ${secrets[1]}"`,
      fix: 'f',
    });
    const md = renderSummary('provision', report({ registration: undefined }), failure, NOW, (text) =>
      redact(text, secrets),
    );
    expect(expectInert(md).get('Why')).toEqual(['the platform answered "*** and ***"']);
    expect(renderMarkdown(md).html).not.toMatch(/<(em|strong)>/u);
  });

  it('code cells keep backticks and pipes as they are', () => {
    for (const clientId of ['a`b|c', '`x`', '``', 'x ', ' y', '\\|']) {
      const md = renderSummary(
        'token',
        { ...report({ registration: undefined }), mode: 'token', clientId },
        undefined,
        NOW,
      );
      expect(expectInert(md).get('client-id')).toEqual([clientId]);
    }
  });

  it("the action's own Markdown still renders: headings, tables and the warning", () => {
    const failure = new ActionError({ step: 'authorize', status: 403, reason: 'r', fix: 'f' });
    const { html } = renderMarkdown(
      renderSummary('provision', report({ token: undefined, verified: false }), failure, NOW),
    );
    expect(html).toContain('<h3>❌ Invicti SCIM credentials: provision failed</h3>');
    expect(html).toContain('<h4>Directory hand-off');
    expect(html.match(/<table>/gu)).toHaveLength(3);
    expect(html).toContain('<blockquote>');
  });
});
