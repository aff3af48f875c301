/**
 * run() in-process (src/main.ts) with a fake @actions/core and the real
 * transport against the platform simulator: outputs, the one failure, what
 * is kept after step 2, and the order of masking versus use.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpTransport, type Transport } from '../../src/net/http.ts';
import { run, type RunDependencies } from '../../src/main.ts';
import { secretForms } from '../../src/runner/mask.ts';
import { fakeCore, recordingTransport, type CoreEvent, type FakeCore } from '../support/fake-core.ts';
import { renderLog } from '../../harness/runner.ts';
import { MEMBER, OWNER, PlatformSimulator } from '../../harness/simulator.ts';

let sim: PlatformSimulator;
beforeAll(async () => {
  sim = await PlatformSimulator.start();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

// GITHUB_OUTPUT set as on a runner (the fake core keeps the outputs itself).
const ENV = {
  GITHUB_REPOSITORY: 'octo-org/identity',
  GITHUB_RUN_ID: '4242',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_OUTPUT: '/dev/null',
};
const ALL_OUTPUTS = [
  'registration-id',
  'client-id',
  'client-secret',
  'access-token',
  'token-type',
  'expires-in',
  'expires-at',
  'scim-url',
  'token-url',
];

interface Ran {
  core: FakeCore;
  transports: number;
  disposed: number;
}

async function runWith(
  inputs: Record<string, string>,
  overrides: Partial<RunDependencies> & { summaryFails?: boolean } = {},
): Promise<Ran> {
  const core = fakeCore(
    { 'base-url': sim.baseUrl, 'max-attempts': '1', ...inputs },
    { summaryFails: overrides.summaryFails },
  );
  const ran: Ran = { core, transports: 0, disposed: 0 };
  const deps: RunDependencies = {
    core,
    env: ENV,
    createTransport: (userAgent, timeoutMs): Transport => {
      ran.transports += 1;
      const inner = recordingTransport(createHttpTransport(userAgent, timeoutMs), core);
      return {
        send: (request, limit) => inner.send(request, limit),
        dispose: () => {
          ran.disposed += 1;
          inner.dispose();
        },
      };
    },
    sleep: async () => undefined,
    random: () => 0,
    now: () => new Date(),
    userAgent: 'scim-action-test/1',
    ...overrides,
  };
  await expect(run(deps)).resolves.toBeUndefined();
  return ran;
}

const provisionInputs = { mode: 'provision', email: OWNER.email, password: OWNER.password };

/** Exactly one failure, well formed, and returned. */
function onlyFailure(core: FakeCore): string {
  expect(core.failures).toHaveLength(1);
  const [message = ''] = core.failures;
  expect(message).toMatch(/ Fix: .+\.$/u);
  expect(message).not.toContain('\n');
  expect(message).not.toMatch(/\s+at\s.+:\d+/u);
  expect(renderLog(core.stdout).errors).toHaveLength(1);
  return message;
}

/**
 * Every form of `secret` was registered before the first request that carries
 * it and before any other event that shows it.
 */
function expectMaskedBeforeUse(events: CoreEvent[], secret: string): void {
  const forms = secretForms(secret);
  const registeredAt = (form: string): number => events.findIndex((e) => e.kind === 'secret' && e.value === form);
  for (const form of forms)
    expect(registeredAt(form), `form ${JSON.stringify(form)} registered`).toBeGreaterThanOrEqual(0);
  const lastRegistration = Math.max(...forms.map(registeredAt));
  events.forEach((event, index) => {
    if (event.kind === 'secret' || event.kind === 'input') return;
    const text =
      event.kind === 'send'
        ? `${event.request.body ?? ''} ${JSON.stringify(event.request.headers)}`
        : JSON.stringify(event);
    if (forms.some((form) => text.includes(form)) || text.includes(secret)) {
      expect(index, `${event.kind} event uses the secret only after all its forms are masked`).toBeGreaterThan(
        lastRegistration,
      );
    }
  });
}

