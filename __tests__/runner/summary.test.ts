/**
 * The step summary's content (src/runner/summary.ts `renderSummary`) for each
 * outcome, and its final secret scrub (`redactSecrets`). The summary file of a
 * whole run: e2e/step-summary.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ActionError } from '../../src/errors.ts';
import type { Report } from '../../src/runner/report.ts';
import { redact } from '../../src/runner/mask.ts';
import { redactSecrets, renderSummary } from '../../src/runner/summary.ts';
import { renderMarkdown } from '../support/markdown.ts';
import { expectNoSecretIn } from '../support/secrets.ts';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const PASSWORD = 'pa55|word<&>`x';
const CLIENT_SECRET = 'cs_9f8e7d6c5b4a3f2e1d0c';
const ACCESS_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.payload.signature';

function provisionReport(overrides: Partial<Report> = {}): Report {
  return {
    mode: 'provision',
    baseUrl: 'https://platform-eu.invicti.com',
    region: 'eu',
    scimUrl: 'https://platform-eu.invicti.com/api/scim/v2',
    tokenUrl: 'https://platform-eu.invicti.com/oauth/token?audience=https://platform-eu.invicti.com/api',
    registration: {
      id: '0b9d5a4e-1f2a-4c3b-9d8e-7f6a5b4c3d2e',
      name: 'Entra ID | prod',
      clientId: 'm2m-0123456789abcdef',
      clientSecret: CLIENT_SECRET,
      authorized: true,
    },
    token: { accessToken: ACCESS_TOKEN, tokenType: 'Bearer', expiresIn: 3600, expiresAt: '2026-11-30T13:00:00.000Z' },
    verified: true,
    ownerAuth: 'api-key',
    requested: { verify: true, scimCheck: true },
    scim: { patch: true, bulk: false, filter: true, sort: true, etag: false, changePassword: undefined },
    scimChecks: [
      { check: 'GET /ServiceProviderConfig', result: 'passed', detail: 'a SCIM 2.0 ServiceProviderConfig' },
      {
        check: 'GET /Users?filter=userName eq "x" (Microsoft Entra ID\'s "Test connection")',
        result: 'passed',
        detail: 'an empty ListResponse',
      },
      {
        check: 'GET /Groups?count=1&excludedAttributes=members',
        result: 'passed',
        detail: 'a ListResponse (totalResults 2)',
      },
    ],
    ...overrides,
  };
}

/** The summary's table rows as a reader sees them (rendered Markdown): [name, value] pairs. */
function rowsOf(markdown: string): string[][] {
  return renderMarkdown(markdown).tables.flat();
}

