/**
 * The SCIM check (input `scim-check`), end to end: the entry file
 * under Node 24 as a runner runs it, against the platform simulator, whose
 * `scim` route serves GET /api/scim/v2/ServiceProviderConfig (RFC 7643 §5),
 * `users` and `groups` the SCIM lists (RFC 7644 §3.4.2, strict RFC 3986 query
 * decoding), and answers a bad bearer token with an RFC 7644 §3.12 error.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { PlatformSimulator, SCIM_ERROR_SCHEMA, SPC_SCHEMA, type RegistrationRecord } from '../../harness/simulator.ts';
import { provisionInputs, tokenInputs, withSimulator } from '../support/platform.ts';
import { expectNoSecretShown } from '../support/secrets.ts';

const sim = withSimulator();

/** An authorized registration, as `provision` would have left it, for `token` mode runs. */
function seedClient(): RegistrationRecord {
  return sim.seedRegistration();
}

function tokenRun(client: RegistrationRecord, extra: Record<string, string> = {}): Promise<ActionRun> {
  return runAction(tokenInputs(sim, extra, client));
}

function provisionRun(extra: Record<string, string> = {}): Promise<ActionRun> {
  return runAction(
    provisionInputs(sim, {
      ...extra,
    }),
  );
}

function scimError(
  status: number,
  detail: string,
  scimType?: string,
): { status: number; contentType: string; body: string } {
  return {
    status,
    contentType: 'application/scim+json',
    body: JSON.stringify({
      schemas: [SCIM_ERROR_SCHEMA],
      status: String(status),
      ...(scimType ? { scimType } : {}),
      detail,
    }),
  };
}

describe('scim-check passes on 200 with the ServiceProviderConfig schema', () => {
  it('token mode: reads ServiceProviderConfig with the new bearer token and records the features', async () => {
    const client = seedClient();
    const run = await tokenRun(client, { 'scim-check': 'true' });
    expect(run.exitCode).toBe(0);
    const [read] = sim.requestsTo('scim');
    expect(sim.requestsTo('scim')).toHaveLength(1);
    expect(read?.method).toBe('GET');
    expect(read?.url).toBe('/api/scim/v2/ServiceProviderConfig');
    expect(read?.headers.authorization).toBe(`Bearer ${run.outputs['access-token']}`);
    expect(run.log.lines).toContain('▸ SCIM check');
    expect(run.log.text).toContain('Server says: patch yes, bulk no, filter yes, sort yes, etag no');
    expect(run.summary).toContain('| SCIM check | passed |');
    for (const [feature, says] of [
      ['patch', 'supported'],
      ['bulk', 'not supported'],
      ['filter', 'supported'],
      ['sort', 'supported'],
      ['etag', 'not supported'],
    ]) {
      expect(run.summary).toContain(`| ${feature} | ${says} |`);
    }
    expectNoSecretShown(run, sim);
  });

  it('provision with verify: the check uses the token of the new registration', async () => {
    const run = await provisionRun({ 'scim-check': 'true' });
    expect(run.exitCode).toBe(0);
    const [registration] = [...sim.registrations.values()];
    const auth = sim.requestsTo('scim')[0]?.headers.authorization ?? '';
    expect(sim.accessTokens.get(auth.replace('Bearer ', ''))).toBe(registration?.clientId);
    expect(run.log.lines.filter((line) => line.startsWith('▸ ')).at(-1)).toBe('▸ SCIM check');
    expect(run.summary).toContain('| SCIM check | passed |');
    expectNoSecretShown(run, sim);
  });

  it('a feature the server does not state is recorded as "not stated"', async () => {
    const client = seedClient();
    sim.fault('scim', { act: true, mutate: (body) => ({ ...body, etag: undefined, sort: { supported: 'maybe' } }) });
    const run = await tokenRun(client, { 'scim-check': 'true' });
    expect(run.exitCode).toBe(0);
    expect(run.summary).toContain('| etag | not stated |');
    expect(run.summary).toContain('| sort | not stated |');
    expect(run.log.text).toContain('sort not stated, etag not stated');
  });

  it('is off by default: no SCIM request, and the summary says it was not requested', async () => {
    const run = await tokenRun(seedClient());
    expect(run.exitCode).toBe(0);
    expect(sim.requestsTo('scim')).toHaveLength(0);
    expect(run.summary).toContain('| SCIM check | not requested (scim-check is false) |');
  });
});

