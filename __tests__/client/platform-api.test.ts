/**
 * The platform clients (src/client/) over the real transport
 * (@actions/http-client), with nock answering: the documented requests of each
 * step, and the mapping of every documented error to a message that names the
 * step, the HTTP status, the platform's error and a fix.
 */
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { PLATFORM_API_ID, UnusableRegistrationError } from '../../src/client/identity.ts';
import { apiKeyCredential, loginCredential } from '../../src/client/owner.ts';
import { type PlatformClients } from '../../src/client/index.ts';
import { equalityFilter, LIST_RESPONSE_SCHEMA, SERVICE_PROVIDER_CONFIG_SCHEMA } from '../../src/client/scim.ts';
import {
  BASE,
  REGISTRATION_ID,
  CREDENTIALS,
  JSON_TYPE,
  HTML_TYPE,
  HTML,
  makeClient,
  record,
  caught,
  expectWellFormed,
  withNock,
} from '../support/nock-platform.ts';

withNock();

describe('step 1: login', () => {
  it('sends the documented request and masks the token it returns', async () => {
    const scope = nock(BASE)
      .post('/api/identity/v1/userCredentials/login')
      .reply(200, { accessToken: 'login-token-1' }, JSON_TYPE);
    const seen = record(scope);
    const { client, mask } = makeClient();
    expect(await client.identity.login('owner@example.com', 'pa"ss\\word')).toEqual({
      auth: 'password',
      headers: { authorization: 'Bearer login-token-1' },
    });
    expect(scope.isDone()).toBe(true);
    const [request] = seen;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/identity/v1/userCredentials/login');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['authorization']).toBeUndefined();
    expect(request?.headers['user-agent']).toBe('scim-action-test/1');
    expect(JSON.parse(request?.body ?? '')).toEqual({ emailAddress: 'owner@example.com', password: 'pa"ss\\word' });
    expect(Object.keys(JSON.parse(request?.body ?? ''))).toEqual(['emailAddress', 'password']);
    expect(mask).toHaveBeenCalledWith('login-token-1');
  });

  it("organizationId is sent only when given (the field of the platform's SCIM overview)", async () => {
    const scope = nock(BASE)
      .post('/api/identity/v1/userCredentials/login')
      .times(2)
      .reply(200, { accessToken: 'login-token-1' }, JSON_TYPE);
    const seen = record(scope);
    const { client } = makeClient();
    await client.identity.login('owner@example.com', 'pw', 'org-7');
    await client.identity.login('owner@example.com', 'pw', '');
    expect(seen.map((r) => JSON.parse(r.body) as unknown)).toEqual([
      { emailAddress: 'owner@example.com', password: 'pw', organizationId: 'org-7' },
      { emailAddress: 'owner@example.com', password: 'pw' },
    ]);
  });

  it('401: names login, the status and the platform message, and says to check email and password', async () => {
    nock(BASE)
      .post('/api/identity/v1/userCredentials/login')
      .reply(401, { message: 'Invalid email address or password.' }, JSON_TYPE);
    const error = await caught(makeClient().client.identity.login('owner@example.com', 'wrong'));
    expectWellFormed(error, 'Login', 401);
    expect(error.step).toBe('login');
    expect(error.reason).toContain('Invalid email address or password.');
    expect(error.fix).toContain('email');
    expect(error.fix).toContain('password');
    expect(error.message).not.toContain('wrong');
  });

  it('200 text/html from a proxy: reported with its content type, not as a JSON parse error', async () => {
    nock(BASE)
      .post('/api/identity/v1/userCredentials/login')
      .reply(200, '<html><body>Sign in to the proxy</body></html>', HTML_TYPE);
    const error = await caught(makeClient().client.identity.login('owner@example.com', 'pw'));
    expectWellFormed(error, 'Login', 200);
    expect(error.reason).toContain('text/html');
    expect(error.reason).toContain('not JSON');
    expect(error.fix).toMatch(/proxy/u);
  });

  it("200 with a malformed JSON body: says so, without the parser's message", async () => {
    nock(BASE).post('/api/identity/v1/userCredentials/login').reply(200, '{"accessToken":"abc', JSON_TYPE);
    const error = await caught(makeClient().client.identity.login('owner@example.com', 'pw'));
    expectWellFormed(error, 'Login', 200);
    expect(error.reason).toContain('not valid JSON');
    expect(error.message).not.toContain('abc');
  });

  it('200 without accessToken', async () => {
    nock(BASE).post('/api/identity/v1/userCredentials/login').reply(200, { token: 'x' }, JSON_TYPE);
    const error = await caught(makeClient().client.identity.login('owner@example.com', 'pw'));
    expectWellFormed(error, 'Login', 200);
    expect(error.reason).toContain('accessToken');
  });

  it('3xx: error naming the Location host; the password is never sent there', async () => {
    nock(BASE)
      .post('/api/identity/v1/userCredentials/login')
      .reply(307, 'moved', { location: 'https://sso.attacker.test/collect' });
    const trap = nock('https://sso.attacker.test').post('/collect').reply(200, { accessToken: 'stolen' }, JSON_TYPE);
    const error = await caught(makeClient().client.identity.login('owner@example.com', 'pw'));
    expectWellFormed(error, 'Login', 307);
    expect(error.reason).toContain('sso.attacker.test');
    expect(error.fix).toContain('base-url');
    expect(trap.isDone()).toBe(false);
  });

  it('301 with a relative Location names the platform host itself', async () => {
    nock(BASE).post('/api/identity/v1/userCredentials/login').reply(301, '', { location: '/login' });
    const error = await caught(makeClient().client.identity.login('owner@example.com', 'pw'));
    expect(error.reason).toContain('redirected to platform.example.test');
  });

  it('404: points at base-url (and a missing on-premises path prefix)', async () => {
    nock(BASE).post('/api/identity/v1/userCredentials/login').reply(404, { message: 'Resource not found.' }, JSON_TYPE);
    const error = await caught(makeClient().client.identity.login('owner@example.com', 'pw'));
    expectWellFormed(error, 'Login', 404);
    expect(error.fix).toContain('base-url');
    expect(error.fix).toContain('path prefix');
  });
});

