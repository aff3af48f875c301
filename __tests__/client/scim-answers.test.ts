/**
 * SCIM answers the check must judge right (issue 16 §3, §5; issue 17's
 * survivors): a 404 after the token worked, a Bearer challenge's description,
 * a list that ignores count, a negative totalResults.
 */
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { LIST_RESPONSE_SCHEMA } from '../../src/client/scim.ts';
import { BASE, makeClient, caught, SCIM_TYPE, withNock } from '../support/nock-platform.ts';

withNock();

const scim = (path: string): nock.Interceptor => nock(BASE).get(`/api/scim/v2/${path}`).query(true);

describe('a SCIM 404 after the token endpoint worked at the same base URL', () => {
  it.each([
    [
      'ServiceProviderConfig',
      'GET /ServiceProviderConfig',
      (c: ReturnType<typeof makeClient>['client']) => c.scim.readServiceProviderConfig('tok-abcd'),
    ],
    [
      'Users',
      'GET /Users?filter=userName eq "n"',
      (c: ReturnType<typeof makeClient>['client']) => c.scim.findUsersByUserName('tok-abcd', 'n'),
    ],
    [
      'Groups',
      'GET /Groups?count=1&excludedAttributes=members',
      (c: ReturnType<typeof makeClient>['client']) => c.scim.listGroups('tok-abcd'),
    ],
  ] as const)('on %s: names the read and says SCIM may not be enabled for the account', async (path, read, call) => {
    scim(path).reply(404, { detail: 'Not found.' }, SCIM_TYPE);
    const error = await caught(call(makeClient().client));
    expect(error.status).toBe(404);
    expect(error.reason).toContain(`${read} was not found at ${BASE}/api/scim/v2`);
    expect(error.reason).toContain('SCIM may not be enabled for this account');
    expect(error.why).toContain('the platform answered "Not found."');
    expect(error.fix).toContain('enable SCIM provisioning for the account');
    expect(error.fix).not.toContain('path prefix');
  });
});

describe('a SCIM 401 with a Bearer challenge (RFC 6750 §3)', () => {
  const challenge =
    'Bearer realm="invicti", error="invalid_token", error_description="The access token expired at 03:00 \\"UTC\\""';

  it('on ServiceProviderConfig: quotes error and error_description', async () => {
    scim('ServiceProviderConfig').reply(401, '', { 'www-authenticate': challenge });
    const error = await caught(makeClient().client.scim.readServiceProviderConfig('tok-abcd'));
    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_token');
    expect(error.reason).toBe(
      'the platform refused the bearer token: "invalid_token: The access token expired at 03:00 "UTC"" (WWW-Authenticate)',
    );
  });

  it("on /Users: quoted after what the directory will see, with the body's own words kept", async () => {
    scim('Users').reply(401, { detail: 'Unauthorized.' }, { ...SCIM_TYPE, 'www-authenticate': challenge });
    const error = await caught(makeClient().client.scim.findUsersByUserName('tok-abcd', 'n'));
    expect(error.why).toContain('"invalid_token: The access token expired at 03:00 "UTC""');
    expect(error.why).toContain('it answered "Unauthorized."');
  });

  it('a challenge without error, or another scheme, adds nothing', async () => {
    scim('ServiceProviderConfig').reply(
      401,
      { detail: 'No.' },
      { ...SCIM_TYPE, 'www-authenticate': 'Basic realm="x", error="nope"' },
    );
    const error = await caught(makeClient().client.scim.readServiceProviderConfig('tok-abcd'));
    expect(error.reason).not.toContain('WWW-Authenticate');
  });
});

describe('a SCIM list that ignores count and answers megabytes', () => {
  it('is read once, not three times, and said to have ignored count=1', async () => {
    const huge = JSON.stringify({
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: 200_000,
      Resources: Array.from({ length: 200_000 }, (_, i) => ({ id: `g-${i}`, displayName: `Team ${i}` })),
    });
    expect(huge.length).toBeGreaterThan(4 * 1024 * 1024);
    let reads = 0;
    scim('Groups')
      .times(3)
      .reply(
        200,
        () => {
          reads += 1;
          return huge;
        },
        SCIM_TYPE,
      );
    const error = await caught(makeClient({ maxAttempts: 3 }).client.scim.listGroups('tok-abcd'));
    expect(reads).toBe(1);
    expect(error.reason).toContain('larger than 4 MiB');
    expect(error.reason).not.toContain('attempts');
    expect(error.why).toContain('the server ignored count=1 of GET /Groups?count=1&excludedAttributes=members');
  });
});

describe('totalResults', () => {
  it.each([-1, -5])('%i is refused (no "found 0 users" follows)', async (total) => {
    scim('Users').reply(200, { schemas: [LIST_RESPONSE_SCHEMA], totalResults: total, Resources: [] }, SCIM_TYPE);
    const error = await caught(makeClient().client.scim.findUsersByUserName('tok-abcd', 'n'));
    expect(error.reason).toContain('without a valid totalResults');
  });
});
