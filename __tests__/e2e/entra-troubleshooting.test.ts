/**
 * Issue 15, "every failure above ... with an error that names the cause and
 * the fix", documented: each error the Entra ID hand-off and mode entra-check
 * print begins with a key of docs/troubleshooting.md's section "Microsoft Entra
 * ID hand-off", and each key of that section begins a message a run printed
 * (runs of the entry file against both simulators, as in __tests__/e2e/).
 * readme.test.ts proves the other sections the same way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { graphError, newSetOnly, savedOnly, scimJob, testFailed } from '../../harness/microsoft.ts';
import { ROOT, runAction, type ActionRun } from '../../harness/runner.ts';
import { expectOneError, provisionWithEntra, useEntraWorld, withIdToken } from '../support/entra.ts';

const TROUBLESHOOTING = readFileSync(join(ROOT, 'docs', 'troubleshooting.md'), 'utf8');
const SECTION = '\n## Microsoft Entra ID hand-off\n';

/** The `| \`key\` |` rows of the Entra section of docs/troubleshooting.md. */
function entraKeys(): string[] {
  const start = TROUBLESHOOTING.indexOf(SECTION);
  if (start === -1) return [];
  const end = TROUBLESHOOTING.indexOf('\n## ', start + 1);
  const section = TROUBLESHOOTING.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^\| `([^`]+)` \|/gmu)].map((m) => m[1] ?? '');
}

/** A key as a pattern: `…` stands for any text; the message must begin with it. */
function keyPattern(key: string): RegExp {
  const parts = key.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'));
  return new RegExp(`^${parts.join('.*?')}`, 'u');
}

const w = useEntraWorld();
const printed: Array<{ scenario: string; message: string }> = [];

/** Records the run's one error and checks a key of the Entra section begins it. */
function documented(scenario: string, run: ActionRun): void {
  const message = expectOneError(run);
  printed.push({ scenario, message });
  expect(
    entraKeys().filter((key) => keyPattern(key).test(message)),
    `no row of "${SECTION.trim()}" starts like: ${message}`,
  ).not.toEqual([]);
}

const provision = (extra: Record<string, string> = {}): Promise<ActionRun> =>
  runAction(provisionWithEntra(w.sim, w.ms, extra), withIdToken(w.ms));
const check = (): Promise<ActionRun> => runAction({ mode: 'entra-check', ...w.ms.inputs() }, withIdToken(w.ms));

describe('every error of the Entra hand-off is in docs/troubleshooting.md', () => {
  const scenarios: Array<[string, () => Promise<ActionRun>]> = [
    ['no id-token: write', () => runAction(provisionWithEntra(w.sim, w.ms))],
    ['verify: false', () => provision({ verify: 'false' })],
    ['one entra id missing', () => provision({ 'entra-client-id': '' })],
    ['entra-check without the entra inputs', () => runAction({ mode: 'entra-check' }, withIdToken(w.ms))],
    ['entra-graph-url over plain http', () => provision({ 'entra-graph-url': 'http://graph.example.com' })],
    [
      'no federated credential for the subject',
      () => {
        w.ms.federatedSubjects = ['repo:octo-org/identity:environment:production'];
        return provision();
      },
    ],
    ['tenant not found', () => provision({ 'entra-tenant-id': 'fabrikam.onmicrosoft.com' })],
    ['app registration not found', () => provision({ 'entra-client-id': randomUUID() })],
    [
      'Graph 403',
      () => {
        w.ms.forbidden = true;
        return provision();
      },
    ],
    ['enterprise application not found', () => provision({ 'entra-service-principal-id': randomUUID() })],
    [
      'no SCIM job',
      () => {
        w.ms.jobs = [];
        return provision();
      },
    ],
    [
      'two SCIM jobs',
      () => {
        w.ms.jobs = [scimJob(), scimJob()];
        return provision();
      },
    ],
    [
      'a long-lived secret token',
      async () => {
        await w.restart({ keyStyle: 'secret-token' });
        return provision();
      },
    ],
    [
      'no token endpoint key',
      () => {
        w.ms.secrets.splice(
          w.ms.secrets.findIndex((s) => s.key === 'Oauth2TokenExchangeUri'),
          1,
        );
        return provision();
      },
    ],
    [
      'Entra refuses the new set',
      () => {
        w.ms.fault('validate', { match: newSetOnly, ...graphError(400, 'BadRequest', 'Bad credentials') });
        return provision();
      },
    ],
    [
      'the saved set keeps failing',
      () => {
        w.ms.fault('validate', { match: savedOnly, ...testFailed('The SCIM endpoint answered HTTP 401.') });
        return provision();
      },
    ],
    [
      'the quarantine is not lifted (Graph 403 on restart)',
      () => {
        w.ms.jobs = [scimJob(true)];
        w.ms.fault(
          'restart',
          graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
        );
        return provision();
      },
    ],
    [
      'cancelled during the save',
      () => {
        w.ms.fault('save', { delayMs: 15_000 });
        return runAction(provisionWithEntra(w.sim, w.ms), {
          ...withIdToken(w.ms),
          signal: { name: 'SIGTERM', when: () => w.ms.requestsTo('save').length > 0 },
        });
      },
    ],
    [
      'entra-check: the saved credentials fail',
      () => {
        w.sim.registrations.delete(w.previous.id);
        return check();
      },
    ],
    [
      'entra-check: quarantine',
      () => {
        w.ms.jobs = [scimJob(true)];
        return check();
      },
    ],
  ];

  it.each(scenarios)(
    '%s',
    async (scenario, run) => {
      documented(scenario, await run());
    },
    60_000,
  );

  afterAll(() => {
    // Printed for whoever writes the rows: the messages as the runner showed them.
    if (process.env['PRINT_ENTRA_MESSAGES'])
      for (const { scenario, message } of printed) console.log(`${scenario}\n  ${message}`);
  });

  it('each key of the section begins a message printed above', () => {
    expect(printed.length).toBe(scenarios.length);
    expect(entraKeys().length).toBeGreaterThanOrEqual(10);
    for (const key of entraKeys()) {
      expect(
        printed.filter(({ message }) => keyPattern(key).test(message)),
        `key \`${key}\` begins no message`,
      ).not.toEqual([]);
    }
  });
});