describe('step 2: create a client registration', () => {
  const created = { clientId: REGISTRATION_ID, name: 'n', credentials: CREDENTIALS };

  it('sends the documented request (?expand=credentials, bearer, exact body) and masks the secret', async () => {
    const scope = nock(BASE)
      .post('/api/identity/v1/clients')
      .query({ expand: 'credentials' })
      .reply(201, created, JSON_TYPE);
    const seen = record(scope);
    const { client, mask } = makeClient();
    const registration = await client.identity.createRegistration(
      loginCredential('login-token-1'),
      'Entra ID',
      'Entra ID SCIM',
    );
    expect(registration).toEqual({ registrationId: REGISTRATION_ID, credentials: CREDENTIALS });
    const [request] = seen;
    expect(request?.path).toBe('/api/identity/v1/clients?expand=credentials');
    expect(request?.headers['authorization']).toBe('Bearer login-token-1');
    expect(request?.headers['content-type']).toBe('application/json');
    const body = JSON.parse(request?.body ?? '') as Record<string, unknown>;
    expect(body).toEqual({
      name: 'Entra ID',
      description: 'Entra ID SCIM',
      enabled: true,
      clientType: 'machineToMachine',
      jwtSigningAlgorithm: 'rs256',
      refreshTokenRotation: false,
      grantTypeClientCredentials: true,
    });
    expect(mask).toHaveBeenCalledWith(CREDENTIALS.clientSecret);
  });

  it('403: the account needs the Owner role', async () => {
    nock(BASE)
      .post('/api/identity/v1/clients')
      .query(true)
      .reply(403, { message: 'Forbidden: this operation requires the Owner role.' }, JSON_TYPE);
    const error = await caught(makeClient().client.identity.createRegistration(loginCredential('t'), 'n', 'd'));
    expectWellFormed(error, 'Create registration', 403);
    expect(error.reason).toContain('requires the Owner role');
    expect(error.fix).toContain('Owner role');
  });

  it('401: the login token was rejected', async () => {
    nock(BASE).post('/api/identity/v1/clients').query(true).reply(401, { message: 'Unauthorized.' }, JSON_TYPE);
    const error = await caught(makeClient().client.identity.createRegistration(loginCredential('t'), 'n', 'd'));
    expectWellFormed(error, 'Create registration', 401);
    expect(error.fix).toContain('login token');
  });

  it('credentials null or missing: an error naming the registration id and the status received (not the documented 201)', async () => {
    for (const [status, body] of [
      [201, { ...created, credentials: null }],
      [200, { ...created, credentials: null }],
      [201, { clientId: REGISTRATION_ID }],
    ] as const) {
      nock(BASE).post('/api/identity/v1/clients').query(true).reply(status, body, JSON_TYPE);
      const error = await caught(makeClient().client.identity.createRegistration(loginCredential('t'), 'n', 'd'));
      expectWellFormed(error, 'Create registration', status);
      expect(error.reason).toContain(
        `registration ${REGISTRATION_ID} was created but the response has credentials: null`,
      );
      expect(error.fix).toContain('proxy strips the query string');
      expect(error).toBeInstanceOf(UnusableRegistrationError);
      expect((error as UnusableRegistrationError).registrationId).toBe(REGISTRATION_ID);
    }
  });

  it('incomplete credentials: error names the registration id; whatever is usable (client_id, secret) is carried and the secret masked', async () => {
    const cases = [
      { credentials: { clientId: 'm2m-1' }, clientId: 'm2m-1', clientSecret: undefined },
      { credentials: { clientSecret: 'only-secret' }, clientId: undefined, clientSecret: 'only-secret' },
      {
        credentials: { clientId: 'm2m\n::stop-commands::x', clientSecret: 'secret-with-bad-id' },
        clientId: undefined,
        clientSecret: 'secret-with-bad-id',
      },
      { credentials: { clientId: 'm2m-1', clientSecret: '' }, clientId: 'm2m-1', clientSecret: undefined },
      { credentials: 'x', clientId: undefined, clientSecret: undefined },
    ];
    for (const { credentials, clientId, clientSecret } of cases) {
      nock(BASE)
        .post('/api/identity/v1/clients')
        .query(true)
        .reply(201, { ...created, credentials }, JSON_TYPE);
      const { client, mask } = makeClient();
      const error = await caught(client.identity.createRegistration(loginCredential('t'), 'n', 'd'));
      expectWellFormed(error, 'Create registration', 201);
      expect(error.reason).toContain(REGISTRATION_ID);
      expect(error.fix).toContain(REGISTRATION_ID);
      expect(error).toBeInstanceOf(UnusableRegistrationError);
      const kept = error as UnusableRegistrationError;
      expect([kept.registrationId, kept.clientId, kept.clientSecret]).toEqual([
        REGISTRATION_ID,
        clientId,
        clientSecret,
      ]);
      if (clientSecret !== undefined) {
        expect(mask).toHaveBeenCalledWith(clientSecret);
        expect(error.reason).toContain('client-secret (masked)');
        expect(error.reason).toContain('in the step outputs');
      }
    }
  });

  it('a registration id that is not a UUID but safe to use is used as given, with a warning', async () => {
    for (const id of ['reg_42', `{${REGISTRATION_ID}}`, REGISTRATION_ID.replace(/-/gu, '')]) {
      nock(BASE)
        .post('/api/identity/v1/clients')
        .query(true)
        .reply(201, { clientId: id, credentials: CREDENTIALS }, JSON_TYPE);
      const { client, log } = makeClient();
      expect(await client.identity.createRegistration(loginCredential('t'), 'My reg', 'd')).toEqual({
        registrationId: id,
        credentials: CREDENTIALS,
      });
      expect(log.warning).toHaveBeenCalledTimes(1);
      expect(log.warning.mock.calls[0]?.[0]).toBe(
        `Create registration (HTTP 201): the registration id "${id}" is not a UUID as documented; it is used as given`,
      );
    }
  });

  it('no usable registration id but usable credentials: they are carried (secret masked) and the error says step 3 cannot be done', async () => {
    for (const id of [undefined, 12345, '', 'a b', 'x\n::stop-commands::y', 'i'.repeat(129)]) {
      nock(BASE)
        .post('/api/identity/v1/clients')
        .query(true)
        .reply(201, { clientId: id, credentials: CREDENTIALS }, JSON_TYPE);
      const { client, mask } = makeClient();
      const error = await caught(client.identity.createRegistration(loginCredential('t'), 'My reg', 'd'));
      expectWellFormed(error, 'Create registration', 201);
      expect(error).toBeInstanceOf(UnusableRegistrationError);
      const kept = error as UnusableRegistrationError;
      expect([kept.registrationId, kept.clientId, kept.clientSecret]).toEqual([
        undefined,
        CREDENTIALS.clientId,
        CREDENTIALS.clientSecret,
      ]);
      expect(mask).toHaveBeenCalledWith(CREDENTIALS.clientSecret);
      expect(error.reason).toContain('no valid clientId (the registration UUID)');
      expect(error.reason).toContain('the registration named "My reg" was created but cannot be authorized (step 3)');
      expect(error.reason).toContain('its client-id and client-secret (masked) are in the step outputs');
      expect(error.fix).toContain('find the registration named "My reg" in the platform and authorize it by hand');
      expect(error.message).not.toContain('stop-commands');
    }
  });

  it('no usable registration id and no usable credentials: a registration may exist under client-name', async () => {
    nock(BASE)
      .post('/api/identity/v1/clients')
      .query(true)
      .reply(201, { clientId: 12345, credentials: null }, JSON_TYPE);
    const error = await caught(makeClient().client.identity.createRegistration(loginCredential('t'), 'My reg', 'd'));
    expectWellFormed(error, 'Create registration', 201);
    expect(error).not.toBeInstanceOf(UnusableRegistrationError);
    expect(error.reason).toContain('"My reg" may have been created');
    expect(error.fix).toContain('look for the registration named "My reg"');
  });

  it('502 HTML from a proxy: not sent again (not idempotent), content type reported, registration may exist', async () => {
    const scope = nock(BASE).post('/api/identity/v1/clients').query(true).times(3).reply(502, HTML, HTML_TYPE);
    const seen = record(scope);
    const error = await caught(
      makeClient({ maxAttempts: 3 }).client.identity.createRegistration(loginCredential('t'), 'My reg', 'd'),
    );
    expectWellFormed(error, 'Create registration', 502);
    expect(seen).toHaveLength(1);
    expect(error.reason).toContain('text/html');
    expect(error.why).toContain('may have created a registration named "My reg"');
  });
});

