/**
 * End to end: the entry file under Node 24 as a runner runs it, against the
 * platform simulator on loopback.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { MEMBER, OWNER, PlatformSimulator, type User } from '../../harness/simulator.ts';
import { provisionInputs, withSimulator } from '../support/platform.ts';
import { expectNoSecretShown, printableForms } from '../support/secrets.ts';

/** A password and a client secret with characters every encoding changes. */
const ODD_PASSWORD = 'pä ss+&=%/"\\wörd ✓';
const ODD_SECRET = 'sé cret+&=%/"\\ü ✓';
/** An API key must be header-safe (it travels in X-Auth), yet every encoding may still change it. */
const ODD_KEY = 'eyJ odd+&=%/"\\key.x';
const ODD_USER: User = { email: 'odd@example.com', password: ODD_PASSWORD, role: 'Owner', apiKey: ODD_KEY };

/** Makes the next client secrets; undefined: the simulator's random ones. */
let secretFactory: (() => string) | undefined;
const sim = withSimulator({
  users: [OWNER, MEMBER, ODD_USER],
  secretFactory: () => secretFactory?.() ?? randomBytes(32).toString('base64url'),
});
beforeEach(() => {
  secretFactory = undefined;
});

describe('provision then token (happy paths)', () => {
  it('creates, authorizes and verifies a registration, and its credentials get a token', async () => {
    const provisioned = await runAction(provisionInputs(sim));
    expect(provisioned.exitCode).toBe(0);
    expect(sim.registrations.size).toBe(1);
    const [registration] = [...sim.registrations.values()];
    expect(provisioned.outputs['registration-id']).toBe(registration?.id);
    expect(provisioned.outputs['client-id']).toBe(registration?.clientId);
    expect(provisioned.outputs['client-secret']).toBe(registration?.clientSecret);
    expect(registration?.authorized).toBe(true);
    expect(sim.accessTokens.has(provisioned.outputs['access-token'] ?? '')).toBe(true);
    expect(provisioned.outputs['token-type']).toBe('Bearer');
    expect(provisioned.outputs['expires-in']).toBe('3600');
    expect(provisioned.outputs['scim-url']).toBe(`${sim.baseUrl}/api/scim/v2`);
    expect(provisioned.outputs['token-url']).toBe(`${sim.baseUrl}/oauth/token?audience=${sim.baseUrl}/api`);
    expectNoSecretShown(provisioned, [
      OWNER.password,
      registration?.clientSecret ?? '',
      provisioned.outputs['access-token'] ?? '',
    ]);
    // It says which way it authenticated: email and password, through step 1.
    expect(provisioned.log.text).toContain(
      'Authenticating as the Owner with email and password (inputs email and password, exchanged for a login token by step 1)',
    );
    expect(provisioned.log.lines).toContain('▸ Step 1: log in');
    expect(provisioned.summary).toContain('| Authenticated with | email and password');
    expect(sim.requestsTo('create')[0]?.headers['authorization']).toMatch(/^Bearer /u);
    expect(sim.requests.every((r) => r.headers['x-auth'] === undefined)).toBe(true);

    const token = await runAction({
      mode: 'token',
      'base-url': sim.baseUrl,
      'client-id': provisioned.outputs['client-id'] ?? '',
      'client-secret': provisioned.outputs['client-secret'] ?? '',
    });
    expect(token.exitCode).toBe(0);
    expect(sim.accessTokens.has(token.outputs['access-token'] ?? '')).toBe(true);
    expectNoSecretShown(token, [registration?.clientSecret ?? '', token.outputs['access-token'] ?? '']);
  });
});

/** No form of any secret in the shown log (debug lines included), stderr or summary; all forms masked. */
function expectMasked(run: ActionRun, secrets: string[]): void {
  for (const secret of secrets) {
    expect(secret).not.toBe('');
    for (const form of printableForms(secret)) expect(run.log.masks).toContain(form);
  }
  expectNoSecretShown(run, secrets);
}