describe('scim-check fails with the status and the SCIM error detail (RFC 7644 §3.12)', () => {
  it("the simulator's own 401: a bearer token it did not issue", async () => {
    const client = seedClient();
    const bogus = `bearer.${randomBytes(16).toString('hex')}`;
    sim.fault('token', { act: true, times: 1, mutate: (body) => ({ ...body, access_token: bogus }) });
    const run = await tokenRun(client, { 'scim-check': 'true' });
    expect(run.exitCode).toBe(1);
    expect(sim.requestsTo('scim')[0]?.status).toBe(401);
    expect(run.log.errors).toEqual([
      'SCIM check failed (HTTP 401): the platform answered "Authentication failed: the bearer token is missing or invalid.". ' +
        'Fix: the bearer token was not accepted for SCIM; check that the registration is authorized for the platform API.',
    ]);
    expect(run.log.text).not.toContain(bogus);
    expect(run.summary).toContain('| Failed step | SCIM check |');
    expect(run.summary).toContain('| HTTP status | 401 |');
    expect(run.summary).toContain('| SCIM check | failed |');
    // The reads after the one that failed are listed as not run, and none was sent.
    expect(run.summary).toContain('| GET /ServiceProviderConfig | failed: HTTP 401 |');
    expect(run.summary).toMatch(
      /\| GET \/Users\?filter=userName eq "[^"]+" \(Microsoft Entra ID's "Test connection"\) \| not run \|/u,
    );
    expect(run.summary).toContain('| GET /Groups?count=1&amp;excludedAttributes=members | not run |');
    expect(sim.requestsTo('users')).toHaveLength(0);
    expectNoSecretShown(run, sim);
  });

  it('a 401 with a SCIM error body carrying scimType and detail', async () => {
    const client = seedClient();
    sim.fault('scim', scimError(401, 'The bearer token has expired.', 'invalidToken'));
    const run = await tokenRun(client, { 'scim-check': 'true' });
    expect(run.exitCode).toBe(1);
    expect(run.log.errors).toHaveLength(1);
    expect(run.log.errors[0]).toMatch(
      /^SCIM check failed \(HTTP 401\): the platform answered "invalidToken: The bearer token has expired\."/u,
    );
    expect(run.summary).toContain('| Platform error | `invalidToken` |');
    // The token itself was obtained: its outputs are set even though the check failed.
    expect(run.outputs['access-token']).toMatch(/^bearer\./u);
    expectNoSecretShown(run, sim);
  });

  it.each([
    [403, 'Forbidden: the client lacks the scim scope.', 'the bearer token was not accepted for SCIM'],
    [500, 'Internal server error.', 'the platform had a server error'],
  ])('HTTP %i with a SCIM error', async (status, detail, fix) => {
    const client = seedClient();
    sim.fault('scim', scimError(status, detail));
    const run = await tokenRun(client, { 'scim-check': 'true', 'max-attempts': '1' });
    expect(run.exitCode).toBe(1);
    expect(run.log.errors).toHaveLength(1);
    expect(run.log.errors[0]).toContain(`SCIM check failed (HTTP ${status}): the platform answered "${detail}"`);
    expect(run.log.errors[0]).toContain(`Fix: ${fix}`);
    expectNoSecretShown(run, sim);
  });

  it('HTTP 200 whose schemas do not list the ServiceProviderConfig URN', async () => {
    const client = seedClient();
    sim.fault('scim', {
      act: true,
      mutate: (body) => ({ ...body, schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] }),
    });
    const run = await tokenRun(client, { 'scim-check': 'true' });
    expect(run.exitCode).toBe(1);
    expect(run.log.errors[0]).toMatch(
      new RegExp(
        `^SCIM check failed \\(HTTP 200\\): the response is not a ServiceProviderConfig \\(schemas does not list ${SPC_SCHEMA}\\)`,
        'u',
      ),
    );
  });

  it('HTTP 200 with an HTML page (a proxy or login page answered)', async () => {
    const client = seedClient();
    sim.fault('scim', { status: 200, contentType: 'text/html', body: '<html><body>Sign in</body></html>' });
    const run = await tokenRun(client, { 'scim-check': 'true' });
    expect(run.exitCode).toBe(1);
    expect(run.log.errors[0]).toMatch(/^SCIM check failed \(HTTP 200\): the response is text\/html/u);
  });

  it('a 2xx other than 200 fails even with a valid body', async () => {
    const client = seedClient();
    sim.fault('scim', {
      status: 202,
      contentType: 'application/scim+json',
      body: JSON.stringify({ schemas: [SPC_SCHEMA] }),
    });
    const run = await tokenRun(client, { 'scim-check': 'true' });
    expect(run.exitCode).toBe(1);
    expect(run.log.errors[0]).toMatch(
      /^SCIM check failed \(HTTP 202\): expected HTTP 200 with a ServiceProviderConfig/u,
    );
  });

  it('in provision mode the error names the registration, whose outputs are kept', async () => {
    sim.fault('scim', scimError(401, 'Token rejected.'));
    const run = await provisionRun({ 'scim-check': 'true' });
    expect(run.exitCode).toBe(1);
    const [registration] = [...sim.registrations.values()];
    expect(run.log.errors[0]).toMatch(/^SCIM check failed \(HTTP 401\): the platform answered "Token rejected\."/u);
    expect(run.log.errors[0]).toContain(
      `registration ${registration?.id} was created and authorized, and its credentials got a token`,
    );
    expect(run.outputs['registration-id']).toBe(registration?.id);
    expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
    expect(run.summary).toContain('| Verified (token obtained) | yes |');
    expect(run.summary).toContain('| SCIM check | failed |');
    expectNoSecretShown(run, sim);
  });
});