describe('step 3: authorize the registration for the platform API', () => {
  it('sends the documented request: the platform API id in the path, [{clientId: <registration UUID>}]', async () => {
    const scope = nock(BASE)
      .post(`/api/identity/v1/apis/${PLATFORM_API_ID}/clients`)
      .reply(201, [{ clientId: REGISTRATION_ID }], JSON_TYPE);
    const seen = record(scope);
    await makeClient().client.identity.authorize(loginCredential('login-token-1'), REGISTRATION_ID);
    const [request] = seen;
    expect(PLATFORM_API_ID).toBe('00000000-0000-0000-0000-000000000001');
    expect(request?.headers['authorization']).toBe('Bearer login-token-1');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toBe(JSON.stringify([{ clientId: REGISTRATION_ID }]));
  });

  it('a 2xx that does not list the registration is not an authorization (e.g. a proxy answered)', async () => {
    for (const [status, body, type] of [
      [204, '', JSON_TYPE],
      [201, '[]', JSON_TYPE],
      [200, '<html>ok</html>', HTML_TYPE],
    ] as const) {
      nock(BASE).post(`/api/identity/v1/apis/${PLATFORM_API_ID}/clients`).reply(status, body, type);
      const error = await caught(makeClient().client.identity.authorize(loginCredential('t'), REGISTRATION_ID));
      expectWellFormed(error, 'Authorize', status);
    }
  });

  it('403: the account needs the Owner role', async () => {
    nock(BASE)
      .post(`/api/identity/v1/apis/${PLATFORM_API_ID}/clients`)
      .reply(403, { message: 'Forbidden: this operation requires the Owner role.' }, JSON_TYPE);
    const error = await caught(makeClient().client.identity.authorize(loginCredential('t'), REGISTRATION_ID));
    expectWellFormed(error, 'Authorize', 403);
    expect(error.fix).toContain('Owner role');
  });

  it('404 for an unknown registration', async () => {
    nock(BASE)
      .post(`/api/identity/v1/apis/${PLATFORM_API_ID}/clients`)
      .reply(404, { message: `Client ${REGISTRATION_ID} not found.` }, JSON_TYPE);
    const error = await caught(makeClient().client.identity.authorize(loginCredential('t'), REGISTRATION_ID));
    expectWellFormed(error, 'Authorize', 404);
    expect(error.reason).toContain(`Client ${REGISTRATION_ID} not found.`);
    expect(error.fix).toContain('registration was not found');
  });

  it('403 as an HTML page from a WAF: reported as such', async () => {
    nock(BASE)
      .post(`/api/identity/v1/apis/${PLATFORM_API_ID}/clients`)
      .reply(403, '<html>Access denied by policy</html>', HTML_TYPE);
    const error = await caught(makeClient().client.identity.authorize(loginCredential('t'), REGISTRATION_ID));
    expectWellFormed(error, 'Authorize', 403);
    expect(error.reason).toContain('text/html');
    expect(error.message).not.toContain('Access denied by policy');
  });
});

