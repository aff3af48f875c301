/**
 * E-mail-shaped text from the server or the inputs never renders as a
 * `mailto:` link in the step summary as GitHub renders it (issue 16 §5).
 * GitHub's renderer is cmark-gfm with its autolink extension, which links
 * `a\@b\.c` although markdown-it does not: escaping is not enough, so such runs
 * go in a code span. Two proofs: one without a renderer (every `@` of the
 * Markdown is inside a code span), and one with Debian's `cmark-gfm` binary
 * when it is installed (`apt-get install cmark-gfm`); without it that test is
 * skipped, saying so.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ActionError } from '../../src/errors.ts';
import type { Report } from '../../src/runner/report.ts';
import { escapeText, renderSummary } from '../../src/runner/summary.ts';

const EMAILS = ['ops@example.com', 'first.last+scim@corp.example.org', 'mailto:a@b.c', 'xmpp:bot@chat.example.net'];

/** A failed provision whose server words and inputs are full of e-mail-shaped text. */
function summary(): string {
  const report: Report = {
    mode: 'provision',
    baseUrl: 'https://platform.example.test',
    region: undefined,
    scimUrl: 'https://platform.example.test/api/scim/v2',
    tokenUrl: 'https://platform.example.test/oauth/token?audience=https://platform.example.test/api',
    verified: true,
    registration: {
      id: '3f2b7c1e-9a4d-4e8f-b6a5-0c1d2e3f4a5b',
      name: `SCIM for ${EMAILS[0]} (owner ${EMAILS[1]})`,
      clientId: 'm2m-abc',
      clientSecret: 'S3cr3t-value',
      authorized: true,
    },
    token: {
      accessToken: 'tok-abcd',
      tokenType: `Bearer@${EMAILS[0]}`,
      expiresIn: 60,
      expiresAt: '2030-01-02T03:05:05.000Z',
    },
  };
  const failure = new ActionError({
    step: 'SCIM check',
    status: 500,
    code: `E@${EMAILS[0]}`,
    reason: `the platform answered "write to ${EMAILS[2]} or ${EMAILS[3]}, or ${EMAILS[1]}."`,
    fix: 'the platform had a server error; re-run the job later',
    fixNotes: [`ask ${EMAILS[0]}`],
  });
  return renderSummary('provision', report, failure, new Date('2030-01-02T03:04:05.000Z'));
}

/**
 * `markdown` with its code spans removed, escapes resolved first (an escaped
 * backtick starts no span): what a renderer reads as text, links included.
 */
function outsideCodeSpans(markdown: string): string {
  return markdown
    .replace(/\\([!-/:-@[-`{-~])/gu, (_m, c: string) => (c === '`' ? "'" : c))
    .replace(/(`+)(?:(?!\1)[\s\S])*?\1/gu, ' ');
}

const cmark = spawnSync('cmark-gfm', ['--version'], { encoding: 'utf8' });
const CMARK_GFM = cmark.status === 0;

describe('e-mail-shaped text in the step summary', () => {
  it('escapeText puts each e-mail-shaped run in a code span and escapes the rest', () => {
    expect(escapeText('a@b.c')).toBe('`a@b.c`');
    expect(escapeText('see ops@example.com.')).toBe('see `ops@example.com.`');
    expect(escapeText('mailto:a@b.c <x>')).toBe('mailto\\:`a@b.c` \\<x\\>');
    expect(escapeText('no at sign: a.b')).toBe('no at sign\\: a\\.b');
  });

  it('without a renderer: every @ of the rendered summary is inside a code span', () => {
    const markdown = summary();
    for (const email of EMAILS) expect(markdown).toContain(email.slice(email.indexOf(':') + 1));
    expect(outsideCodeSpans(markdown)).not.toContain('@');
  });

  it.skipIf(!CMARK_GFM)(
    `with GitHub's renderer (cmark-gfm, table and autolink extensions)${CMARK_GFM ? '' : ': SKIPPED, cmark-gfm is not installed (apt-get install cmark-gfm)'}`,
    () => {
      // The renderer does link the escaped form: the test can fail.
      const escapedOnly = spawnSync('cmark-gfm', ['-e', 'table', '-e', 'autolink'], {
        input: '| a |\n|---|\n| ops\\@example\\.com |\n',
        encoding: 'utf8',
      });
      expect(escapedOnly.stdout).toContain('href="mailto:');
      const html = spawnSync('cmark-gfm', ['-e', 'table', '-e', 'autolink'], { input: summary(), encoding: 'utf8' });
      expect(html.status).toBe(0);
      expect(html.stdout).toContain('<code>ops@example.com</code>');
      expect(html.stdout).not.toMatch(/<a\s/u);
      expect(html.stdout).not.toContain('mailto:a@b.c"');
      expect(html.stdout).not.toMatch(/href=/u);
    },
  );
});