describe('scim-check with verify: false in provision mode', () => {
  it('is an input error, raised before any request (nothing is created)', async () => {
    const run = await provisionRun({ 'scim-check': 'true', verify: 'false' });
    expect(run.exitCode).toBe(1);
    expect(sim.requests).toHaveLength(0);
    expect(run.log.errors).toEqual([
      'Invalid input: input "scim-check" is true but input "verify" is false; in mode "provision" the SCIM check uses the bearer token that verify gets. ' +
        'Fix: set verify to true, or set scim-check to false.',
    ]);
    expect(run.summary).toContain('| Failed step | inputs |');
    expect(run.outputs).toEqual({});
  });

  it('verify does not apply in token mode, so scim-check runs there', async () => {
    const run = await tokenRun(seedClient(), { 'scim-check': 'true', verify: 'false' });
    expect(run.exitCode).toBe(0);
    expect(sim.requestsTo('scim')).toHaveLength(1);
  });

  it('verify: false without scim-check still provisions, and the summary says neither was requested', async () => {
    const run = await provisionRun({ verify: 'false' });
    expect(run.exitCode).toBe(0);
    expect(sim.requestsTo('token')).toHaveLength(0);
    expect(run.summary).toContain('| Verified (token obtained) | no (not requested: verify is false) |');
    expect(run.summary).toContain('| SCIM check | not requested (scim-check is false) |');
  });
});