describe("steps 2–3 with an Owner's API key (X-Auth)", () => {
  const KEY = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvd25lciJ9.c2lnbmF0dXJl';
  const created = { clientId: REGISTRATION_ID, name: 'n', credentials: CREDENTIALS };
  /** Step 2 and step 3 with the key: [name, call, path, error title]. */
  const KEY_CALLS = [
    [
      'create registration',
      (c: PlatformClients) => c.identity.createRegistration(apiKeyCredential(KEY), 'n', 'd'),
      '/api/identity/v1/clients',
      'Create registration',
    ],
    [
      'authorize',
      (c: PlatformClients) => c.identity.authorize(apiKeyCredential(KEY), REGISTRATION_ID),
      `/api/identity/v1/apis/${PLATFORM_API_ID}/clients`,
      'Authorize',
    ],
  ] as const;

  it('create and authorize send X-Auth: <key> and no Authorization header', async () => {
    const scope = nock(BASE)
      .post('/api/identity/v1/clients')
      .query({ expand: 'credentials' })
      .reply(201, created, JSON_TYPE)
      .post(`/api/identity/v1/apis/${PLATFORM_API_ID}/clients`)
      .reply(201, [{ clientId: REGISTRATION_ID }], JSON_TYPE);
    const seen = record(scope);
    const { client } = makeClient();
    await client.identity.createRegistration(apiKeyCredential(KEY), 'n', 'd');
    await client.identity.authorize(apiKeyCredential(KEY), REGISTRATION_ID);
    expect(scope.isDone()).toBe(true);
    for (const request of seen) {
      expect(request.headers['x-auth']).toBe(KEY);
      expect(request.headers['authorization']).toBeUndefined();
    }
  });

  it('a login token sends no X-Auth header', async () => {
    const seen = record(nock(BASE).post('/api/identity/v1/clients').query(true).reply(201, created, JSON_TYPE));
    await makeClient().client.identity.createRegistration(loginCredential('login-token-1'), 'n', 'd');
    expect(seen[0]?.headers['x-auth']).toBeUndefined();
  });

  it.each(KEY_CALLS)(
    '%s 401: the key was rejected (regenerated, deleted, not accepted here); email and password are the fallback',
    async (_, call, path, title) => {
      nock(BASE).post(path).query(true).reply(401, { message: 'Unauthorized.' }, JSON_TYPE);
      const error = await caught(call(makeClient().client));
      expectWellFormed(error, title, 401);
      expect(error.fix).toContain('API key in input api-key was rejected');
      expect(error.fix).toMatch(/regenerated or deleted/u);
      expect(error.fix).toContain('does not accept API keys on the identity API');
      expect(error.fix).toContain('email and password');
      expect(error.fix).toContain('platform.example.test');
      expect(error.fix).not.toContain('login token');
    },
  );

  it.each(KEY_CALLS)("%s 403: the key's user needs the Owner role", async (_, call, path, title) => {
    nock(BASE)
      .post(path)
      .query(true)
      .reply(403, { message: 'Forbidden: this operation requires the Owner role.' }, JSON_TYPE);
    const error = await caught(call(makeClient().client));
    expectWellFormed(error, title, 403);
    expect(error.fix).toContain('the user whose API key is in input api-key needs the Owner role');
    expect(error.fix).not.toContain('email');
  });
});

