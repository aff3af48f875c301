/**
 * The log, end to end: one `core.group` per step, short info lines,
 * and debug lines (runner debug on, RUNNER_DEBUG=1) that give method, URL
 * path, status and duration, never a header, a body, a query or a secret.
 */
import { describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { OWNER } from '../../harness/simulator.ts';
import { provisionInputs, withSimulator } from '../support/platform.ts';

// A path prefix, as on-premises installs have: the debug path must show it.
const sim = withSimulator({ prefix: '/invicti' });

const DEBUG = { env: { RUNNER_DEBUG: '1' } };
const REQUEST_DEBUG = /^(GET|POST) (\/[^\s?#]*) → (?:HTTP (\d{3}) in \d+ ms|.+ after \d+ ms)$/u;

interface Group {
  name: string;
  /** Raw stdout lines inside the group (workflow commands included). */
  lines: string[];
}

/** The groups of a raw stdout, checking that they are balanced and never nested. */
function groupsOf(stdout: string): Group[] {
  const groups: Group[] = [];
  let open: Group | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('::group::')) {
      expect(open, `group "${line}" opened inside "${open?.name}"`).toBeUndefined();
      open = { name: line.slice('::group::'.length), lines: [] };
      groups.push(open);
    } else if (line.startsWith('::endgroup::')) {
      expect(open, 'endgroup without a group').toBeDefined();
      open = undefined;
    } else if (open) {
      open.lines.push(line);
    }
  }
  expect(open, `group "${open?.name}" never closed`).toBeUndefined();
  return groups;
}

/** Raw `::debug::` lines: what a runner shows with debug logging on, before masking. */
function debugLines(lines: string[]): string[] {
  return lines.filter((line) => line.startsWith('::debug::')).map((line) => line.slice('::debug::'.length));
}

/** Nothing a header, body or query would carry; and no secret, even in the raw (unmasked) stdout. */
function expectCleanDebug(run: ActionRun, secrets: string[]): void {
  const lines = debugLines(run.stdout.split('\n'));
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(line).toMatch(REQUEST_DEBUG);
    for (const forbidden of [
      'authorization',
      'bearer ',
      'content-type',
      'application/',
      'user-agent',
      'invicti-scim-credentials/1',
      '{',
      'emailaddress',
      'grant_type',
      'client_secret',
      'audience',
    ]) {
      expect(line.toLowerCase()).not.toContain(forbidden);
    }
    for (const secret of secrets) expect(line).not.toContain(secret);
  }
}

function allSecrets(): string[] {
  return [
    OWNER.password,
    ...[...sim.registrations.values()].map((r) => r.clientSecret),
    ...sim.loginTokens.keys(),
    ...sim.accessTokens.keys(),
  ];
}

describe('log groups and debug lines', () => {
  it("provision with scim-check: one group per step, each with its request's debug line", async () => {
    const run = await runAction(
      {
        mode: 'provision',
        'base-url': sim.baseUrl,
        email: OWNER.email,
        password: OWNER.password,
        'scim-check': 'true',
      },
      DEBUG,
    );
    expect(run.exitCode).toBe(0);
    const groups = groupsOf(run.stdout);
    expect(groups.map((g) => g.name)).toEqual([
      'Step 1: log in',
      'Step 2: create client registration',
      'Step 3: authorize for the platform API',
      'Step 4: verify the new credentials',
      'SCIM check',
    ]);
    const expected: Array<Array<[string, string, string]>> = [
      [['POST', '/invicti/api/identity/v1/userCredentials/login', '200']],
      [['POST', '/invicti/api/identity/v1/clients', '201']],
      [['POST', '/invicti/api/identity/v1/apis/00000000-0000-0000-0000-000000000001/clients', '201']],
      [['POST', '/invicti/oauth/token', '200']],
      [
        ['GET', '/invicti/api/scim/v2/ServiceProviderConfig', '200'],
        ['GET', '/invicti/api/scim/v2/Users', '200'],
        ['GET', '/invicti/api/scim/v2/Groups', '200'],
      ],
    ];
    groups.forEach((group, i) => {
      const debug = debugLines(group.lines).map((line) => {
        const [, method, path, status] = REQUEST_DEBUG.exec(line) ?? [];
        return [method, path, status];
      });
      expect(debug).toEqual(expected[i]);
    });
    // Displayed with debug on, as the runner shows them.
    expect(run.log.lines.filter((line) => line.startsWith('##[debug]'))).toHaveLength(expected.flat().length);
    expectCleanDebug(run, allSecrets());
  });

  it('info lines are short, and debug lines are hidden without runner debug', async () => {
    const run = await runAction(
      provisionInputs(sim, {
        'scim-check': 'true',
      }),
    );
    expect(run.exitCode).toBe(0);
    expect(run.log.lines.filter((line) => line.startsWith('##[debug]'))).toEqual([]);
    const info = run.log.lines.filter((line) => line !== '' && !line.startsWith('▸ ') && !line.startsWith('##['));
    expect(info.length).toBeGreaterThanOrEqual(7);
    for (const line of info) {
      expect(line.length).toBeLessThanOrEqual(200);
      expect(line).not.toContain('\t');
    }
  });

  it('token mode: a group for the grant and one for the SCIM check', async () => {
    const provisioned = await runAction(provisionInputs(sim));
    const run = await runAction(
      {
        mode: 'token',
        'base-url': sim.baseUrl,
        'client-id': provisioned.outputs['client-id'] ?? '',
        'client-secret': provisioned.outputs['client-secret'] ?? '',
        'scim-check': 'true',
      },
      DEBUG,
    );
    expect(run.exitCode).toBe(0);
    expect(groupsOf(run.stdout).map((g) => g.name)).toEqual(['Get a bearer token', 'SCIM check']);
    expectCleanDebug(run, allSecrets());
  });

  it('a failed request: the group closes, its debug line gives the status, the error follows', async () => {
    sim.fault('login', { status: 401, body: JSON.stringify({ message: 'Invalid email address or password.' }) });
    const run = await runAction(
      { mode: 'provision', 'base-url': sim.baseUrl, email: OWNER.email, password: OWNER.password },
      DEBUG,
    );
    expect(run.exitCode).toBe(1);
    const groups = groupsOf(run.stdout);
    expect(groups.map((g) => g.name)).toEqual(['Step 1: log in']);
    expect(debugLines(groups[0]?.lines ?? [])).toEqual([
      expect.stringMatching(/^POST \/invicti\/api\/identity\/v1\/userCredentials\/login → HTTP 401 in \d+ ms$/u),
    ]);
    expect(run.log.errors).toHaveLength(1);
    expectCleanDebug(run, allSecrets());
  });

  it('a request with no response: the debug line says what happened and how long it took', async () => {
    const provisioned = await runAction(provisionInputs(sim));
    sim.fault('scim', { reset: 'before' });
    const run = await runAction(
      {
        mode: 'token',
        'base-url': sim.baseUrl,
        'client-id': provisioned.outputs['client-id'] ?? '',
        'client-secret': provisioned.outputs['client-secret'] ?? '',
        'scim-check': 'true',
        'max-attempts': '1',
      },
      DEBUG,
    );
    expect(run.exitCode).toBe(1);
    const scim = groupsOf(run.stdout).find((g) => g.name === 'SCIM check');
    const [line] = debugLines(scim?.lines ?? []);
    expect(line).toMatch(/^GET \/invicti\/api\/scim\/v2\/ServiceProviderConfig → .+ after \d+ ms$/u);
    expect(run.log.errors[0]).toMatch(/^SCIM check failed: /u);
    expectCleanDebug(run, allSecrets());
  });
});