describe('scim-check reads what the directory reads: /Users with a filter, then /Groups (read only)', () => {
  /** Every request that reached a SCIM route, as method and raw path. */
  const scimRequests = (): string[] =>
    sim.requests.filter((r) => r.url.startsWith('/api/scim/v2')).map((r) => `${r.method} ${r.url.split('?')[0]}`);

  it("token mode: ServiceProviderConfig, then Entra ID's test query for a user that does not exist, then one group", async () => {
    const client = seedClient();
    const usersBefore = structuredClone(sim.scimUsers);
    const groupsBefore = structuredClone(sim.scimGroups);
    const run = await tokenRun(client, { 'scim-check': 'true' });
    expect(run.exitCode, run.log.text).toBe(0);
    expect(scimRequests()).toEqual([
      'GET /api/scim/v2/ServiceProviderConfig',
      'GET /api/scim/v2/Users',
      'GET /api/scim/v2/Groups',
    ]);
    const [users] = sim.requestsTo('users');
    const [groups] = sim.requestsTo('groups');
    // RFC 3986 percent-encoding of `userName eq "<name>"`: %20 for spaces, %22 for quotes.
    expect(users?.url).toMatch(/^\/api\/scim\/v2\/Users\?filter=userName%20eq%20%22scim-check-[0-9a-f-]{36}%22$/u);
    const filter = decodeURIComponent(users?.url.split('filter=')[1] ?? '');
    const userName = /^userName eq "(.+)"$/u.exec(filter)?.[1] ?? '';
    expect(sim.scimUsers.some((u) => u.userName === userName)).toBe(false);
    expect(users?.status).toBe(200);
    expect(groups?.url).toBe('/api/scim/v2/Groups?count=1&excludedAttributes=members');
    expect(groups?.status).toBe(200);
    for (const request of [users, groups])
      expect(request?.headers.authorization).toBe(`Bearer ${run.outputs['access-token']}`);
    // Nothing was created, changed or deleted.
    expect(sim.scimUsers).toEqual(usersBefore);
    expect(sim.scimGroups).toEqual(groupsBefore);
    expect(run.log.lines).toContain(
      `GET /Users?filter=userName eq "${userName}" (Microsoft Entra ID's "Test connection"): an empty ListResponse (totalResults 0)`,
    );
    expect(run.log.lines).toContain('GET /Groups?count=1&excludedAttributes=members: a ListResponse (totalResults 2)');
    expect(run.summary).toContain('#### SCIM check (what the directory will read)');
    expect(run.summary).toContain('| GET /ServiceProviderConfig | passed: a SCIM 2.0 ServiceProviderConfig |');
    expect(run.summary).toContain(
      `| GET /Users?filter=userName eq "${userName}" (Microsoft Entra ID's "Test connection") | passed: an empty ListResponse`,
    );
    expect(run.summary).toContain(
      '| GET /Groups?count=1&amp;excludedAttributes=members | passed: a ListResponse (totalResults 2) |',
    );
    expect(run.summary).toContain('| SCIM check | passed |');
    expectNoSecretShown(run, sim);
  });

  it('a provision run with scim-check sends only GETs to SCIM routes, and each run queries another user name', async () => {
    const first = await provisionRun({ 'scim-check': 'true' });
    const second = await provisionRun({ 'scim-check': 'true' });
    expect(first.exitCode).toBe(0);
    expect(second.exitCode).toBe(0);
    const scim = sim.requests.filter((r) => r.url.startsWith('/api/scim/v2'));
    expect(scim).toHaveLength(6);
    expect(scim.every((r) => r.method === 'GET' && r.body === '')).toBe(true);
    const names = sim.requestsTo('users').map((r) => r.url);
    expect(new Set(names).size).toBe(2);
  });

  it('ServiceProviderConfig served without a token, /Users refuses it (401): the token is not accepted for SCIM', async () => {
    const open = await PlatformSimulator.start({ discoveryWithoutToken: true });
    try {
      const client = open.seedRegistration();
      open.fault('token', {
        act: true,
        times: 1,
        mutate: (body) => ({ ...body, access_token: `bearer.${randomBytes(16).toString('hex')}` }),
      });
      const run = await runAction({
        mode: 'token',
        'base-url': open.baseUrl,
        'client-id': client.clientId,
        'client-secret': client.clientSecret,
        'scim-check': 'true',
      });
      expect(run.exitCode).toBe(1);
      expect(open.requests.map((r) => [r.route, r.status])).toEqual([
        ['token', 200],
        ['scim', 200],
        ['users', 401],
      ]);
      expect(run.log.errors).toHaveLength(1);
      expect(run.log.errors[0]).toMatch(
        /^SCIM check failed \(HTTP 401\): GET \/Users\?filter=userName eq "scim-check-[0-9a-f-]{36}" was refused after ServiceProviderConfig was read, so Microsoft Entra ID's "Test connection" \(this same query\) will fail: the bearer token is not accepted for SCIM .*; the platform answered "Authentication failed: the bearer token is missing or invalid\."\. Fix: check that the registration was authorized for the platform API/u,
      );
      expect(run.summary).toContain('| GET /ServiceProviderConfig | passed: a SCIM 2.0 ServiceProviderConfig |');
      expect(run.summary).toMatch(
        /\| GET \/Users\?filter=userName eq "[^"]+" \(Microsoft Entra ID's "Test connection"\) \| failed: HTTP 401 \|/u,
      );
      expect(run.summary).toContain('| GET /Groups?count=1&amp;excludedAttributes=members | not run |');
      expect(run.summary).toContain('| SCIM check | failed |');
    } finally {
      await open.close();
    }
  });

  it('a registration whose tokens may not use SCIM resources: 403 on /Users, same diagnosis', async () => {
    const client = sim.seedRegistration({ scimAllowed: false });
    const run = await tokenRun(client, { 'scim-check': 'true' });
    expect(run.exitCode).toBe(1);
    expect(sim.requests.map((r) => [r.route, r.status])).toEqual([
      ['token', 200],
      ['scim', 200],
      ['users', 403],
    ]);
    expect(run.log.errors[0]).toMatch(
      /^SCIM check failed \(HTTP 403\): GET \/Users\?filter=.* was refused after ServiceProviderConfig was read/u,
    );
    expect(run.log.errors[0]).toContain('the platform answered "The client is not allowed to access SCIM resources."');
  });

  it('/Users 404 while ServiceProviderConfig passes: the Tenant URL is wrong', async () => {
    sim.fault('users', { status: 404, body: JSON.stringify({ message: 'Resource not found.' }) });
    const run = await tokenRun(seedClient(), { 'scim-check': 'true' });
    expect(run.exitCode).toBe(1);
    expect(sim.requestsTo('users')).toHaveLength(1);
    expect(sim.requestsTo('groups')).toHaveLength(0);
    expect(run.log.errors[0]).toMatch(
      new RegExp(
        `^SCIM check failed \\(HTTP 404\\): GET /Users\\?filter=.* was not found at ${sim.baseUrl.replace(/[.]/gu, '\\.')}/api/scim/v2, although the token endpoint at the same base URL had just issued the bearer token: SCIM may not be enabled for this account, so Microsoft Entra ID's "Test connection" \\(this same query\\) will fail; the platform answered "Resource not found\\."\\. Fix: ask the platform's support`,
        'u',
      ),
    );
  });

  it('/Users answers JSON that is not a ListResponse: not a SCIM 2.0 endpoint', async () => {
    sim.fault('users', { act: true, mutate: (body) => ({ users: body['Resources'], count: 0 }) });
    const run = await tokenRun(seedClient(), { 'scim-check': 'true' });
    expect(run.exitCode).toBe(1);
    expect(run.log.errors[0]).toMatch(
      /^SCIM check failed \(HTTP 200\): GET \/Users\?filter=.* did not answer a SCIM ListResponse \(schemas does not list urn:ietf:params:scim:api:messages:2\.0:ListResponse\), so the directory cannot read it: .* is not a SCIM 2\.0 endpoint/u,
    );
  });

  it('a server that ignores the filter (users found for a name that does not exist) fails as Entra ID would', async () => {
    const broken = await PlatformSimulator.start({ ignoreFilter: true });
    try {
      const client = broken.seedRegistration();
      const run = await runAction({
        mode: 'token',
        'base-url': broken.baseUrl,
        'client-id': client.clientId,
        'client-secret': client.clientSecret,
        'scim-check': 'true',
      });
      expect(run.exitCode).toBe(1);
      expect(run.log.errors[0]).toMatch(
        /^SCIM check failed \(HTTP 200\): GET \/Users\?filter=userName eq "[^"]+" found 2 users for a user name that does not exist, so Microsoft Entra ID's "Test connection" will fail/u,
      );
      expect(broken.requestsTo('groups')).toHaveLength(0);
    } finally {
      await broken.close();
    }
  });

  it.each([
    [
      '404',
      { status: 404, body: JSON.stringify({ message: 'Resource not found.' }) },
      /^SCIM check failed \(HTTP 404\): GET \/Groups\?count=1&excludedAttributes=members was not found at .*: SCIM may not be enabled for this account, so the directory cannot read or provision groups/u,
    ],
    [
      '401',
      { status: 401, body: JSON.stringify({ detail: 'No.' }) },
      /^SCIM check failed \(HTTP 401\): GET \/Groups\?count=1&excludedAttributes=members was refused after ServiceProviderConfig was read, so the directory cannot read or provision groups/u,
    ],
    [
      'not a ListResponse',
      { act: true, mutate: (body: Record<string, unknown>) => ({ ...body, schemas: ['urn:example:teams'] }) },
      /^SCIM check failed \(HTTP 200\): GET \/Groups\?count=1&excludedAttributes=members did not answer a SCIM ListResponse/u,
    ],
  ])('/Groups %s after /Users passed', async (_, fault, error) => {
    sim.fault('groups', fault);
    const run = await tokenRun(seedClient(), { 'scim-check': 'true' });
    expect(run.exitCode).toBe(1);
    expect(run.log.errors[0]).toMatch(error);
    expect(run.summary).toMatch(/\| GET \/Users\?filter=.* \| passed: /u);
    expect(run.summary).toMatch(/\| GET \/Groups\?count=1&amp;excludedAttributes=members \| failed: HTTP \d+ \|/u);
  });

  it('provision: a /Users failure names the registration, whose credentials stay in the outputs', async () => {
    sim.fault('users', { status: 403, body: JSON.stringify({ detail: 'Forbidden.' }) });
    const run = await provisionRun({ 'scim-check': 'true' });
    expect(run.exitCode).toBe(1);
    const [registration] = [...sim.registrations.values()];
    expect(run.log.errors[0]).toMatch(/^SCIM check failed \(HTTP 403\): GET \/Users/u);
    expect(run.log.errors[0]).toContain(
      `registration ${registration?.id} was created and authorized, and its credentials got a token`,
    );
    expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
    expectNoSecretShown(run, sim);
  });
});