describe('step 4: client-credentials grant', () => {
  const tokenBody = { access_token: 'bearer-1', token_type: 'Bearer', expires_in: 3600, scope: '' };

  it('sends the documented request: audience = <base-url>/api, form-encoded body, no Authorization', async () => {
    const scope = nock(BASE)
      .post('/oauth/token')
      .query({ audience: `${BASE}/api` })
      .reply(200, tokenBody, JSON_TYPE);
    const seen = record(scope);
    const { client, mask } = makeClient();
    const answer = await client.oauth.requestToken(CREDENTIALS.clientId, CREDENTIALS.clientSecret);
    const [request] = seen;
    expect(request?.path).toBe(`/oauth/token?audience=${BASE}/api`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers['authorization']).toBeUndefined();
    expect(request?.body).toBe(
      `grant_type=client_credentials&client_id=${CREDENTIALS.clientId}&client_secret=S3cr3t%2B%2F%3D%26%25+%C3%A9`,
    );
    expect(Object.fromEntries(new URLSearchParams(request?.body ?? ''))).toEqual({
      grant_type: 'client_credentials',
      client_id: CREDENTIALS.clientId,
      client_secret: CREDENTIALS.clientSecret,
    });
    expect(answer).toEqual({
      accessToken: 'bearer-1',
      tokenType: 'Bearer',
      expiresIn: 3600,
      expiresAt: '2030-01-02T04:04:05.000Z',
    });
    expect(mask).toHaveBeenCalledWith('bearer-1');
  });

  it('expires_in as a numeric string, or absent', async () => {
    nock(BASE)
      .post('/oauth/token')
      .query(true)
      .reply(200, { ...tokenBody, expires_in: '120' }, JSON_TYPE);
    expect(await makeClient().client.oauth.requestToken('a', 'b')).toMatchObject({
      expiresIn: 120,
      expiresAt: '2030-01-02T03:06:05.000Z',
    });
    nock(BASE).post('/oauth/token').query(true).reply(200, { access_token: 'tok-x' }, JSON_TYPE);
    expect(await makeClient().client.oauth.requestToken('a', 'b')).toEqual({
      accessToken: 'tok-x',
      tokenType: '',
      expiresIn: undefined,
      expiresAt: undefined,
    });
  });

  it('401 invalid_client: check client-id and client-secret', async () => {
    nock(BASE)
      .post('/oauth/token')
      .query(true)
      .reply(401, { error: 'invalid_client', error_description: 'Client authentication failed.' }, JSON_TYPE);
    const error = await caught(makeClient().client.oauth.requestToken('a', 'b'));
    expectWellFormed(error, 'Token', 401);
    expect(error.code).toBe('invalid_client');
    expect(error.reason).toContain('invalid_client: Client authentication failed.');
    expect(error.fix).toContain('client-id');
    expect(error.fix).toContain('client-secret');
    expect(error.fix).toContain('not the registration UUID');
  });

  it('403 access_denied: the registration was never authorized (step 3)', async () => {
    nock(BASE)
      .post('/oauth/token')
      .query(true)
      .reply(
        403,
        { error: 'access_denied', error_description: 'Client is not authorized to access this API.' },
        JSON_TYPE,
      );
    const error = await caught(makeClient().client.oauth.requestToken('a', 'b'));
    expectWellFormed(error, 'Token', 403);
    expect(error.code).toBe('access_denied');
    expect(error.reason).toContain('access_denied: Client is not authorized to access this API.');
    expect(error.fix).toContain('never authorized');
    expect(error.fix).toContain('step 3');
  });

  it('400 invalid_request (wrong audience): check base-url or region', async () => {
    nock(BASE)
      .post('/oauth/token')
      .query(true)
      .reply(400, { error: 'invalid_request', error_description: 'Service not found.' }, JSON_TYPE);
    const error = await caught(makeClient().client.oauth.requestToken('a', 'b'));
    expectWellFormed(error, 'Token', 400);
    expect(error.fix).toContain('audience');
  });

  it('audience option: sent (encoded as the guide writes it) instead of <base-url>/api, and in tokenUrl', async () => {
    const audience = 'https://api.platform.example.test/invicti api';
    const scope = nock(BASE).post('/oauth/token').query({ audience }).reply(200, tokenBody, JSON_TYPE);
    const seen = record(scope);
    const { client } = makeClient({ audience });
    expect(client.oauth.audience).toBe(audience);
    expect(client.oauth.tokenUrl).toBe(`${BASE}/oauth/token?audience=https://api.platform.example.test/invicti%20api`);
    await client.oauth.requestToken('a', 'b');
    expect(seen[0]?.path).toBe('/oauth/token?audience=https://api.platform.example.test/invicti%20api');
  });

  it('400 with an audience option: the fix names the audience input instead of base-url', async () => {
    nock(BASE)
      .post('/oauth/token')
      .query(true)
      .reply(400, { error: 'invalid_request', error_description: 'Service not found.' }, JSON_TYPE);
    const error = await caught(
      makeClient({ audience: 'https://api.example.test/api' }).client.oauth.requestToken('a', 'b'),
    );
    expectWellFormed(error, 'Token', 400);
    expect(error.reason).toContain('invalid_request: Service not found.');
    expect(error.fix).toMatch(/^check the audience input \(https:\/\/api\.example\.test\/api\)/u);
    // Other statuses keep their own fix.
    nock(BASE).post('/oauth/token').query(true).reply(401, { error: 'invalid_client' }, JSON_TYPE);
    const other = await caught(
      makeClient({ audience: 'https://api.example.test/api' }).client.oauth.requestToken('a', 'b'),
    );
    expect(other.fix).toContain('client-secret');
  });

  it('200 without access_token', async () => {
    nock(BASE).post('/oauth/token').query(true).reply(200, { token_type: 'Bearer' }, JSON_TYPE);
    const error = await caught(makeClient().client.oauth.requestToken('a', 'b'));
    expectWellFormed(error, 'Token', 200);
    expect(error.reason).toContain('access_token');
  });

  it('3xx: error naming the Location host; the client secret is never sent there', async () => {
    nock(BASE)
      .post('/oauth/token')
      .query(true)
      .reply(302, '', { location: 'http://auth.elsewhere.test:8080/oauth/token' });
    const trap = nock('http://auth.elsewhere.test:8080').post('/oauth/token').reply(200, tokenBody, JSON_TYPE);
    const error = await caught(makeClient().client.oauth.requestToken('a', 'b'));
    expectWellFormed(error, 'Token', 302);
    expect(error.reason).toContain('auth.elsewhere.test:8080');
    expect(trap.isDone()).toBe(false);
  });

  it('502 text/html from a proxy: content type reported, not a parse error', async () => {
    nock(BASE).post('/oauth/token').query(true).reply(502, HTML, HTML_TYPE);
    const error = await caught(makeClient().client.oauth.requestToken('a', 'b'));
    expectWellFormed(error, 'Token', 502);
    expect(error.reason).toContain('text/html');
    expect(error.message).not.toContain('Bad Gateway</h1>');
  });

  it('debug lines give method, path and status only (no query, body or header)', async () => {
    nock(BASE).post('/oauth/token').query(true).reply(200, tokenBody, JSON_TYPE);
    const { client, log } = makeClient();
    await client.oauth.requestToken(CREDENTIALS.clientId, CREDENTIALS.clientSecret);
    const lines = log.debug.mock.calls.map(([line]) => line);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^POST \/oauth\/token → HTTP 200 in \d+ ms$/u);
  });
});

