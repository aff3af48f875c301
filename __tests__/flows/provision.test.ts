/**
 * The provision flow (src/flows/provision.ts) over the platform clients and
 * the real transport, with nock answering: the documented sequence of steps,
 * what is kept and named when a later step fails, and where it stops.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ActionError } from '../../src/errors.ts';
import { createHttpTransport, type Transport } from '../../src/net/http.ts';
import type { Inputs } from '../../src/runner/inputs.ts';
import { PLATFORM_API_ID } from '../../src/client/identity.ts';
import { createPlatformClients, type ClientOptions, type PlatformClients } from '../../src/client/index.ts';
import { provision } from '../../src/flows/provision.ts';
import type { Report } from '../../src/runner/report.ts';

const BASE = 'https://platform.example.test';
const NOW = new Date('2030-01-02T03:04:05.000Z');
const REGISTRATION_ID = '3f2b7c1e-9a4d-4e8f-b6a5-0c1d2e3f4a5b';
const CREDENTIALS = { clientId: 'm2m-6f1e2d3c4b5a6978', clientSecret: 'S3cr3t+/=&% é' };
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

beforeAll(() => {
  nock.disableNetConnect();
});
afterAll(() => {
  nock.enableNetConnect();
});

const transports: Transport[] = [];
afterEach(() => {
  for (const transport of transports.splice(0)) transport.dispose();
  nock.cleanAll();
});

interface Made {
  client: PlatformClients;
  mask: ReturnType<typeof vi.fn<(secret: string) => string>>;
  log: {
    info: ReturnType<typeof vi.fn<(m: string) => void>>;
    debug: ReturnType<typeof vi.fn<(m: string) => void>>;
    warning: ReturnType<typeof vi.fn<(m: string) => void>>;
  };
}

function makeClient(overrides: Partial<ClientOptions> = {}): Made {
  const mask = vi.fn((secret: string) => secret);
  const log = {
    info: vi.fn((message: string) => void message),
    debug: vi.fn((message: string) => void message),
    warning: vi.fn((message: string) => void message),
  };
  const transport = createHttpTransport('scim-action-test/1', 5000);
  transports.push(transport);
  const client = createPlatformClients({
    baseUrl: BASE,
    transport,
    timeoutMs: 5000,
    maxAttempts: 1,
    sleep: async () => undefined,
    random: () => 0,
    now: () => NOW,
    log,
    mask,
    ...overrides,
  });
  return { client, mask, log };
}

interface Seen {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Records each request the scope answers, with its raw path and body. */
function record(scope: nock.Scope): Seen[] {
  const seen: Seen[] = [];
  scope.on(
    'request',
    (req: { method: string; path: string; headers: Seen['headers'] }, _interceptor: unknown, body: string) => {
      seen.push({ method: req.method, path: req.path, headers: req.headers, body });
    },
  );
  return seen;
}

async function caught(promise: Promise<unknown>): Promise<ActionError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError);
    return error as ActionError;
  }
  throw new Error('expected an ActionError');
}

/** The shape every failure message has: step, status, reason, fix; one line; no stack trace. */
function expectWellFormed(error: ActionError, title: string, status: number | undefined): void {
  expect(
    error.message.startsWith(status === undefined ? `${title} failed: ` : `${title} failed (HTTP ${status}): `),
  ).toBe(true);
  expect(error.message).toMatch(/\. Fix: .+\.$/u);
  expect(error.message).not.toContain('\n');
  expect(error.message).not.toMatch(/\s+at\s.+:\d+/u);
  expect(error.message).not.toMatch(/SyntaxError|Unexpected token|JSON\.parse|is not valid JSON:/u);
  expect(error.status).toBe(status);
}

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
    expect(error.fix).toContain("with an Owner's API key in the X-Auth header");
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
