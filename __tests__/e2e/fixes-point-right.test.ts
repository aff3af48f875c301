/**
 * End to end (the entry file under Node 24, as a runner runs it, against the
 * simulator): each failure of issue 16 §3 gives the fix that points the right way.
 */
import { describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { tokenInputs, withSimulator } from '../support/platform.ts';
import { SCIM_ERROR_SCHEMA, type RegistrationRecord } from '../../harness/simulator.ts';

const sim = withSimulator();

function tokenRun(client: RegistrationRecord, extra: Record<string, string> = {}): Promise<ActionRun> {
  return runAction(tokenInputs(sim, { 'max-attempts': '1', ...extra }, client));
}

/** The one ::error:: of a failed run. */
function failure(run: ActionRun): string {
  expect(run.exitCode).toBe(1);
  expect(run.log.errors).toHaveLength(1);
  return run.log.errors[0] ?? '';
}

describe('step 4', () => {
  it('400 invalid_client with audience set: the client credentials first, then the audience', async () => {
    sim.fault('token', {
      status: 400,
      body: JSON.stringify({ error: 'invalid_client', error_description: 'Client authentication failed.' }),
    });
    const error = failure(await tokenRun(sim.seedRegistration(), { audience: `${sim.baseUrl}/api` }));
    expect(error).toMatch(
      /^Token failed \(HTTP 400\): the platform answered "invalid_client: Client authentication failed\."/u,
    );
    expect(error).toMatch(
      /Fix: check the client credentials first: a client-id and client-secret swapped, an old client-secret/u,
    );
    expect(error.indexOf('client credentials first')).toBeLessThan(error.indexOf('check the audience input'));
  });

  it('a 200 whose body is an OAuth error: quoted, and base-url not blamed', async () => {
    sim.fault('token', {
      status: 200,
      body: JSON.stringify({ error: 'invalid_client', error_description: 'The client secret was replaced.' }),
    });
    const run = await tokenRun(sim.seedRegistration());
    const error = failure(run);
    expect(error).toBe(
      `Token failed (HTTP 200): the token endpoint answered HTTP 200 with an OAuth error instead of a token: "invalid_client: The client secret was replaced.". Fix: check the client-id and client-secret inputs (they must belong to ${new URL(sim.baseUrl).host}): client-id is credentials.clientId (the client-id output of provision), not the registration UUID.`,
    );
    expect(run.summary).toContain('`invalid_client`');
  });

  it('a token longer than the limit: too long, and the limit', async () => {
    sim.fault('token', { act: true, mutate: (body) => ({ ...body, access_token: 'T'.repeat(9000) }) });
    const error = failure(await tokenRun(sim.seedRegistration()));
    expect(error).toContain(
      "the response's access_token is too long: 9000 characters, over the action's limit of 8192",
    );
    expect(error).not.toContain('check that base-url');
  });
});

describe('base-url copied from an endpoint URL', () => {
  it.each(['/api', '/api/scim/v2', '/oauth/token'])(
    'ending in %s: an input error saying to remove it, nothing sent',
    async (path) => {
      const run = await tokenRun(sim.seedRegistration(), { 'base-url': `${sim.baseUrl}${path}` });
      const error = failure(run);
      expect(error).toMatch(new RegExp(`^Invalid input: input "base-url" ends in ${path.replace(/\//gu, '\\/')}`, 'u'));
      expect(error).toContain(`Fix: remove ${path} from base-url: set it to ${sim.baseUrl}.`);
      expect(sim.requests).toHaveLength(0);
    },
  );
});

describe('SCIM check after the token endpoint worked', () => {
  it('a 404 on ServiceProviderConfig names the read and says SCIM may not be enabled for the account', async () => {
    sim.fault('scim', {
      status: 404,
      contentType: 'application/scim+json',
      body: JSON.stringify({ schemas: [SCIM_ERROR_SCHEMA], status: '404', detail: 'Not found.' }),
    });
    const run = await tokenRun(sim.seedRegistration(), { 'scim-check': 'true' });
    const error = failure(run);
    expect(error).toContain(
      `SCIM check failed (HTTP 404): GET /ServiceProviderConfig was not found at ${sim.baseUrl}/api/scim/v2, although the token endpoint at the same base URL had just issued the bearer token: SCIM may not be enabled for this account`,
    );
    expect(error).toContain('the platform answered "Not found."');
    expect(error).toContain("Fix: ask the platform's support or your account manager to enable SCIM provisioning");
    expect(sim.requestsTo('users')).toHaveLength(0);
  });

  it('a 401 with a Bearer challenge quotes its error_description (RFC 6750 §3)', async () => {
    sim.fault('users', {
      status: 401,
      body: '',
      headers: {
        'www-authenticate':
          'Bearer realm="scim", error="insufficient_scope", error_description="SCIM is not part of this plan"',
      },
    });
    const error = failure(await tokenRun(sim.seedRegistration(), { 'scim-check': 'true' }));
    expect(error).toContain(
      'the platform refused the bearer token: "insufficient_scope: SCIM is not part of this plan" (WWW-Authenticate)',
    );
  });
});