describe('renderSummary (unit)', () => {
  it('a successful provision: everything the issue lists, and no secret', () => {
    const md = renderSummary('provision', provisionReport(), undefined, NOW);
    expect(md).toMatch(/^### ✅ Invicti SCIM credentials: provision succeeded\n/u);
    for (const line of [
      '| Mode | provision |',
      '| Base URL | `https://platform-eu.invicti.com` |',
      '| Region | eu |',
      '| Authenticated with | API key (input api-key, sent as the X-Auth header; step 1, the password login, skipped) |',
      '| Registration id | `0b9d5a4e-1f2a-4c3b-9d8e-7f6a5b4c3d2e` |',
      '| Client name | Entra ID \\| prod |',
      '| client-id | `m2m-0123456789abcdef` |',
      '| Authorized | yes |',
      '| Verified (token obtained) | yes |',
      '| Token type | Bearer |',
      '| Token expires | 2026-11-30T13:00:00.000Z (in 60 min; lifetime 3600 s) |',
      '| SCIM check | passed |',
      '#### SCIM check (what the directory will read)',
      '| GET /ServiceProviderConfig | passed: a SCIM 2.0 ServiceProviderConfig |',
      '| GET /Users?filter=userName eq "x" (Microsoft Entra ID\'s "Test connection") | passed: an empty ListResponse |',
      '| GET /Groups?count=1&amp;excludedAttributes=members | passed: a ListResponse (totalResults 2) |',
      '| patch | supported |',
      '| bulk | not supported |',
      '| filter | supported |',
      '| sort | supported |',
      '| etag | not supported |',
      '| changePassword | not stated |',
      '#### Directory hand-off (Microsoft Entra ID → Provisioning → Admin Credentials)',
      '| Authentication Method | OAuth2 Client Credentials Grant |',
      '| Tenant URL | `https://platform-eu.invicti.com/api/scim/v2` |',
      '| Token Endpoint | `https://platform-eu.invicti.com/oauth/token?audience=https://platform-eu.invicti.com/api` |',
      '| Client Identifier | `m2m-0123456789abcdef` |',
    ]) {
      expect(md.split('\n')).toContain(line);
    }
    expect(md).toContain('| Client Secret | the step output client-secret (masked; never shown here)');
    expect(md).not.toContain('Failed step');
    expectNoSecretIn(md, [CLIENT_SECRET, ACCESS_TOKEN]);
  });

  it('provision says which way it authenticated; token mode has no such row', () => {
    expect(renderSummary('provision', provisionReport({ ownerAuth: 'password' }), undefined, NOW)).toContain(
      '| Authenticated with | email and password (inputs email and password, exchanged for a login token by step 1) |',
    );
    expect(
      renderSummary('token', provisionReport({ mode: 'token', ownerAuth: undefined }), undefined, NOW),
    ).not.toContain('Authenticated with');
  });

  it('a successful token run: client-id from the input, the secret named but not shown', () => {
    const report: Report = {
      ...provisionReport({
        registration: undefined,
        verified: false,
        requested: { verify: false, scimCheck: false },
        scim: undefined,
        scimChecks: undefined,
      }),
      mode: 'token',
      region: undefined,
      baseUrl: 'https://invicti.example.com/platform',
      clientId: 'm2m-fedcba9876543210',
    };
    const md = renderSummary('token', report, undefined, NOW);
    expect(md).toContain('| Region | (custom base-url) |');
    expect(md).toContain('| client-id | `m2m-fedcba9876543210` |');
    expect(md).toContain('| Client Identifier | `m2m-fedcba9876543210` |');
    expect(md).toContain('| Client Secret | the client-secret input of this step (never shown here) |');
    expect(md).toContain('| SCIM check | not requested (scim-check is false) |');
    expect(md).not.toContain('Registration id');
    expect(md).not.toContain('Verified');
    expectNoSecretIn(md, [ACCESS_TOKEN]);
  });

  it.each([
    ['2026-11-30T12:01:30.000Z', '(in 90 s;'],
    ['2026-11-30T12:30:00.000Z', '(in 30 min;'],
    ['2026-11-30T15:00:00.000Z', '(in 3 h;'],
    ['2026-11-30T11:00:00.000Z', '(in 0 s;'],
  ])('expiry %s is shown absolute and relative %s', (expiresAt, relative) => {
    const report = provisionReport({
      token: { accessToken: ACCESS_TOKEN, tokenType: 'Bearer', expiresIn: 60, expiresAt },
    });
    expect(renderSummary('provision', report, undefined, NOW)).toContain(`| Token expires | ${expiresAt} ${relative}`);
  });

  it('a token without expires_in says so', () => {
    const report = provisionReport({
      token: { accessToken: ACCESS_TOKEN, tokenType: '', expiresIn: undefined, expiresAt: undefined },
    });
    const md = renderSummary('provision', report, undefined, NOW);
    expect(md).toContain('| Token type | (not given) |');
    expect(md).toContain('| Token expires | (the server gave no expires_in) |');
  });

  it('a failure: the failed step, HTTP status, platform error, why and fix come first; the hand-off carries a warning', () => {
    const failure = new ActionError({
      step: 'token',
      status: 403,
      code: 'access_denied',
      reason: 'the platform answered "access_denied: Client is not authorized"',
      fix: 'authorize the registration',
    });
    const report = provisionReport({ token: undefined, verified: false, scim: undefined, scimChecks: undefined });
    const md = renderSummary('provision', report, failure, NOW);
    expect(md).toMatch(/^### ❌ Invicti SCIM credentials: provision failed\n/u);
    const failedAt = md.indexOf('| Failed step | token |');
    expect(failedAt).toBeGreaterThan(0);
    expect(failedAt).toBeLessThan(md.indexOf('| Mode |'));
    expect(md).toContain('| HTTP status | 403 |');
    expect(md).toContain('| Platform error | `access_denied` |');
    expect(rowsOf(md)).toContainEqual(['Why', 'the platform answered "access_denied: Client is not authorized"']);
    expect(rowsOf(md)).toContainEqual(['Fix', 'authorize the registration']);
    expect(md).toContain('| Verified (token obtained) | no |');
    expect(md).toContain('| Token | none obtained |');
    expect(md).toContain('| SCIM check | not run (an earlier step failed) |');
    expect(md).toContain('> The run failed at step "token"');
  });

  it('an input error has no report: only the failure', () => {
    const failure = new ActionError({
      step: 'inputs',
      reason: 'input "mode" is required',
      fix: 'set mode to one of: provision, token',
    });
    const md = renderSummary(undefined, undefined, failure, NOW);
    expect(md.split('\n')[0]).toBe('### ❌ Invicti SCIM credentials failed');
    expect(renderMarkdown(md).tables).toEqual([
      [
        ['Failed step', 'inputs'],
        ['Why', 'input "mode" is required'],
        ['Fix', 'set mode to one of: provision, token'],
      ],
    ]);
  });

  it('a provision that failed before a registration existed has no hand-off', () => {
    const failure = new ActionError({
      step: 'login',
      status: 401,
      reason: 'bad password',
      fix: 'check the email and password inputs',
    });
    const report = provisionReport({
      registration: undefined,
      token: undefined,
      verified: false,
      scim: undefined,
      scimChecks: undefined,
    });
    const md = renderSummary('provision', report, failure, NOW);
    expect(md).toContain('| Registration id | (none created) |');
    expect(md).toContain('| Authorized | no |');
    expect(md).not.toContain('Directory hand-off');
  });

  it('escapes table cells (pipes, HTML, new lines, backticks in code cells)', () => {
    const failure = new ActionError({ step: 'login', status: 400, reason: 'a | b <script>x</script>\nc', fix: 'f' });
    const md = renderSummary('provision', provisionReport({ registration: undefined }), failure, NOW);
    expect(renderMarkdown(md).live).toEqual([]);
    expect(rowsOf(md)).toContainEqual(['Why', 'a | b <script>x</script> c']);
    const odd = renderSummary(
      'token',
      { ...provisionReport({ registration: undefined }), mode: 'token', clientId: 'a`b|c' },
      undefined,
      NOW,
    );
    expect(rowsOf(odd)).toContainEqual(['client-id', 'a`b|c']);
  });
});

describe('redactSecrets (unit)', () => {
  it('replaces every registered form, also as a table cell escapes it, longest first', () => {
    const failure = new ActionError({
      step: 'login',
      status: 401,
      reason: `the platform answered "wrong password ${PASSWORD}"`,
      fix: 'f',
    });
    const md = renderSummary(undefined, undefined, failure, NOW);
    expect(md).not.toContain(PASSWORD);
    // A shorter secret inside a longer one: the longer form goes first, whole.
    const redacted = redactSecrets(md, ['pa55', PASSWORD]);
    expect(rowsOf(redacted)).toContainEqual(['Why', 'the platform answered "wrong password ***"']);
    expect(redacted).not.toContain('pa55');
    expect(redacted).not.toContain('&lt;&amp;&gt;');
  });

  it('keeps the tables whole when a secret is only punctuation (the value cells were redacted before escaping)', () => {
    const md = renderSummary(
      'token',
      undefined,
      new ActionError({ step: 'token', status: 401, reason: 'the platform answered "bad secret |"', fix: 'f' }),
      NOW,
      (text) => redact(text, ['|']),
    );
    const redacted = redactSecrets(md, ['|', '-']);
    expect(rowsOf(redacted)).toContainEqual(['Why', 'the platform answered "bad secret ***"']);
    expect(rowsOf(redacted)).toContainEqual(['Failed step', 'token']);
  });

  it('leaves the text alone with no secrets, and ignores empty ones', () => {
    expect(redactSecrets('a | b', [])).toBe('a | b');
    expect(redactSecrets('a | b', [''])).toBe('a | b');
  });
});