describe('provision', () => {
  it('happy path: every output, no failure, summary written, transport disposed', async () => {
    const { core, transports, disposed } = await runWith(provisionInputs);
    expect(core.failures).toEqual([]);
    expect(Object.keys(core.outputs).sort()).toEqual([...ALL_OUTPUTS].sort());
    const [registration] = [...sim.registrations.values()];
    expect(core.outputs['registration-id']).toBe(registration?.id);
    expect(core.outputs['client-id']).toBe(registration?.clientId);
    expect(core.outputs['client-secret']).toBe(registration?.clientSecret);
    expect(core.outputs['token-url']).toBe(`${sim.baseUrl}/oauth/token?audience=${sim.baseUrl}/api`);
    expect(core.events.some((e) => e.kind === 'summary')).toBe(true);
    expect(transports).toBe(1);
    expect(disposed).toBe(1);
  });

  it('masks every secret (all forms) before it is sent, logged or output', async () => {
    const { core } = await runWith(provisionInputs);
    const [registration] = [...sim.registrations.values()];
    const [loginToken] = [...sim.loginTokens.keys()];
    for (const secret of [
      OWNER.password,
      loginToken ?? '',
      registration?.clientSecret ?? '',
      core.outputs['access-token'] ?? '',
    ]) {
      expect(secret).not.toBe('');
      expectMaskedBeforeUse(core.events, secret);
    }
  });

  it('sends the registration UUID to authorize and credentials.clientId to the token endpoint', async () => {
    await runWith(provisionInputs);
    const [registration] = [...sim.registrations.values()];
    expect(JSON.parse(sim.requestsTo('authorize')[0]?.body ?? '')).toEqual([{ clientId: registration?.id }]);
    expect(new URLSearchParams(sim.requestsTo('token')[0]?.body).get('client_id')).toBe(registration?.clientId);
    expect(sim.requestsTo('create')[0]?.url).toBe('/api/identity/v1/clients?expand=credentials');
  });

  it('wrong password: one error naming login, 401 and email/password; nothing created', async () => {
    const { core } = await runWith({ ...provisionInputs, password: 'not the password' });
    const message = onlyFailure(core);
    expect(message).toMatch(/^Login failed \(HTTP 401\): /u);
    expect(message).toContain('Invalid email address or password.');
    expect(message).toMatch(/email and password/u);
    expect(sim.registrations.size).toBe(0);
    expect(Object.keys(core.outputs).sort()).toEqual(['scim-url', 'token-url']);
  });

  it('non-Owner: one error naming create registration, 403 and the Owner role; nothing created', async () => {
    const { core } = await runWith({ ...provisionInputs, email: MEMBER.email, password: MEMBER.password });
    const message = onlyFailure(core);
    expect(message).toMatch(/^Create registration failed \(HTTP 403\): /u);
    expect(message).toContain('Owner role');
    expect(sim.registrations.size).toBe(0);
  });

  it('credentials: null → names expand=credentials and the registration id, which is still an output', async () => {
    sim.fault('create', { act: true, mutate: (body) => ({ ...body, credentials: null }) });
    const { core } = await runWith(provisionInputs);
    const [registration] = [...sim.registrations.values()];
    const message = onlyFailure(core);
    expect(message).toContain('expand=credentials');
    expect(message).toContain(registration?.id ?? 'missing');
    expect(core.outputs['registration-id']).toBe(registration?.id);
    expect(core.outputs['client-secret']).toBeUndefined();
    expect(sim.requestsTo('authorize')).toHaveLength(0);
  });

  it('incomplete credentials → the error names the registration, which is still an output', async () => {
    sim.fault('create', {
      act: true,
      mutate: (body) => ({
        ...body,
        credentials: { clientId: (body['credentials'] as { clientId: string }).clientId },
      }),
    });
    const { core } = await runWith(provisionInputs);
    const [registration] = [...sim.registrations.values()];
    const message = onlyFailure(core);
    expect(message).toMatch(/^Create registration failed \(HTTP 201\): /u);
    expect(message).toContain(registration?.id ?? 'missing');
    expect(core.outputs['registration-id']).toBe(registration?.id);
    expect(core.outputs['client-id']).toBe(registration?.clientId);
    expect(core.outputs['client-secret']).toBeUndefined();
    expect(sim.requestsTo('authorize')).toHaveLength(0);
  });

  it('authorize fails (403): registration-id, client-id and client-secret are kept and the registration is named', async () => {
    sim.fault('authorize', {
      status: 403,
      body: JSON.stringify({ message: 'Forbidden: this operation requires the Owner role.' }),
    });
    const { core } = await runWith(provisionInputs);
    const [registration] = [...sim.registrations.values()];
    const message = onlyFailure(core);
    expect(message).toMatch(/^Authorize failed \(HTTP 403\): /u);
    expect(message).toContain(registration?.id ?? 'missing');
    expect(message).toContain('Owner role');
    expect(core.outputs['registration-id']).toBe(registration?.id);
    expect(core.outputs['client-id']).toBe(registration?.clientId);
    expect(core.outputs['client-secret']).toBe(registration?.clientSecret);
    expect(core.outputs['access-token']).toBeUndefined();
    expect(registration?.authorized).toBe(false);
    expectMaskedBeforeUse(core.events, registration?.clientSecret ?? '');
  });

  it('verify fails (token 401 invalid_client): outputs kept, registration named', async () => {
    sim.fault('token', {
      status: 401,
      body: JSON.stringify({ error: 'invalid_client', error_description: 'Client authentication failed.' }),
    });
    const { core } = await runWith(provisionInputs);
    const [registration] = [...sim.registrations.values()];
    const message = onlyFailure(core);
    expect(message).toMatch(/^Token failed \(HTTP 401\): /u);
    expect(message).toContain('invalid_client');
    expect(message).toContain(registration?.id ?? 'missing');
    expect(core.outputs['client-secret']).toBe(registration?.clientSecret);
  });

  it('SCIM check fails after provisioning: outputs kept (token included), registration named', async () => {
    sim.fault('scim', { status: 500, body: '{}' });
    const { core } = await runWith({ ...provisionInputs, 'scim-check': 'true' });
    const [registration] = [...sim.registrations.values()];
    const message = onlyFailure(core);
    expect(message).toMatch(/^SCIM check failed \(HTTP 500\): /u);
    expect(message).toContain(registration?.id ?? 'missing');
    expect(core.outputs['registration-id']).toBe(registration?.id);
    expect(core.outputs['access-token']).toBeDefined();
  });

  it('verify: false sets no token outputs and sends no token request', async () => {
    const { core } = await runWith({ ...provisionInputs, verify: 'false' });
    expect(core.failures).toEqual([]);
    expect(core.outputs['access-token']).toBeUndefined();
    expect(core.outputs['client-secret']).toBeDefined();
    expect(sim.requestsTo('token')).toHaveLength(0);
  });
});

