/**
 * Issue 9 items 3 and 4, end to end on the bundle (dist/index.js under Node 24
 * as a runner runs it) against the platform simulator:
 * - `organization-id`: sent as `organizationId` in the step 1 body only when
 *   set; the registration is made in that organization; a login the platform
 *   refuses names the input in its fix; the summary names the organization.
 * - `audience`: the token request, the `token-url` output and the summary's
 *   hand-off table use it instead of `<base-url>/api`; the simulator accepts
 *   only its configured audience, as a token server does.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { DEFAULT_ORGANIZATION, OWNER, PlatformSimulator, type User } from '../../harness/simulator.ts';

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

function expectNoSecrets(sim: PlatformSimulator, run: ActionRun): void {
  const secrets = [
    MULTI.password,
    OWNER.password,
    ...[...sim.registrations.values()].map((r) => r.clientSecret),
    ...sim.loginTokens.keys(),
    ...sim.accessTokens.keys(),
  ];
  for (const secret of secrets) {
    expect(run.log.text).not.toContain(secret);
    expect(run.summary).not.toContain(secret);
  }
}

describe('organization-id (step 1 body)', () => {
  let sim: PlatformSimulator;
  beforeAll(async () => {
    sim = await PlatformSimulator.start({ users: [OWNER, MULTI] });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => sim.reset());

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
    expectNoSecrets(sim, run);
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
    expectNoSecrets(sim, run);
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
    const run = await runAction({
      mode: 'provision',
      'base-url': sim.baseUrl,
      email: OWNER.email,
      password: OWNER.password,
      'organization-id': DEFAULT_ORGANIZATION,
    });
    expect(run.exitCode, run.log.text).toBe(0);
    expect([...sim.registrations.values()][0]?.organizationId).toBe(DEFAULT_ORGANIZATION);
  });
});

describe('audience (step 4 query, token-url output, hand-off table)', () => {
  /** An installation whose API identifier is not the URL the runner reaches. */
  const AUDIENCE = 'https://invicti.corp.example/api';
  let sim: PlatformSimulator;
  beforeAll(async () => {
    sim = await PlatformSimulator.start({ audience: AUDIENCE });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => sim.reset());

  const token = (extra: Record<string, string> = {}): Promise<ActionRun> => {
    const client = sim.seedRegistration();
    return runAction({
      mode: 'token',
      'base-url': sim.baseUrl,
      'client-id': client.clientId,
      'client-secret': client.clientSecret,
      ...extra,
    });
  };

  it('without the input the default <base-url>/api is refused by such a server, and the fix points at the audience', async () => {
    const run = await token();
    expect(run.exitCode).toBe(1);
    expect(new URL(sim.requestsTo('token')[0]?.url ?? '', sim.baseUrl).searchParams.get('audience')).toBe(
      `${sim.baseUrl}/api`,
    );
    expect(run.log.errors[0]).toMatch(
      /^Token failed \(HTTP 400\): the platform answered "invalid_request: .*"\. Fix: check base-url or region: the token audience is <base-url>\/api/u,
    );
  });

  it('token mode: the request, the token-url output and the summary use the audience', async () => {
    const run = await token({ audience: AUDIENCE });
    expect(run.exitCode, run.log.text).toBe(0);
    const [request] = sim.requestsTo('token');
    expect(request?.url).toBe(`/oauth/token?audience=${AUDIENCE}`);
    expect(sim.accessTokens.has(run.outputs['access-token'] ?? '')).toBe(true);
    expect(run.outputs['token-url']).toBe(`${sim.baseUrl}/oauth/token?audience=${AUDIENCE}`);
    expect(run.outputs['scim-url']).toBe(`${sim.baseUrl}/api/scim/v2`);
    expect(run.summary).toContain(`| Token Endpoint | \`${sim.baseUrl}/oauth/token?audience=${AUDIENCE}\` |`);
    expect(run.summary).toContain(`| Token audience | \`${AUDIENCE}\` |`);
  });

  it('provision with verify: the new credentials are proven against the audience', async () => {
    const run = await runAction({
      mode: 'provision',
      'base-url': sim.baseUrl,
      email: OWNER.email,
      password: OWNER.password,
      audience: AUDIENCE,
    });
    expect(run.exitCode, run.log.text).toBe(0);
    expect(sim.requestsTo('token').map((r) => r.url)).toEqual([`/oauth/token?audience=${AUDIENCE}`]);
    expect(run.outputs['token-url']).toBe(`${sim.baseUrl}/oauth/token?audience=${AUDIENCE}`);
    expect(run.summary).toContain(`| Token Endpoint | \`${sim.baseUrl}/oauth/token?audience=${AUDIENCE}\` |`);
  });

  it('an audience the server does not know: the fix names the audience input and its value', async () => {
    const run = await token({ audience: 'https://other.corp.example/api' });
    expect(run.exitCode).toBe(1);
    expect(run.log.errors[0]).toMatch(
      /^Token failed \(HTTP 400\): the platform answered "invalid_request: .*"\. Fix: check the audience input \(https:\/\/other\.corp\.example\/api\): it must be the platform API's identifier/u,
    );
    // Still the hand-off value the run computed, so a wrong one is visible in the outputs.
    expect(run.outputs['token-url']).toBe(`${sim.baseUrl}/oauth/token?audience=https://other.corp.example/api`);
  });

  it.each([
    ['invicti.corp.example/api', 'is not an absolute URL'],
    ['http://invicti.corp.example/api', 'uses plain http:// to invicti.corp.example'],
    ['https://invicti.corp.example/api#x', 'has a query or fragment'],
  ])('%s is an input error before any request', async (audience, says) => {
    const run = await token({ audience });
    expect(run.exitCode).toBe(1);
    expect(sim.requests).toHaveLength(0);
    expect(run.log.errors[0]).toMatch(
      new RegExp(`^Invalid input: input "audience" ${says.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&')}\\. Fix: `, 'u'),
    );
    expect(run.outputs).toEqual({});
  });
});
