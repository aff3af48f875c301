/**
 * Provision, run in process (src/main.ts `run`) with a fake @actions/core and
 * the real transport against the platform simulator: every output, the one
 * failure, what is kept after step 2, and the order of masking versus use.
 */
import { describe, expect, it } from 'vitest';
import { expectMaskedBeforeUse, onlyFailure, runInProcess } from '../support/in-process.ts';
import { withSimulator } from '../support/platform.ts';
import { MEMBER, OWNER } from '../../harness/simulator.ts';

const sim = withSimulator();

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

const provisionInputs = { mode: 'provision', email: OWNER.email, password: OWNER.password };

describe('provision', () => {
  it('happy path: every output, no failure, summary written, transport disposed', async () => {
    const { core, transports, disposed } = await runInProcess(sim, provisionInputs);
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
    const { core } = await runInProcess(sim, provisionInputs);
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
    await runInProcess(sim, provisionInputs);
    const [registration] = [...sim.registrations.values()];
    expect(JSON.parse(sim.requestsTo('authorize')[0]?.body ?? '')).toEqual([{ clientId: registration?.id }]);
    expect(new URLSearchParams(sim.requestsTo('token')[0]?.body).get('client_id')).toBe(registration?.clientId);
    expect(sim.requestsTo('create')[0]?.url).toBe('/api/identity/v1/clients?expand=credentials');
  });

  it('wrong password: one error naming login, 401 and email/password; nothing created', async () => {
    const { core } = await runInProcess(sim, { ...provisionInputs, password: 'not the password' });
    const message = onlyFailure(core);
    expect(message).toMatch(/^Login failed \(HTTP 401\): /u);
    expect(message).toContain('Invalid email address or password.');
    expect(message).toMatch(/email and password/u);
    expect(sim.registrations.size).toBe(0);
    expect(Object.keys(core.outputs).sort()).toEqual(['scim-url', 'token-url']);
  });

  it('non-Owner: one error naming create registration, 403 and the Owner role; nothing created', async () => {
    const { core } = await runInProcess(sim, { ...provisionInputs, email: MEMBER.email, password: MEMBER.password });
    const message = onlyFailure(core);
    expect(message).toMatch(/^Create registration failed \(HTTP 403\): /u);
    expect(message).toContain('Owner role');
    expect(sim.registrations.size).toBe(0);
  });

  it('credentials: null → names expand=credentials and the registration id, which is still an output', async () => {
    sim.fault('create', { act: true, mutate: (body) => ({ ...body, credentials: null }) });
    const { core } = await runInProcess(sim, provisionInputs);
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
    const { core } = await runInProcess(sim, provisionInputs);
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
    const { core } = await runInProcess(sim, provisionInputs);
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
    const { core } = await runInProcess(sim, provisionInputs);
    const [registration] = [...sim.registrations.values()];
    const message = onlyFailure(core);
    expect(message).toMatch(/^Token failed \(HTTP 401\): /u);
    expect(message).toContain('invalid_client');
    expect(message).toContain(registration?.id ?? 'missing');
    expect(core.outputs['client-secret']).toBe(registration?.clientSecret);
  });

  it('SCIM check fails after provisioning: outputs kept (token included), registration named', async () => {
    sim.fault('scim', { status: 500, body: '{}' });
    const { core } = await runInProcess(sim, { ...provisionInputs, 'scim-check': 'true' });
    const [registration] = [...sim.registrations.values()];
    const message = onlyFailure(core);
    expect(message).toMatch(/^SCIM check failed \(HTTP 500\): /u);
    expect(message).toContain(registration?.id ?? 'missing');
    expect(core.outputs['registration-id']).toBe(registration?.id);
    expect(core.outputs['access-token']).toBeDefined();
  });

  it('verify: false sets no token outputs and sends no token request', async () => {
    const { core } = await runInProcess(sim, { ...provisionInputs, verify: 'false' });
    expect(core.failures).toEqual([]);
    expect(core.outputs['access-token']).toBeUndefined();
    expect(core.outputs['client-secret']).toBeDefined();
    expect(sim.requestsTo('token')).toHaveLength(0);
  });
});