describe('token', () => {
  it('exchanges client credentials; sets only the token and URL outputs', async () => {
    await runWith({ ...provisionInputs, verify: 'false' });
    const [registration] = [...sim.registrations.values()];
    sim.requests.length = 0;
    const { core } = await runWith({
      mode: 'token',
      'client-id': registration?.clientId ?? '',
      'client-secret': registration?.clientSecret ?? '',
    });
    expect(core.failures).toEqual([]);
    expect(Object.keys(core.outputs).sort()).toEqual([
      'access-token',
      'expires-at',
      'expires-in',
      'scim-url',
      'token-type',
      'token-url',
    ]);
    expect(sim.accessTokens.has(core.outputs['access-token'] ?? '')).toBe(true);
    expect(sim.requests.map((r) => r.route)).toEqual(['token']);
    expectMaskedBeforeUse(core.events, registration?.clientSecret ?? '');
    expectMaskedBeforeUse(core.events, core.outputs['access-token'] ?? '');
  });

  it('an unauthorized registration: 403 access_denied → never authorized (step 3)', async () => {
    await runWith({ ...provisionInputs, verify: 'false' });
    const [registration] = [...sim.registrations.values()];
    if (registration) registration.authorized = false;
    const { core } = await runWith({
      mode: 'token',
      'client-id': registration?.clientId ?? '',
      'client-secret': registration?.clientSecret ?? '',
    });
    const message = onlyFailure(core);
    expect(message).toMatch(/^Token failed \(HTTP 403\): /u);
    expect(message).toContain('access_denied');
    expect(message).toContain('never authorized');
  });

  it('the registration UUID passed as client-id: 401 invalid_client → check client-id/client-secret', async () => {
    await runWith({ ...provisionInputs, verify: 'false' });
    const [registration] = [...sim.registrations.values()];
    const { core } = await runWith({
      mode: 'token',
      'client-id': registration?.id ?? '',
      'client-secret': registration?.clientSecret ?? '',
    });
    const message = onlyFailure(core);
    expect(message).toMatch(/^Token failed \(HTTP 401\): /u);
    expect(message).toContain('client-id');
    expect(message).toContain('client-secret');
  });
});

