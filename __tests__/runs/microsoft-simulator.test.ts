/**
 * The Microsoft simulator itself (harness/microsoft.ts), without the action:
 * GitHub's OIDC token service, Entra's token endpoint with a federated client
 * assertion, and the Graph synchronization calls, whose validateCredentials
 * really tests credentials against the platform simulator (whose token route
 * takes HTTP Basic client authentication too).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ASSERTION_TYPE, ENTRA_AUDIENCE, jwtSubject, MicrosoftSimulator, scimJob } from '../../harness/microsoft.ts';
import { PlatformSimulator, type RegistrationRecord } from '../../harness/simulator.ts';

let sim: PlatformSimulator;
let ms: MicrosoftSimulator;
let old: RegistrationRecord;
beforeAll(async () => {
  sim = await PlatformSimulator.start();
});
afterAll(async () => {
  await sim.close();
  await ms.close();
});
beforeEach(async () => {
  sim.reset();
  await ms?.close();
  old = sim.seedRegistration({ clientSecret: 'old sé+cret:/=' });
  ms = await MicrosoftSimulator.start({
    saved: {
      tenantUrl: `${sim.baseUrl}/api/scim/v2`,
      tokenUrl: `${sim.baseUrl}/oauth/token?audience=${sim.baseUrl}/api`,
      clientId: old.clientId,
      clientSecret: old.clientSecret,
    },
  });
});

async function call(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function oidcToken(): Promise<string> {
  const env = ms.env();
  const url = `${env['ACTIONS_ID_TOKEN_REQUEST_URL']}&audience=${encodeURIComponent(ENTRA_AUDIENCE)}`;
  const answer = await call('GET', url, { authorization: `Bearer ${env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']}` });
  expect(answer.status).toBe(200);
  return String(answer.json['value']);
}

async function entraToken(overrides: Record<string, string> = {}, tenant = ms.tenantId) {
  const form = new URLSearchParams({
    client_id: ms.clientId,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: await oidcToken(),
    scope: `${ms.baseUrl}/.default`,
    grant_type: 'client_credentials',
    ...overrides,
  });
  return call(
    'POST',
    `${ms.baseUrl}/${tenant}/oauth2/v2.0/token`,
    { 'content-type': 'application/x-www-form-urlencoded' },
    form.toString(),
  );
}

async function graph(method: string, path: string, body?: unknown) {
  const token = String((await entraToken()).json['access_token']);
  return call(
    method,
    `${ms.baseUrl}/v1.0/servicePrincipals/${ms.servicePrincipalId}/synchronization/${path}`,
    { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body === undefined ? undefined : JSON.stringify(body),
  );
}

describe('GitHub OIDC token service', () => {
  it('issues a JWT for the audience asked, with the configured subject, only with the request token', async () => {
    const jwt = await oidcToken();
    expect(jwtSubject(jwt)).toBe('repo:octo-org/identity:environment:invicti-rotation');
    expect(ms.oidcTokens.has(jwt)).toBe(true);
    const url = `${ms.env()['ACTIONS_ID_TOKEN_REQUEST_URL']}&audience=x`;
    expect((await call('GET', url, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await call('GET', url)).status).toBe(401);
  });
});

describe('Entra token endpoint', () => {
  it('exchanges the OIDC token for a Graph token, by tenant id or domain', async () => {
    const byId = await entraToken();
    expect(byId.status).toBe(200);
    expect(byId.json).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    expect(ms.graphTokens.has(String(byId.json['access_token']))).toBe(true);
    expect((await entraToken({}, 'CONTOSO.onmicrosoft.com')).status).toBe(200);
  });

  it('refuses a subject no federated credential trusts, quoting it (AADSTS700213)', async () => {
    ms.subject = 'repo:octo-org/identity:ref:refs/heads/main';
    const answer = await entraToken();
    expect(answer.status).toBe(401);
    expect(answer.json['error_codes']).toEqual([700213]);
    expect(answer.json['error_description']).toContain("subject 'repo:octo-org/identity:ref:refs/heads/main'");
  });

  it('answers 90002 for an unknown tenant, 700016 for an unknown app, and refuses a wrong scope or assertion', async () => {
    expect((await entraToken({}, 'fabrikam.onmicrosoft.com')).json['error_codes']).toEqual([90002]);
    expect((await entraToken({ client_id: '11111111-2222-3333-4444-555555555555' })).json['error_codes']).toEqual([
      700016,
    ]);
    expect((await entraToken({ scope: 'https://graph.microsoft.com/.default' })).json['error']).toBe('invalid_scope');
    expect((await entraToken({ client_assertion: 'a.b.c' })).status).toBe(401);
  });
});

describe('Graph synchronization', () => {
  it('lists the SCIM job and the saved keys, secrets as *', async () => {
    const jobs = await graph('GET', 'jobs');
    expect(jobs.status).toBe(200);
    expect(jobs.json['value']).toMatchObject([{ id: ms.job.id, templateId: 'scim', status: { code: 'Active' } }]);
    const secrets = await graph('GET', 'secrets');
    expect(secrets.json['value']).toContainEqual({ key: 'Oauth2ClientId', value: old.clientId });
    expect(secrets.json['value']).toContainEqual({ key: 'Oauth2ClientSecret', value: '*' });
  });

  it('refuses without a Graph token, for another app (404) and when forbidden (403)', async () => {
    const url = `${ms.baseUrl}/v1.0/servicePrincipals/${ms.servicePrincipalId}/synchronization/jobs`;
    expect((await call('GET', url)).status).toBe(401);
    const token = String((await entraToken()).json['access_token']);
    const other = url.replace(ms.servicePrincipalId, '99999999-9999-9999-9999-999999999999');
    expect((await call('GET', other, { authorization: `Bearer ${token}` })).status).toBe(404);
    ms.forbidden = true;
    const forbidden = await call('GET', url, { authorization: `Bearer ${token}` });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json['error']).toMatchObject({ code: 'Authorization_RequestDenied' });
  });

  it("validateCredentials runs Entra's test against the platform: Basic client auth, then the Users filter", async () => {
    const passed = await graph('POST', `jobs/${ms.job.id}/validateCredentials`, { useSavedCredentials: true });
    expect(passed.status).toBe(204);
    expect(ms.tests).toEqual([{ useSavedCredentials: true, passed: true, detail: '', clientId: old.clientId }]);
    const [token] = sim.requestsTo('token');
    expect(token?.headers['authorization']).toMatch(/^Basic /u);
    expect(token?.body).toBe('grant_type=client_credentials');
    expect(sim.requestsTo('users')[0]?.url).toMatch(/filter=userName%20eq%20%22[0-9a-f-]{36}%22$/u);

    old.clientSecret = 'changed';
    const failed = await graph('POST', `jobs/${ms.job.id}/validateCredentials`, { useSavedCredentials: true });
    expect(failed.status).toBe(400);
    expect(ms.tests.at(-1)).toMatchObject({ passed: false, detail: 'The token endpoint answered HTTP 401.' });
  });

  it('validateCredentials with a new set tests that set only, and refuses a key outside the enumeration', async () => {
    const fresh = sim.seedRegistration();
    const set = [
      { key: 'BaseAddress', value: ms.saved('BaseAddress') ?? '' },
      { key: 'Oauth2TokenExchangeUri', value: ms.saved('Oauth2TokenExchangeUri') ?? '' },
      { key: 'Oauth2ClientId', value: fresh.clientId },
      { key: 'Oauth2ClientSecret', value: fresh.clientSecret },
    ];
    const path = `jobs/${ms.job.id}/validateCredentials`;
    expect((await graph('POST', path, { useSavedCredentials: false, credentials: set })).status).toBe(204);
    expect(ms.tests.at(-1)?.clientId).toBe(fresh.clientId);
    const wrongCase = [...set, { key: 'oauth2ClientId', value: fresh.clientId }];
    const refused = await graph('POST', path, { useSavedCredentials: false, credentials: wrongCase });
    expect(refused.status).toBe(500);
    expect(refused.json['error']).toMatchObject({
      code: 'InternalError',
      message: "Requested value 'oauth2ClientId' was not found.",
    });
    expect(ms.saved('Oauth2ClientId')).toBe(old.clientId);
  });

  it('PUT secrets upserts per key (keys not sent stay) and refuses an unknown key without saving', async () => {
    const before = ms.secrets.length;
    expect((await graph('PUT', 'secrets', { value: [{ key: 'Oauth2ClientSecret', value: 'new' }] })).status).toBe(204);
    expect(ms.saved('Oauth2ClientSecret')).toBe('new');
    expect(ms.secrets).toHaveLength(before);
    expect((await graph('PUT', 'secrets', { value: [{ key: 'TokenUrl', value: 'x' }] })).status).toBe(500);
    expect(ms.saved('TokenUrl')).toBeUndefined();
  });

  it('restart with resetScope QuarantineState lifts a quarantine', async () => {
    ms.jobs = [scimJob(true)];
    expect(ms.job.status.code).toBe('Quarantine');
    const answer = await graph('POST', `jobs/${ms.job.id}/restart`, { criteria: { resetScope: 'QuarantineState' } });
    expect(answer.status).toBe(204);
    expect(ms.job.status).toEqual({ code: 'Active', quarantine: null });
    expect(ms.restarts).toEqual([{ criteria: { resetScope: 'QuarantineState' } }]);
  });

  it('a held request whose caller left is not acted on (no test reaches the platform later)', async () => {
    const token = String((await entraToken()).json['access_token']);
    ms.fault('validate', { delayMs: 100 });
    const caller = new AbortController();
    const request = fetch(
      `${ms.baseUrl}/v1.0/servicePrincipals/${ms.servicePrincipalId}/synchronization/jobs/${ms.job.id}/validateCredentials`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{"useSavedCredentials":true}',
        signal: caller.signal,
      },
    );
    while (ms.requestsTo('validate').length === 0) await new Promise((resolve) => setImmediate(resolve));
    caller.abort();
    await expect(request).rejects.toThrow();
    // Past the hold: the simulator would have run Entra's test by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ms.tests).toEqual([]);
    expect(sim.requests).toEqual([]);
  });

  it('faults: a match picks only the requests it names; Retry-After is sent', async () => {
    ms.fault('validate', {
      match: (body) => body.includes('"useSavedCredentials":true'),
      times: 1,
      status: 429,
      headers: { 'retry-after': '3' },
      body: { error: { code: 'TooManyRequests', message: 'slow down' } },
    });
    const path = `jobs/${ms.job.id}/validateCredentials`;
    expect((await graph('POST', path, { useSavedCredentials: false, credentials: [] })).status).toBe(400);
    expect((await graph('POST', path, { useSavedCredentials: true })).status).toBe(429);
    expect((await graph('POST', path, { useSavedCredentials: true })).status).toBe(204);
  });
});

describe('platform token route: HTTP Basic client authentication (RFC 6749 §2.3.1)', () => {
  const tokenUrl = (): string => `${sim.baseUrl}/oauth/token?audience=${sim.baseUrl}/api`;
  const basic = (id: string, secret: string): string =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  it('accepts the form-urlencoded id and secret in a Basic header, odd characters included', async () => {
    const answer = await call(
      'POST',
      tokenUrl(),
      { ...form, authorization: basic(old.clientId, old.clientSecret) },
      'grant_type=client_credentials',
    );
    expect(answer.status).toBe(200);
    expect(sim.accessTokens.has(String(answer.json['access_token']))).toBe(true);
  });

  it('refuses a wrong secret in Basic, and both methods at once', async () => {
    const wrong = await call(
      'POST',
      tokenUrl(),
      { ...form, authorization: basic(old.clientId, 'nope') },
      'grant_type=client_credentials',
    );
    expect(wrong).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
    const both = await call(
      'POST',
      tokenUrl(),
      { ...form, authorization: basic(old.clientId, old.clientSecret) },
      new URLSearchParams({ grant_type: 'client_credentials', client_secret: old.clientSecret }).toString(),
    );
    expect(both).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
  });

  it('still accepts the form body', async () => {
    const answer = await call(
      'POST',
      tokenUrl(),
      form,
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: old.clientId,
        client_secret: old.clientSecret,
      }).toString(),
    );
    expect(answer.status).toBe(200);
  });
});
