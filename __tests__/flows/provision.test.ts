/**
 * The provision flow (src/flows/provision.ts) over the platform clients and
 * the real transport, with nock answering: the documented sequence of steps,
 * what is kept and named when a later step fails, and where it stops.
 */
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { Inputs } from '../../src/runner/inputs.ts';
import { PLATFORM_API_ID } from '../../src/client/identity.ts';
import { provision } from '../../src/flows/provision.ts';
import type { Report } from '../../src/runner/report.ts';
import {
  BASE,
  REGISTRATION_ID,
  CREDENTIALS,
  JSON_TYPE,
  makeClient,
  record,
  caught,
  expectWellFormed,
  withNock,
} from '../support/nock-platform.ts';

withNock();

describe('the documented sequence (provision)', () => {
  function inputs(overrides: Partial<Inputs> = {}): Inputs {
    return {
      mode: 'provision',
      baseUrl: BASE,
      region: undefined,
      email: 'owner@example.com',
      password: 'pw',
      trimmedSecrets: [],
      organizationId: '',
      audience: undefined,
      apiKey: '',
      clientName: 'Entra ID',
      clientDescription: 'Entra ID SCIM',
      clientId: '',
      clientSecret: '',
      verify: true,
      scimCheck: false,
      timeoutSeconds: 5,
      maxAttempts: 1,
      caCertificates: [],
      ...overrides,
    };
  }
  const logger = {
    info: () => undefined,
    debug: () => undefined,
    notice: () => undefined,
    warning: () => undefined,
    group: <T>(_name: string, fn: () => Promise<T>): Promise<T> => fn(),
  };
  const report = (): Report => ({
    mode: 'provision',
    baseUrl: BASE,
    region: undefined,
    scimUrl: '',
    tokenUrl: '',
    verified: false,
  });
  /** Steps 2–4 answered as documented, after whatever `scope` already answers. */
  const steps2to4 = (scope: nock.Scope): nock.Scope =>
    scope
      .post('/api/identity/v1/clients')
      .query({ expand: 'credentials' })
      .reply(201, { clientId: REGISTRATION_ID, credentials: CREDENTIALS }, JSON_TYPE)
      .post(`/api/identity/v1/apis/${PLATFORM_API_ID}/clients`)
      .reply(201, [{ clientId: REGISTRATION_ID }], JSON_TYPE)
      .post('/oauth/token')
      .query(true)
      .reply(200, { access_token: 'bearer-1', token_type: 'Bearer', expires_in: 3600 }, JSON_TYPE);

  it('login → create → authorize by registration UUID (not credentials.clientId) → token with credentials.clientId', async () => {
    const scope = steps2to4(
      nock(BASE).post('/api/identity/v1/userCredentials/login').reply(200, { accessToken: 'login-token-1' }, JSON_TYPE),
    );
    const seen = record(scope);
    const r = report();
    await provision(makeClient().client, inputs(), r, logger);
    expect(scope.isDone()).toBe(true);
    expect(r.ownerAuth).toBe('password');
    expect(seen.slice(1, 3).map((s) => s.headers['authorization'])).toEqual([
      'Bearer login-token-1',
      'Bearer login-token-1',
    ]);
    expect(seen.map((s) => s.headers['x-auth'])).toEqual([undefined, undefined, undefined, undefined]);
    expect(seen.map((s) => s.path.split('?')[0])).toEqual([
      '/api/identity/v1/userCredentials/login',
      '/api/identity/v1/clients',
      `/api/identity/v1/apis/${PLATFORM_API_ID}/clients`,
      '/oauth/token',
    ]);
    expect(JSON.parse(seen[2]?.body ?? '')).toEqual([{ clientId: REGISTRATION_ID }]);
    expect(seen[2]?.body).not.toContain(CREDENTIALS.clientId);
    expect(new URLSearchParams(seen[3]?.body).get('client_id')).toBe(CREDENTIALS.clientId);
    expect(r).toMatchObject({
      verified: true,
      registration: {
        id: REGISTRATION_ID,
        clientId: CREDENTIALS.clientId,
        clientSecret: CREDENTIALS.clientSecret,
        authorized: true,
      },
      token: { accessToken: 'bearer-1', tokenType: 'Bearer', expiresIn: 3600 },
    });
  });

  it('with api-key: no login; create and authorize carry X-Auth; the rest is unchanged; the report says how', async () => {
    const KEY = 'owner-api-key.jwt';
    const scope = steps2to4(nock(BASE));
    const seen = record(scope);
    const r = report();
    const infos: string[] = [];
    await provision(makeClient().client, inputs({ email: '', password: '', apiKey: KEY }), r, {
      ...logger,
      info: (m: string) => void infos.push(m),
    });
    expect(scope.isDone()).toBe(true);
    expect(seen.map((s) => s.path.split('?')[0])).toEqual([
      '/api/identity/v1/clients',
      `/api/identity/v1/apis/${PLATFORM_API_ID}/clients`,
      '/oauth/token',
    ]);
    expect(seen.map((s) => s.headers['x-auth'])).toEqual([KEY, KEY, undefined]);
    expect(seen.map((s) => s.headers['authorization'])).toEqual([undefined, undefined, undefined]);
    expect(r).toMatchObject({
      ownerAuth: 'api-key',
      verified: true,
      registration: { id: REGISTRATION_ID, authorized: true },
    });
    expect(infos.join('\n')).toContain(
      'Authenticating as the Owner with API key (input api-key, sent as the X-Auth header',
    );
    expect(infos.join('\n')).not.toContain(KEY);
  });

  it('with api-key, a failed authorize says how to finish by hand with the API key', async () => {
    nock(BASE)
      .post('/api/identity/v1/clients')
      .query(true)
      .reply(201, { clientId: REGISTRATION_ID, credentials: CREDENTIALS }, JSON_TYPE)
      .post(`/api/identity/v1/apis/${PLATFORM_API_ID}/clients`)
      .reply(500, { message: 'Internal error.' }, JSON_TYPE);
    const error = await caught(
      provision(makeClient().client, inputs({ email: '', password: '', apiKey: 'k' }), report(), logger),
    );
    expectWellFormed(error, 'Authorize', 500);
    expect(error.howToFix).toContain("with an Owner's API key in the X-Auth header");
  });

  it('credentials: null → error mentions expand=credentials and names the registration id; nothing further is sent', async () => {
    const scope = nock(BASE)
      .post('/api/identity/v1/userCredentials/login')
      .reply(200, { accessToken: 'login-token-1' }, JSON_TYPE)
      .post('/api/identity/v1/clients')
      .query(true)
      .reply(201, { clientId: REGISTRATION_ID, credentials: null }, JSON_TYPE);
    const r = report();
    const error = await caught(provision(makeClient().client, inputs(), r, logger));
    expect(scope.isDone()).toBe(true);
    expectWellFormed(error, 'Create registration', 201);
    expect(error.reason).toContain(REGISTRATION_ID);
    expect(error.message).toContain('expand=credentials');
    expect(r.registration?.id).toBe(REGISTRATION_ID);
  });

  it('no registration id but credentials: the report keeps client-id and client-secret; step 3 is not attempted', async () => {
    const scope = nock(BASE)
      .post('/api/identity/v1/userCredentials/login')
      .reply(200, { accessToken: 'login-token-1' }, JSON_TYPE)
      .post('/api/identity/v1/clients')
      .query(true)
      .reply(201, { credentials: CREDENTIALS }, JSON_TYPE);
    const r = report();
    const error = await caught(provision(makeClient().client, inputs(), r, logger));
    expect(scope.isDone()).toBe(true);
    expectWellFormed(error, 'Create registration', 201);
    expect(r.registration).toEqual({
      id: undefined,
      name: 'Entra ID',
      clientId: CREDENTIALS.clientId,
      clientSecret: CREDENTIALS.clientSecret,
      authorized: false,
    });
  });

  it('verify: false stops after authorize', async () => {
    const scope = nock(BASE)
      .post('/api/identity/v1/userCredentials/login')
      .reply(200, { accessToken: 'login-token-1' }, JSON_TYPE)
      .post('/api/identity/v1/clients')
      .query(true)
      .reply(201, { clientId: REGISTRATION_ID, credentials: CREDENTIALS }, JSON_TYPE)
      .post(`/api/identity/v1/apis/${PLATFORM_API_ID}/clients`)
      .reply(201, [{ clientId: REGISTRATION_ID }], JSON_TYPE);
    const r = report();
    await provision(makeClient().client, inputs({ verify: false }), r, logger);
    expect(scope.isDone()).toBe(true);
    expect(r.verified).toBe(false);
    expect(r.token).toBeUndefined();
    expect(r.registration?.authorized).toBe(true);
  });
});
