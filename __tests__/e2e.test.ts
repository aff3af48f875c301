/**
 * End to end: dist/index.js under Node 24 as a runner runs it, against the
 * platform simulator on loopback.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from './support/runner.ts';
import { MEMBER, OWNER, PlatformSimulator, type User } from './support/simulator.ts';

/** A password and a client secret with characters every encoding changes. */
const ODD_PASSWORD = 'pä ss+&=%/"\\wörd ✓';
const ODD_SECRET = 'sé cret+&=%/"\\ü ✓';
const ODD_USER: User = { email: 'odd@example.com', password: ODD_PASSWORD, role: 'Owner' };

let sim: PlatformSimulator;
/** Makes the next client secrets; undefined: the simulator's random ones. */
let secretFactory: (() => string) | undefined;
beforeAll(async () => {
  sim = await PlatformSimulator.start({
    users: [OWNER, MEMBER, ODD_USER],
    secretFactory: () => secretFactory?.() ?? randomBytes(32).toString('base64url'),
  });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  secretFactory = undefined;
});

function expectNoLeak(run: ActionRun, secrets: string[]): void {
  for (const secret of secrets) {
    expect(run.log.text).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
    expect(run.summary).not.toContain(secret);
  }
}

describe('provision then token (happy paths)', () => {
  it('creates, authorizes and verifies a registration, and its credentials get a token', async () => {
    const provisioned = await runAction({ mode: 'provision', 'base-url': sim.baseUrl, email: OWNER.email, password: OWNER.password });
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
    expectNoLeak(provisioned, [OWNER.password, registration?.clientSecret ?? '', provisioned.outputs['access-token'] ?? '']);

    const token = await runAction({
      mode: 'token',
      'base-url': sim.baseUrl,
      'client-id': provisioned.outputs['client-id'] ?? '',
      'client-secret': provisioned.outputs['client-secret'] ?? '',
    });
    expect(token.exitCode).toBe(0);
    expect(sim.accessTokens.has(token.outputs['access-token'] ?? '')).toBe(true);
    expectNoLeak(token, [registration?.clientSecret ?? '', token.outputs['access-token'] ?? '']);
  });
});

/** The forms of a secret the issue names (computed here, not by src/mask.ts). */
function forms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ v: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
  ];
}

/** No form of any secret in the shown log (debug lines included), stderr or summary; all forms masked. */
function expectMasked(run: ActionRun, secrets: string[]): void {
  for (const secret of secrets) {
    expect(secret).not.toBe('');
    for (const form of forms(secret)) {
      expect(run.log.masks).toContain(form);
      expect(run.log.text).not.toContain(form);
      expect(run.stderr).not.toContain(form);
      expect(run.summary).not.toContain(form);
    }
  }
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
    sim.fault('authorize', { status: 403, body: JSON.stringify({ message: 'Forbidden: this operation requires the Owner role.' }) });
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
    sim.fault('login', { status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>Proxy login</title>' });
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
    const run = await runAction({ mode: 'token', 'base-url': sim.baseUrl, 'client-id': 'm2m-x', 'client-secret': 'y', 'max-attempts': '1' });
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
    expectMasked(provisioned, [ODD_PASSWORD, ODD_SECRET, provisioned.outputs['access-token'] ?? '', ...sim.loginTokens.keys()]);

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
      body: JSON.stringify({ error: 'invalid_client', error_description: `bad secret ${encodeURIComponent(ODD_SECRET)} / ${ODD_SECRET}` }),
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
    ]);
    const text = debug.join('\n');
    for (const word of ['authorization', 'Bearer', 'content-type', 'emailAddress', 'password', 'grant_type', 'client_secret', 'clientSecret', 'accessToken', 'access_token', '{', 'expand=']) {
      expect(text.toLowerCase()).not.toContain(word.toLowerCase());
    }
    expectMasked(run, [ODD_PASSWORD, ODD_SECRET, run.outputs['access-token'] ?? '', ...sim.loginTokens.keys()]);
    // And the raw debug lines (before masking) hold no secret either: nothing was masked away.
    expect(text).not.toContain('***');
  });
});