/** A failed run: exit code 1, exactly one ::error::, no stack trace anywhere. Returns the error as shown. */
function expectFailed(run: ActionRun): string {
  expect(run.exitCode).toBe(1);
  expect(run.log.errors).toHaveLength(1);
  expect(run.stdout).not.toMatch(/^\s{4}at /mu);
  expect(run.stderr).not.toMatch(/^\s{4}at /mu);
  expect(run.stderr).toBe('');
  return run.log.errors[0] ?? '';
}

const provisionAs = (user: User, more: Record<string, string> = {}): Record<string, string> => ({
  mode: 'provision',
  'base-url': sim.baseUrl,
  email: user.email,
  password: user.password,
  ...more,
});

describe('provision failures', () => {
  it('wrong password: login 401 names email/password; nothing created', async () => {
    const run = await runAction(provisionAs({ ...OWNER, password: 'not the password' }));
    const error = expectFailed(run);
    expect(error).toMatch(/^Login failed \(HTTP 401\): /u);
    expect(error).toContain('Invalid email address or password.');
    expect(error).toContain('email and password');
    expect(sim.registrations.size).toBe(0);
    expect(run.outputs['registration-id']).toBeUndefined();
    expectMasked(run, ['not the password']);
  });

  it('non-Owner (Member) account: create 403 names the Owner role; nothing created', async () => {
    const run = await runAction(provisionAs(MEMBER));
    const error = expectFailed(run);
    expect(error).toMatch(/^Create registration failed \(HTTP 403\): /u);
    expect(error).toContain('Owner role');
    expect(sim.registrations.size).toBe(0);
    expect(sim.requestsTo('authorize')).toHaveLength(0);
  });

  it('credentials: null: the error names expand=credentials and the registration id; registration-id is still an output', async () => {
    sim.fault('create', { act: true, mutate: (body) => ({ ...body, credentials: null }) });
    const run = await runAction(provisionAs(OWNER));
    const error = expectFailed(run);
    const [registration] = [...sim.registrations.values()];
    expect(registration).toBeDefined();
    expect(error).toMatch(/^Create registration failed \(HTTP 201\): /u);
    expect(error).toContain('expand=credentials');
    expect(error).toContain(registration?.id);
    expect(run.outputs['registration-id']).toBe(registration?.id);
    expect(run.outputs['client-secret']).toBeUndefined();
    expect(run.summary).toContain(registration?.id);
  });

  it('failure after step 2 (authorize 403): registration-id, client-id and client-secret kept, registration named, secret masked', async () => {
    sim.fault('authorize', {
      status: 403,
      body: JSON.stringify({ message: 'Forbidden: this operation requires the Owner role.' }),
    });
    const run = await runAction(provisionAs(OWNER));
    const error = expectFailed(run);
    const [registration] = [...sim.registrations.values()];
    expect(error).toMatch(/^Authorize failed \(HTTP 403\): /u);
    expect(error).toContain(registration?.id);
    expect(run.outputs['registration-id']).toBe(registration?.id);
    expect(run.outputs['client-id']).toBe(registration?.clientId);
    expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
    expect(run.outputs['access-token']).toBeUndefined();
    expect(registration?.authorized).toBe(false);
    expectMasked(run, [OWNER.password, registration?.clientSecret ?? '']);
  });

  it('an HTML page (200 text/html) from a proxy at login: reported with its content type', async () => {
    sim.fault('login', {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><title>Proxy login</title>',
    });
    const error = expectFailed(await runAction(provisionAs(OWNER)));
    expect(error).toMatch(/^Login failed \(HTTP 200\): /u);
    expect(error).toContain('text/html');
    expect(error).not.toMatch(/Unexpected token|JSON\.parse|SyntaxError/u);
  });

  it('a 502 HTML page from a gateway at create: content type reported, not sent again, registration may exist', async () => {
    sim.fault('create', { status: 502, contentType: 'text/html', body: '<html><h1>502 Bad Gateway</h1></html>' });
    const error = expectFailed(await runAction(provisionAs(OWNER)));
    expect(error).toMatch(/^Create registration failed \(HTTP 502\): /u);
    expect(error).toContain('text/html');
    expect(error).not.toContain('Bad Gateway</h1>');
    expect(error).toContain('may have created a registration');
    expect(sim.requestsTo('create')).toHaveLength(1);
  });

  it('a redirect to another host: fails naming that host; nothing reaches it', async () => {
    let trapped = 0;
    const trap = http.createServer((req, res) => {
      trapped += 1;
      res.end('{}');
    });
    trap.on('connection', () => (trapped += 1));
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const { port } = trap.address() as AddressInfo;
    try {
      sim.fault('login', { redirect: `http://localhost:${port}/api/identity/v1/userCredentials/login` });
      const run = await runAction(provisionAs(OWNER));
      const error = expectFailed(run);
      expect(error).toMatch(/^Login failed \(HTTP 307\): /u);
      expect(error).toContain(`localhost:${port}`);
      expect(trapped).toBe(0);
      expect(sim.requests).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => trap.close(() => resolve()));
    }
  });
});