describe('SCIM ServiceProviderConfig read', () => {
  const spc = {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false },
    filter: { supported: true, maxResults: 200 },
    sort: { supported: true },
    etag: { supported: false },
    changePassword: { supported: false },
  };

  it('GET with the bearer token; returns the features', async () => {
    const scope = nock(BASE)
      .get('/api/scim/v2/ServiceProviderConfig')
      .reply(200, spc, { 'content-type': 'application/scim+json' });
    const seen = record(scope);
    const features = await makeClient().client.scim.readServiceProviderConfig('bearer-1');
    expect(seen[0]?.headers['authorization']).toBe('Bearer bearer-1');
    expect(seen[0]?.method).toBe('GET');
    expect(features).toEqual({
      patch: true,
      bulk: false,
      filter: true,
      sort: true,
      etag: false,
      changePassword: false,
    });
  });

  it('a JSON body that is not a ServiceProviderConfig', async () => {
    nock(BASE).get('/api/scim/v2/ServiceProviderConfig').reply(200, { hello: 'world' }, JSON_TYPE);
    const error = await caught(makeClient().client.scim.readServiceProviderConfig('b'));
    expectWellFormed(error, 'SCIM check', 200);
    expect(error.reason).toContain(SERVICE_PROVIDER_CONFIG_SCHEMA);
  });

  it('401 with a SCIM error: its detail and a fix', async () => {
    nock(BASE)
      .get('/api/scim/v2/ServiceProviderConfig')
      .reply(
        401,
        { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', detail: 'Authentication failed.' },
        { 'content-type': 'application/scim+json' },
      );
    const error = await caught(makeClient().client.scim.readServiceProviderConfig('b'));
    expectWellFormed(error, 'SCIM check', 401);
    expect(error.reason).toContain('Authentication failed.');
    expect(error.fix).toContain('authorized');
  });
});