describe('failures outside the platform calls', () => {
  it('an input error: one error, no transport, no request, no outputs, secrets still masked, summary written', async () => {
    const { core, transports } = await runWith({ mode: 'provision', email: '', password: 'pw-secret' });
    const message = onlyFailure(core);
    expect(message).toMatch(/^Invalid input: input "email"/u);
    expect(transports).toBe(0);
    expect(sim.requests).toHaveLength(0);
    expect(core.outputs).toEqual({});
    expect(core.secrets).toContain('pw-secret');
    expect(core.events.findIndex((e) => e.kind === 'secret')).toBeLessThan(
      core.events.findIndex((e) => e.kind === 'failed'),
    );
    expect(core.summaryText).toContain('inputs');
  });

  it('an unexpected exception becomes one well-formed error without a stack trace', async () => {
    const { core } = await runWith(provisionInputs, {
      createTransport: () => {
        throw new TypeError('boom\n    at Object.<anonymous> (/x.js:1:1)');
      },
    });
    const message = onlyFailure(core);
    expect(message).toMatch(/^Run failed: unexpected error: boom/u);
  });

  it('no step summary file is not a failure', async () => {
    const { core } = await runWith(provisionInputs, { summaryFails: true });
    expect(core.failures).toEqual([]);
    expect(core.events.some((e) => e.kind === 'debug' && e.text.includes('No step summary'))).toBe(true);
  });

  it('the transport is disposed on failure too', async () => {
    const ran = await runWith({ ...provisionInputs, password: 'wrong' });
    expect(ran.transports).toBe(1);
    expect(ran.disposed).toBe(1);
  });

  it('debug lines name method, path and status only', async () => {
    const { core } = await runWith({ ...provisionInputs, 'scim-check': 'true' });
    const debug = core.events.flatMap((e) => (e.kind === 'debug' ? [e.text] : []));
    expect(debug.filter((line) => line.includes('→'))).toEqual([
      expect.stringMatching(/^POST \/api\/identity\/v1\/userCredentials\/login → HTTP 200 in \d+ ms$/u),
      expect.stringMatching(/^POST \/api\/identity\/v1\/clients → HTTP 201 in \d+ ms$/u),
      expect.stringMatching(
        /^POST \/api\/identity\/v1\/apis\/00000000-0000-0000-0000-000000000001\/clients → HTTP 201 in \d+ ms$/u,
      ),
      expect.stringMatching(/^POST \/oauth\/token → HTTP 200 in \d+ ms$/u),
      expect.stringMatching(/^GET \/api\/scim\/v2\/ServiceProviderConfig → HTTP 200 in \d+ ms$/u),
      expect.stringMatching(/^GET \/api\/scim\/v2\/Users → HTTP 200 in \d+ ms$/u),
      expect.stringMatching(/^GET \/api\/scim\/v2\/Groups → HTTP 200 in \d+ ms$/u),
    ]);
  });

  it('setFailed is the last thing the run does (outputs and summary come first)', async () => {
    const { core } = await runWith({ ...provisionInputs, password: 'wrong' });
    expect(core.events.at(-1)?.kind).toBe('failed');
  });
});