const provisionWithKey = (apiKey: string, more: Record<string, string> = {}): Record<string, string> => ({
  mode: 'provision',
  'base-url': sim.baseUrl,
  'api-key': apiKey,
  ...more,
});

describe("provision with an Owner's API key (X-Auth)", () => {
  it('no login; create and authorize send X-Auth and no Authorization; verify, SCIM check and outputs as with a password', async () => {
    const run = await runAction(provisionWithKey(OWNER.apiKey ?? '', { 'scim-check': 'true' }));
    expect(run.exitCode).toBe(0);
    expect(sim.requestsTo('login')).toHaveLength(0);
    expect(sim.requests.map((r) => r.route)).toEqual(['create', 'authorize', 'token', 'scim', 'users', 'groups']);
    for (const request of [...sim.requestsTo('create'), ...sim.requestsTo('authorize')]) {
      expect(request.headers['x-auth']).toBe(OWNER.apiKey);
      expect(request.headers['authorization']).toBeUndefined();
    }
    // The key goes to the identity API only.
    for (const request of [
      ...sim.requestsTo('token'),
      ...sim.requestsTo('scim'),
      ...sim.requestsTo('users'),
      ...sim.requestsTo('groups'),
    ]) {
      expect(request.headers['x-auth']).toBeUndefined();
    }
    // Outputs as after a password login: the authorized registration, its credentials, a valid token.
    const [registration] = [...sim.registrations.values()];
    expect(registration?.authorized).toBe(true);
    expect(run.outputs).toMatchObject({
      'registration-id': registration?.id,
      'client-id': registration?.clientId,
      'client-secret': registration?.clientSecret,
    });
    expect(sim.accessTokens.has(run.outputs['access-token'] ?? '')).toBe(true);
    // Log and summary say how it authenticated, never with the key.
    expect(run.log.text).toContain(
      'Authenticating as the Owner with API key (input api-key, sent as the X-Auth header; step 1, the password login, skipped)',
    );
    expect(run.log.lines).not.toContain('▸ Step 1: log in');
    expect(run.summary).toContain(
      '| Authenticated with | API key (input api-key, sent as the X-Auth header; step 1, the password login, skipped) |',
    );
    expect(run.summary).toContain('| SCIM check | passed |');
    expectMasked(run, [OWNER.apiKey ?? '', registration?.clientSecret ?? '', run.outputs['access-token'] ?? '']);

    // The credentials it made work in mode token, as after a password login.
    const token = await runAction({
      mode: 'token',
      'base-url': sim.baseUrl,
      'client-id': run.outputs['client-id'] ?? '',
      'client-secret': run.outputs['client-secret'] ?? '',
    });
    expect(token.exitCode).toBe(0);
  });

  it('a key that every encoding changes is masked in all its forms', async () => {
    const run = await runAction(provisionWithKey(ODD_KEY));
    expect(run.exitCode).toBe(0);
    expect(sim.requestsTo('create')[0]?.headers['x-auth']).toBe(ODD_KEY);
    expectMasked(run, [ODD_KEY]);
  });

  it('a server that echoes the key in its error: masked in the log, absent from the summary', async () => {
    sim.fault('create', {
      status: 401,
      body: JSON.stringify({ message: `bad key ${ODD_KEY} / ${encodeURIComponent(ODD_KEY)}` }),
    });
    const run = await runAction(provisionWithKey(ODD_KEY));
    expect(expectFailed(run)).toContain('bad key *** / ***');
    expectMasked(run, [ODD_KEY]);
  });

  it("a Member's key: create 403 says the key's user needs the Owner role; nothing created", async () => {
    const run = await runAction(provisionWithKey(MEMBER.apiKey ?? ''));
    const error = expectFailed(run);
    expect(error).toMatch(/^Create registration failed \(HTTP 403\): /u);
    expect(error).toContain('Fix: the user whose API key is in input api-key needs the Owner role');
    expect(sim.registrations.size).toBe(0);
    expect(sim.requestsTo('login')).toHaveLength(0);
    expect(run.summary).toContain('| Authenticated with | API key');
    expectMasked(run, [MEMBER.apiKey ?? '']);
  });

  it.each([
    ['regenerated', false],
    ['deleted', true],
  ] as const)(
    'a %s key: create 401 says the key was rejected and that email and password are the documented fallback',
    async (_, remove) => {
      const old = OWNER.apiKey ?? '';
      sim.regenerateApiKey(OWNER.email, remove);
      const run = await runAction(provisionWithKey(old));
      const error = expectFailed(run);
      expect(error).toMatch(
        /^Create registration failed \(HTTP 401\): .*Fix: the API key in input api-key was rejected: it was regenerated or deleted/u,
      );
      expect(error).toContain('does not accept API keys on the identity API');
      expect(error).toContain("use inputs email and password instead (the login the platform's setup guide documents)");
      expect(sim.registrations.size).toBe(0);
      expectMasked(run, [old]);
    },
  );

  it('an installation that does not accept API keys on the identity API: 401 with the email/password fallback; then the password works', async () => {
    const noKeys = await PlatformSimulator.start({ apiKeys: false });
    try {
      const run = await runAction({ mode: 'provision', 'base-url': noKeys.baseUrl, 'api-key': OWNER.apiKey ?? '' });
      const error = expectFailed(run);
      expect(error).toMatch(/^Create registration failed \(HTTP 401\): /u);
      expect(error).toContain('this installation does not accept API keys on the identity API');
      expect(noKeys.registrations.size).toBe(0);
      const fallback = await runAction({
        mode: 'provision',
        'base-url': noKeys.baseUrl,
        email: OWNER.email,
        password: OWNER.password,
      });
      expect(fallback.exitCode).toBe(0);
    } finally {
      await noKeys.close();
    }
  });

  it('api-key with email and password: an input error naming the inputs; no request sent', async () => {
    const run = await runAction(provisionAs(OWNER, { 'api-key': OWNER.apiKey ?? '' }));
    const error = expectFailed(run);
    expect(error).toMatch(
      /^Invalid input: input "api-key" is set together with inputs "email" and "password"\. Fix: /u,
    );
    expect(sim.requests).toHaveLength(0);
    expect(run.outputs).toEqual({});
    expectMasked(run, [OWNER.apiKey ?? '', OWNER.password]);
  });

  it('neither api-key nor email and password: an input error naming all three', async () => {
    const error = expectFailed(await runAction({ mode: 'provision', 'base-url': sim.baseUrl }));
    expect(error).toMatch(/^Invalid input: inputs "api-key", "email" and "password" are all empty/u);
    expect(sim.requests).toHaveLength(0);
  });

  it('a key with a line break (two lines pasted): an input error; each line masked; nothing sent', async () => {
    const [first, second] = ['eyJfirst.line.abc', 'eyJsecond.line.def'];
    const run = await runAction(provisionWithKey(`${first}\n${second}`));
    const error = expectFailed(run);
    expect(error).toMatch(/^Invalid input: input "api-key" contains a line break/u);
    expect(sim.requests).toHaveLength(0);
    expectMasked(run, [first, second]);
  });

  it("the simulator keeps the platform's rule: the login route takes email and password, not an API key", async () => {
    const response = await fetch(`${sim.baseUrl}/api/identity/v1/userCredentials/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth': OWNER.apiKey ?? '' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(sim.loginTokens.size).toBe(0);
  });
});

describe('token failures', () => {
  it('the registration UUID given as client-id: 401 invalid_client names client-id/client-secret', async () => {
    const provisioned = await runAction(provisionAs(OWNER, { verify: 'false' }));
    expect(provisioned.exitCode).toBe(0);
    const run = await runAction({
      mode: 'token',
      'base-url': sim.baseUrl,
      'client-id': provisioned.outputs['registration-id'] ?? '',
      'client-secret': provisioned.outputs['client-secret'] ?? '',
    });
    const error = expectFailed(run);
    expect(error).toMatch(/^Token failed \(HTTP 401\): .*invalid_client/u);
    expect(error).toContain('client-id');
    expect(error).toContain('client-secret');
    expectMasked(run, [provisioned.outputs['client-secret'] ?? '']);
  });

  it('an unauthorized registration: 403 access_denied says it was never authorized (step 3)', async () => {
    sim.fault('authorize', { status: 500, body: '{}', times: 1 });
    const provisioned = await runAction(provisionAs(OWNER, { 'max-attempts': '1' }));
    expectFailed(provisioned);
    const run = await runAction({
      mode: 'token',
      'base-url': sim.baseUrl,
      'client-id': provisioned.outputs['client-id'] ?? '',
      'client-secret': provisioned.outputs['client-secret'] ?? '',
    });
    const error = expectFailed(run);
    expect(error).toMatch(/^Token failed \(HTTP 403\): .*access_denied/u);
    expect(error).toContain('step 3');
    expect(error).toContain('never authorized');
  });

  it('a 502 HTML page at the token endpoint (no retries): content type reported', async () => {
    sim.fault('token', { status: 502, contentType: 'text/html', body: '<html>Bad Gateway</html>' });
    const run = await runAction({
      mode: 'token',
      'base-url': sim.baseUrl,
      'client-id': 'm2m-x',
      'client-secret': 'y',
      'max-attempts': '1',
    });
    const error = expectFailed(run);
    expect(error).toMatch(/^Token failed \(HTTP 502\): /u);
    expect(error).toContain('text/html');
  });
});

describe('secrets that every encoding changes', () => {
  it('a password and client secret with + & = % " \\ spaces and non-ASCII: provision then token, all masked', async () => {
    secretFactory = () => ODD_SECRET;
    const provisioned = await runAction(provisionAs(ODD_USER, { 'scim-check': 'true' }));
    expect(provisioned.exitCode).toBe(0);
    expect(provisioned.outputs['client-secret']).toBe(ODD_SECRET);
    expectMasked(provisioned, [
      ODD_PASSWORD,
      ODD_SECRET,
      provisioned.outputs['access-token'] ?? '',
      ...sim.loginTokens.keys(),
    ]);

    const token = await runAction({
      mode: 'token',
      'base-url': sim.baseUrl,
      'client-id': provisioned.outputs['client-id'] ?? '',
      'client-secret': ODD_SECRET,
      'scim-check': 'true',
    });
    expect(token.exitCode).toBe(0);
    expect(sim.accessTokens.has(token.outputs['access-token'] ?? '')).toBe(true);
    expectMasked(token, [ODD_SECRET, token.outputs['access-token'] ?? '']);
  });

  it('a server that echoes the client secret in an error: masked in the log and absent from the summary', async () => {
    secretFactory = () => ODD_SECRET;
    sim.fault('token', {
      status: 401,
      body: JSON.stringify({
        error: 'invalid_client',
        error_description: `bad secret ${encodeURIComponent(ODD_SECRET)} / ${ODD_SECRET}`,
      }),
    });
    const run = await runAction(provisionAs(ODD_USER));
    const error = expectFailed(run);
    expect(error).toContain('bad secret *** / ***');
    expectMasked(run, [ODD_SECRET]);
  });
});

describe('base-url forms', () => {
  it('a trailing slash is ignored: same requests, same URLs as without it', async () => {
    const run = await runAction(provisionAs(OWNER, { 'base-url': `${sim.baseUrl}/` }));
    expect(run.exitCode).toBe(0);
    expect(run.outputs['scim-url']).toBe(`${sim.baseUrl}/api/scim/v2`);
    expect(run.outputs['token-url']).toBe(`${sim.baseUrl}/oauth/token?audience=${sim.baseUrl}/api`);
    expect(sim.requests.map((r) => r.url.split('?')[0]).filter((path) => path?.includes('//'))).toEqual([]);
    expect(sim.requests).toHaveLength(4);
  });

  it('an on-premises path prefix is kept in every request, the audience and the outputs', async () => {
    const onPrem = await PlatformSimulator.start({ prefix: '/invicti/platform' });
    try {
      const run = await runAction(provisionAs(OWNER, { 'base-url': `${onPrem.baseUrl}/`, 'scim-check': 'true' }));
      expect(run.exitCode).toBe(0);
      expect(onPrem.requests.map((r) => r.url.split('?')[0])).toEqual([
        '/invicti/platform/api/identity/v1/userCredentials/login',
        '/invicti/platform/api/identity/v1/clients',
        '/invicti/platform/api/identity/v1/apis/00000000-0000-0000-0000-000000000001/clients',
        '/invicti/platform/oauth/token',
        '/invicti/platform/api/scim/v2/ServiceProviderConfig',
        '/invicti/platform/api/scim/v2/Users',
        '/invicti/platform/api/scim/v2/Groups',
      ]);
      expect(run.outputs['scim-url']).toBe(`${onPrem.baseUrl}/api/scim/v2`);
      expect(run.outputs['token-url']).toBe(`${onPrem.baseUrl}/oauth/token?audience=${onPrem.baseUrl}/api`);
    } finally {
      await onPrem.close();
    }
  });

  it('plain http:// to a non-loopback host is refused before any request', async () => {
    const run = await runAction(provisionAs(OWNER, { 'base-url': 'http://platform.invicti.example' }));
    const error = expectFailed(run);
    expect(error).toMatch(/^Invalid input: input "base-url"/u);
    expect(run.outputs).toEqual({});
    expectMasked(run, [OWNER.password]);
  });
});

describe('runner debug logging (RUNNER_DEBUG=1)', () => {
  it('debug lines show method, path and status, never a secret, header or body', async () => {
    secretFactory = () => ODD_SECRET;
    const run = await runAction(provisionAs(ODD_USER, { 'scim-check': 'true' }), { env: { RUNNER_DEBUG: '1' } });
    expect(run.exitCode).toBe(0);
    const debug = run.log.lines.filter((line) => line.startsWith('##[debug]'));
    const calls = debug.filter((line) => line.includes('→'));
    expect(calls).toEqual([
      expect.stringMatching(/^##\[debug\]POST \/api\/identity\/v1\/userCredentials\/login → HTTP 200 in \d+ ms$/u),
      expect.stringMatching(/^##\[debug\]POST \/api\/identity\/v1\/clients → HTTP 201 in \d+ ms$/u),
      expect.stringMatching(/^##\[debug\]POST \/api\/identity\/v1\/apis\/[0-9-]+\/clients → HTTP 201 in \d+ ms$/u),
      expect.stringMatching(/^##\[debug\]POST \/oauth\/token → HTTP 200 in \d+ ms$/u),
      expect.stringMatching(/^##\[debug\]GET \/api\/scim\/v2\/ServiceProviderConfig → HTTP 200 in \d+ ms$/u),
      expect.stringMatching(/^##\[debug\]GET \/api\/scim\/v2\/Users → HTTP 200 in \d+ ms$/u),
      expect.stringMatching(/^##\[debug\]GET \/api\/scim\/v2\/Groups → HTTP 200 in \d+ ms$/u),
    ]);
    const text = debug.join('\n');
    for (const word of [
      'authorization',
      'Bearer',
      'content-type',
      'emailAddress',
      'password',
      'grant_type',
      'client_secret',
      'clientSecret',
      'accessToken',
      'access_token',
      '{',
      'expand=',
    ]) {
      expect(text.toLowerCase()).not.toContain(word.toLowerCase());
    }
    expectMasked(run, [ODD_PASSWORD, ODD_SECRET, run.outputs['access-token'] ?? '', ...sim.loginTokens.keys()]);
    // And the raw debug lines (before masking) hold no secret either: nothing was masked away.
    expect(text).not.toContain('***');
  });
});