describe('SCIM list reads (/Users, /Groups)', () => {
  const SCIM_TYPE = { 'content-type': 'application/scim+json' };
  const empty = { schemas: [LIST_RESPONSE_SCHEMA], totalResults: 0, itemsPerPage: 0, startIndex: 1, Resources: [] };

  it('the filter is an RFC 7644 §3.4.2.2 equality with a JSON string, percent-encoded with %20 (never +)', async () => {
    expect(equalityFilter('userName', 'a "quoted" \\ name')).toBe('userName eq "a \\"quoted\\" \\\\ name"');
    const scope = nock(BASE)
      .get(/^\/api\/scim\/v2\/Users\?/u)
      .reply(200, empty, SCIM_TYPE);
    const seen = record(scope);
    const list = await makeClient().client.scim.findUsersByUserName('bearer-1', 'scim-check-1+2 x');
    expect(list).toEqual({ totalResults: 0, returned: 0 });
    expect(seen[0]?.method).toBe('GET');
    expect(seen[0]?.headers['authorization']).toBe('Bearer bearer-1');
    expect(seen[0]?.path).toBe('/api/scim/v2/Users?filter=userName%20eq%20%22scim-check-1%2B2%20x%22');
  });

  it('Groups: count=1 and excludedAttributes=members; the counts of the page', async () => {
    const scope = nock(BASE)
      .get('/api/scim/v2/Groups')
      .query({ count: '1', excludedAttributes: 'members' })
      .reply(200, { ...empty, totalResults: 7, itemsPerPage: 1, Resources: [{ id: 'g1' }] }, SCIM_TYPE);
    const seen = record(scope);
    expect(await makeClient().client.scim.listGroups('b')).toEqual({ totalResults: 7, returned: 1 });
    expect(seen[0]?.path).toBe('/api/scim/v2/Groups?count=1&excludedAttributes=members');
  });

  it.each([
    ['no ListResponse schema', { totalResults: 0 }, 'did not answer a SCIM ListResponse'],
    ['totalResults missing', { schemas: [LIST_RESPONSE_SCHEMA] }, 'without a valid totalResults'],
    ['totalResults a string', { schemas: [LIST_RESPONSE_SCHEMA], totalResults: '0' }, 'without a valid totalResults'],
    [
      'Resources not a list',
      { schemas: [LIST_RESPONSE_SCHEMA], totalResults: 1, Resources: {} },
      'whose Resources is not a list',
    ],
  ])('200 with %s: not what the directory can read', async (_, body, says) => {
    nock(BASE)
      .get(/^\/api\/scim\/v2\/Users\?/u)
      .reply(200, body, SCIM_TYPE);
    const error = await caught(makeClient().client.scim.findUsersByUserName('b', 'n'));
    expectWellFormed(error, 'SCIM check', 200);
    expect(error.reason).toContain(says);
  });

  it.each([401, 403])(
    "%i on /Users: the token is not accepted for SCIM, and Entra ID's Test connection will fail",
    async (status) => {
      nock(BASE)
        .get(/^\/api\/scim\/v2\/Users\?/u)
        .reply(status, { detail: 'Nope.' }, SCIM_TYPE);
      const error = await caught(makeClient().client.scim.findUsersByUserName('b', 'n'));
      expectWellFormed(error, 'SCIM check', status);
      expect(error.reason).toMatch(
        /^GET \/Users\?filter=userName eq "n" was refused after ServiceProviderConfig was read, so Microsoft Entra ID's "Test connection" \(this same query\) will fail: the bearer token is not accepted for SCIM/u,
      );
      expect(error.why).toContain('the platform answered "Nope."');
      expect(error.fix).toContain('authorized for the platform API');
    },
  );

  it('404 on /Groups: SCIM may not be enabled for the account', async () => {
    nock(BASE).get('/api/scim/v2/Groups').query(true).reply(404, { message: 'Not found.' }, JSON_TYPE);
    const error = await caught(makeClient().client.scim.listGroups('b'));
    expectWellFormed(error, 'SCIM check', 404);
    expect(error.reason).toContain(
      `GET /Groups?count=1&excludedAttributes=members was not found at ${BASE}/api/scim/v2, although the token endpoint at the same base URL had just issued the bearer token: SCIM may not be enabled for this account, so the directory cannot read or provision groups (the platform's teams)`,
    );
    expect(error.fix).toContain('enable SCIM provisioning');
  });

  it('other failures keep their own words and say which read failed', async () => {
    nock(BASE).get('/api/scim/v2/Groups').query(true).reply(500, { detail: 'Boom.' }, SCIM_TYPE);
    const error = await caught(makeClient().client.scim.listGroups('b'));
    expectWellFormed(error, 'SCIM check', 500);
    expect(error.why).toBe('the platform answered "Boom." (GET /Groups?count=1&excludedAttributes=members)');
    expect(error.fix).toContain('server error');
  });
});

describe('URLs', () => {
  it('scim-url and token-url from the base URL', () => {
    const { client } = makeClient();
    expect(client.scim.scimUrl).toBe(`${BASE}/api/scim/v2`);
    expect(client.oauth.tokenUrl).toBe(`${BASE}/oauth/token?audience=${BASE}/api`);
  });

  it('a path prefix is kept in every request and in the audience', async () => {
    const prefixed = 'https://onprem.example.test:8443/invicti';
    const scope = nock('https://onprem.example.test:8443')
      .post('/invicti/api/identity/v1/userCredentials/login')
      .reply(200, { accessToken: 'tok-t' }, JSON_TYPE)
      .post('/invicti/oauth/token')
      .query({ audience: `${prefixed}/api` })
      .reply(200, { access_token: 'tok-x' }, JSON_TYPE);
    const seen = record(scope);
    const { client } = makeClient({ baseUrl: prefixed });
    await client.identity.login('a@b.c', 'p');
    await client.oauth.requestToken('a', 'b');
    expect(seen.map((r) => r.path)).toEqual([
      '/invicti/api/identity/v1/userCredentials/login',
      `/invicti/oauth/token?audience=${prefixed}/api`,
    ]);
    expect(client.oauth.tokenUrl).toBe(`${prefixed}/oauth/token?audience=${prefixed}/api`);
  });
});

