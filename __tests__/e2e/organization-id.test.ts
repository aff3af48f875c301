/**
 * The `organization-id` input, end to end (the entry file under Node 24
 * against the simulator): sent as `organizationId` in the step 1 body only
 * when set; the registration is made in that organization; a login the
 * platform refuses names the input in its fix; the summary names the organization.
 */
import { describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { DEFAULT_ORGANIZATION, OWNER, PlatformSimulator, type User } from '../../harness/simulator.ts';
import { provisionInputs, withSimulator } from '../support/platform.ts';
import { expectNoSecretShown, simulatorSecrets } from '../support/secrets.ts';

/** An Owner of two organizations; a login without organizationId lands in the first. */
const MULTI: User = {
  email: 'multi@example.com',
  password: 'two orgs, one password',
  role: 'Owner',
  organizations: ['org-alpha', 'org-beta'],
};

function loginBodies(sim: PlatformSimulator): unknown[] {
  return sim.requestsTo('login').map((r) => JSON.parse(r.body) as unknown);
}

describe('organization-id (step 1 body)', () => {
  const sim = withSimulator({ users: [OWNER, MULTI] });

  const provision = (extra: Record<string, string> = {}): Promise<ActionRun> =>
    runAction({ mode: 'provision', 'base-url': sim.baseUrl, email: MULTI.email, password: MULTI.password, ...extra });

  it('set: sent as organizationId, the registration is made in that organization, the log and summary name it', async () => {
    const run = await provision({ 'organization-id': 'org-beta' });
    expect(run.exitCode, run.log.text).toBe(0);
    expect(loginBodies(sim)).toEqual([
      { emailAddress: MULTI.email, password: MULTI.password, organizationId: 'org-beta' },
    ]);
    const [registration] = [...sim.registrations.values()];
    expect(registration?.organizationId).toBe('org-beta');
    expect(run.outputs['registration-id']).toBe(registration?.id);
    expect(run.log.lines).toContain(`Logged in as ${MULTI.email} to organization org-beta`);
    expect(run.summary).toContain('| Organization id | `org-beta` |');
    expectNoSecretShown(run, simulatorSecrets(sim, [MULTI.password]));
  });

  it('unset: no organizationId field at all, the platform picks the default, and the summary has no such row', async () => {
    const run = await provision();
    expect(run.exitCode, run.log.text).toBe(0);
    expect(loginBodies(sim)).toEqual([{ emailAddress: MULTI.email, password: MULTI.password }]);
    expect([...sim.registrations.values()][0]?.organizationId).toBe('org-alpha');
    expect(run.log.lines).toContain(`Logged in as ${MULTI.email}`);
    expect(run.summary).not.toContain('Organization id');
  });

  it('an organization the account is not in: login fails, nothing is created, the fix names organization-id', async () => {
    const run = await provision({ 'organization-id': 'org-gamma' });
    expect(run.exitCode).toBe(1);
    expect(sim.requests.map((r) => r.route)).toEqual(['login']);
    expect(sim.registrations.size).toBe(0);
    expect(run.log.errors).toEqual([
      'Login failed (HTTP 401): the platform answered "The user is not a member of this organization.". ' +
        `Fix: check the email and password inputs of an Owner account; they must belong to 127.0.0.1:${new URL(sim.baseUrl).port}; ` +
        "check organization-id (org-gamma): the account must belong to that organization, or leave it unset for the account's default.",
    ]);
    expect(run.summary).toContain('| Organization id | `org-gamma` |');
    expectNoSecretShown(run, simulatorSecrets(sim, [MULTI.password]));
  });

  it('a server error at login does not blame organization-id', async () => {
    sim.fault('login', { status: 503, body: JSON.stringify({ message: 'Service unavailable.' }) });
    const run = await provision({ 'organization-id': 'org-beta', 'max-attempts': '1' });
    expect(run.exitCode).toBe(1);
    expect(run.log.errors[0]).toMatch(/^Login failed \(HTTP 503\)/u);
    expect(run.log.errors[0]).not.toContain('organization-id');
  });

  it('white space inside is an input error before any request', async () => {
    const run = await provision({ 'organization-id': 'org beta' });
    expect(run.exitCode).toBe(1);
    expect(sim.requests).toHaveLength(0);
    expect(run.log.errors[0]).toMatch(
      /^Invalid input: input "organization-id" contains white space or a control character\. Fix: /u,
    );
  });

  it('a single-organization account logs in to its organization by id too', async () => {
    const run = await runAction(
      provisionInputs(sim, {
        'organization-id': DEFAULT_ORGANIZATION,
      }),
    );
    expect(run.exitCode, run.log.text).toBe(0);
    expect([...sim.registrations.values()][0]?.organizationId).toBe(DEFAULT_ORGANIZATION);
  });
});