describe('odd but valid 2xx answers are read', () => {
  const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
  const withBom = (value: unknown): Buffer => Buffer.concat([BOM, Buffer.from(JSON.stringify(value))]);
  const TEXT_TYPE = { 'content-type': 'text/plain; charset=utf-8' };

  it('a UTF-8 byte-order mark before the JSON body, at every step', async () => {
    nock(BASE)
      .post('/api/identity/v1/userCredentials/login')
      .reply(200, withBom({ accessToken: 'login-token-1' }), JSON_TYPE)
      .post('/api/identity/v1/clients')
      .query(true)
      .reply(201, withBom({ clientId: REGISTRATION_ID, credentials: CREDENTIALS }), JSON_TYPE)
      .post(`/api/identity/v1/apis/${PLATFORM_API_ID}/clients`)
      .reply(201, withBom([{ clientId: REGISTRATION_ID }]), JSON_TYPE)
      .post('/oauth/token')
      .query(true)
      .reply(200, withBom({ access_token: 'bearer-1', token_type: 'Bearer', expires_in: 60 }), JSON_TYPE)
      .get('/api/scim/v2/ServiceProviderConfig')
      .reply(200, withBom({ schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA], patch: { supported: true } }), {
        'content-type': 'application/scim+json',
      });
    const { client, log } = makeClient();
    expect(await client.identity.login('owner@example.com', 'pw')).toEqual(loginCredential('login-token-1'));
    expect(await client.identity.createRegistration(loginCredential('login-token-1'), 'n', 'd')).toEqual({
      registrationId: REGISTRATION_ID,
      credentials: CREDENTIALS,
    });
    await client.identity.authorize(loginCredential('login-token-1'), REGISTRATION_ID);
    expect((await client.oauth.requestToken('id', 'secret')).accessToken).toBe('bearer-1');
    expect((await client.scim.readServiceProviderConfig('bearer-1')).patch).toBe(true);
    expect(log.warning).not.toHaveBeenCalled();
  });

  it('JSON labelled text/plain (or octet-stream) is read at every step, with one warning each, logged after the secret is masked', async () => {
    nock(BASE)
      .post('/api/identity/v1/userCredentials/login')
      .reply(200, { accessToken: 'login-token-1' }, TEXT_TYPE)
      .post('/api/identity/v1/clients')
      .query(true)
      .reply(201, withBom({ clientId: REGISTRATION_ID, credentials: CREDENTIALS }), TEXT_TYPE)
      .post(`/api/identity/v1/apis/${PLATFORM_API_ID}/clients`)
      .reply(201, [{ clientId: REGISTRATION_ID }], { 'content-type': 'application/octet-stream' })
      .post('/oauth/token')
      .query(true)
      .reply(200, { access_token: 'bearer-1', token_type: 'Bearer', expires_in: 60 }, TEXT_TYPE)
      .get('/api/scim/v2/ServiceProviderConfig')
      .reply(200, { schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA] }, TEXT_TYPE);
    const { client, log, mask } = makeClient();
    expect(await client.identity.login('owner@example.com', 'pw')).toEqual(loginCredential('login-token-1'));
    expect(await client.identity.createRegistration(loginCredential('login-token-1'), 'n', 'd')).toEqual({
      registrationId: REGISTRATION_ID,
      credentials: CREDENTIALS,
    });
    await client.identity.authorize(loginCredential('login-token-1'), REGISTRATION_ID);
    expect((await client.oauth.requestToken('id', 'secret')).accessToken).toBe('bearer-1');
    await client.scim.readServiceProviderConfig('bearer-1');
    expect(log.warning.mock.calls.map(([message]) => message)).toEqual([
      'Login (HTTP 200): the response is labelled text/plain but holds JSON; it was read as JSON',
      'Create registration (HTTP 201): the response is labelled text/plain but holds JSON; it was read as JSON',
      'Authorize (HTTP 201): the response is labelled application/octet-stream but holds JSON; it was read as JSON',
      'Token (HTTP 200): the response is labelled text/plain but holds JSON; it was read as JSON',
      'SCIM check (HTTP 200): the response is labelled text/plain but holds JSON; it was read as JSON',
    ]);
    // Each secret is registered before the warning about its answer is written.
    const masked = (secret: string): number =>
      mask.mock.invocationCallOrder[mask.mock.calls.findIndex(([s]) => s === secret)] ?? Infinity;
    const warned = (index: number): number => log.warning.mock.invocationCallOrder[index] ?? -1;
    expect(masked('login-token-1')).toBeLessThan(warned(0));
    expect(masked(CREDENTIALS.clientSecret)).toBeLessThan(warned(1));
    expect(masked('bearer-1')).toBeLessThan(warned(3));
  });

  it('the legacy label text/json is JSON: read without a warning', async () => {
    nock(BASE)
      .post('/api/identity/v1/userCredentials/login')
      .reply(200, { accessToken: 'login-token-1' }, { 'content-type': 'text/json; charset=utf-8' });
    const { client, log } = makeClient();
    expect(await client.identity.login('owner@example.com', 'pw')).toEqual(loginCredential('login-token-1'));
    expect(log.warning).not.toHaveBeenCalled();
  });

  it('text that is not JSON still fails, whatever its label: a login page, plain text, cut JSON, a bare JSON string', async () => {
    for (const [body, type] of [
      ['<!DOCTYPE html><html><body><form>Sign in</form></body></html>', 'text/html'],
      ['Sign in at https://sso.example.test', 'text/plain'],
      ['{"accessToken": "cut', 'text/plain'],
      ['"login-token-1"', 'text/plain'],
    ] as const) {
      nock(BASE).post('/api/identity/v1/userCredentials/login').reply(200, body, { 'content-type': type });
      const { client, log } = makeClient();
      const error = await caught(client.identity.login('owner@example.com', 'pw'));
      expectWellFormed(error, 'Login', 200);
      expect(error.reason).toContain(`the response is ${type}`);
      expect(error.reason).toContain('not JSON');
      expect(log.warning).not.toHaveBeenCalled();
    }
  });
});
