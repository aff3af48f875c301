/**
 * Issue 8 items 5 and 6, end to end (dist/index.js under Node 24 against the
 * simulator): odd but valid answers are read, usable credentials are never
 * thrown away, and errors quote the most specific text the server gave.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { OWNER, PlatformSimulator, ROUTES, type Route } from '../../harness/simulator.ts';

let sim: PlatformSimulator;
beforeAll(async () => {
  sim = await PlatformSimulator.start();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

const provision = (base = sim.baseUrl): Record<string, string> => ({
  mode: 'provision',
  'base-url': base,
  email: OWNER.email,
  password: OWNER.password,
  'client-name': 'Entra ID odd answers',
  'scim-check': 'true',
});

/** Every secret the simulator handed out, and the password: none may show in the log, stderr or the summary. */
function expectNoSecretShown(run: ActionRun, server: PlatformSimulator = sim): void {
  const secrets = [
    OWNER.password,
    ...[...server.registrations.values()].map((r) => r.clientSecret),
    ...server.loginTokens.keys(),
    ...server.accessTokens.keys(),
  ];
  for (const secret of secrets) {
    expect(run.log.text).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
    expect(run.summary).not.toContain(secret);
  }
}

function expectSucceeded(run: ActionRun): void {
  expect(run.exitCode, run.log.text).toBe(0);
  expect(run.log.errors).toEqual([]);
  const [registration] = [...sim.registrations.values()];
  expect(registration?.authorized).toBe(true);
  expect(run.outputs['registration-id']).toBe(registration?.id);
  expect(run.outputs['client-id']).toBe(registration?.clientId);
  expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
  expect(sim.accessTokens.has(run.outputs['access-token'] ?? '')).toBe(true);
  expectNoSecretShown(run);
}

describe('odd but valid 2xx answers (item 6)', () => {
  it('a UTF-8 byte-order mark before every JSON answer: the run succeeds without a warning', async () => {
    for (const route of ROUTES) sim.fault(route, { act: true, bom: true });
    const run = await runAction(provision());
    expectSucceeded(run);
    expect(run.log.warnings).toEqual([]);
  });
});

describe('usable credentials are never thrown away (item 5)', () => {
  it('create answers 201 with its JSON labelled text/plain: read, one warning, the run goes on and succeeds', async () => {
    sim.fault('create', { act: true, relabel: 'text/plain; charset=utf-8' });
    const run = await runAction(provision());
    expectSucceeded(run);
    expect(run.log.warnings).toEqual([
      'Create registration (HTTP 201): the response is labelled text/plain but holds JSON; it was read as JSON',
    ]);
    expect(run.log.masks).toContain(sim.registrations.values().next().value?.clientSecret);
  });

  it('every step labels its JSON text/plain: read with one warning per step', async () => {
    for (const route of ROUTES) sim.fault(route, { act: true, relabel: 'text/plain' });
    const run = await runAction(provision());
    expectSucceeded(run);
    const steps: Record<Route, string> = {
      login: 'Login',
      create: 'Create registration',
      authorize: 'Authorize',
      token: 'Token',
      scim: 'SCIM check',
      users: 'SCIM check',
      groups: 'SCIM check',
    };
    expect(run.log.warnings.map((w) => w.split(' (HTTP')[0])).toEqual(ROUTES.map((r) => steps[r]));
  });

  it('an HTML login page with 200 still fails clearly, and nothing is created', async () => {
    sim.fault('login', {
      status: 200,
      contentType: 'text/html',
      body: '<!DOCTYPE html><html><body><form>Sign in</form></body></html>',
    });
    const run = await runAction(provision());
    expect(run.exitCode).toBe(1);
    expect(run.log.errors[0]).toMatch(
      /^Login failed \(HTTP 200\): the response is text\/html \(\d+ bytes\), not JSON/u,
    );
    expect(run.log.warnings).toEqual([]);
    expect(sim.registrations.size).toBe(0);
  });

  it('a registration id that is not a UUID: used as given with a warning; the run succeeds', async () => {
    const other = await PlatformSimulator.start({ idFactory: () => `reg_${Math.random().toString(36).slice(2, 10)}` });
    try {
      const run = await runAction(provision(other.baseUrl));
      expect(run.exitCode, run.log.text).toBe(0);
      const [registration] = [...other.registrations.values()];
      expect(registration?.authorized).toBe(true);
      expect(run.outputs['registration-id']).toBe(registration?.id);
      expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
      expect(run.log.warnings).toEqual([
        `Create registration (HTTP 201): the registration id "${registration?.id}" is not a UUID as documented; it is used as given`,
      ]);
      expectNoSecretShown(run, other);
    } finally {
      await other.close();
    }
  });

  it('no registration id (or an unusable one): fails at create, but client-id and client-secret are output (masked) and the error says so', async () => {
    for (const clientId of [undefined, 42, 'not\nan id']) {
      sim.reset();
      sim.fault('create', { act: true, relabel: 'text/plain', mutate: (body) => ({ ...body, clientId }) });
      const run = await runAction(provision());
      const [registration] = [...sim.registrations.values()];
      expect(run.exitCode).toBe(1);
      expect(run.log.errors).toHaveLength(1);
      const error = run.log.errors[0] ?? '';
      expect(error).toMatch(
        /^Create registration failed \(HTTP 201\): the response has no valid clientId \(the registration UUID\)/u,
      );
      expect(error).toContain(
        'the registration named "Entra ID odd answers" was created but cannot be authorized (step 3)',
      );
      expect(error).toContain('its client-id and client-secret (masked) are in the step outputs');
      expect(error).toContain(
        'Fix: find the registration named "Entra ID odd answers" in the platform and authorize it by hand',
      );
      expect(run.outputs['registration-id']).toBeUndefined();
      expect(run.outputs['client-id']).toBe(registration?.clientId);
      expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
      expect(run.log.masks).toContain(registration?.clientSecret);
      // The label warning is still given, after the secret was masked.
      expect(run.log.warnings).toHaveLength(1);
      expect(sim.requestsTo('authorize')).toHaveLength(0);
      expect(run.summary).toContain(registration?.clientId);
      expectNoSecretShown(run);
    }
  });

  it('incomplete credentials (a client secret with an unusable client_id): the secret is output, masked, with the registration id', async () => {
    sim.fault('create', {
      act: true,
      mutate: (body) => ({ ...body, credentials: { ...(body.credentials as object), clientId: '' } }),
    });
    const run = await runAction(provision());
    const [registration] = [...sim.registrations.values()];
    expect(run.exitCode).toBe(1);
    expect(run.log.errors[0]).toContain(
      `registration ${registration?.id} ("Entra ID odd answers") was created but cannot be used; its client-secret (masked) is in the step outputs`,
    );
    expect(run.outputs['registration-id']).toBe(registration?.id);
    expect(run.outputs['client-id']).toBeUndefined();
    expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
    expectNoSecretShown(run);
  });
});

describe('errors quote the most specific text the server gave (item 6)', () => {
  const cases: Array<{
    name: string;
    route: Route;
    mode?: 'token';
    status: number;
    type: string;
    body: string | Buffer;
    says: string;
  }> = [
    {
      name: 'RFC 9457 problem details: detail over title',
      route: 'login',
      status: 401,
      type: 'application/problem+json',
      body: JSON.stringify({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'The password has expired; reset it in the platform.',
      }),
      says: 'Login failed (HTTP 401): the platform answered "The password has expired; reset it in the platform."',
    },
    {
      name: 'a validation problem: the first message with its field',
      route: 'create',
      status: 400,
      type: 'application/problem+json; charset=utf-8',
      body: JSON.stringify({
        title: 'One or more validation errors occurred.',
        status: 400,
        errors: { Name: ['The Name must be at most 64 characters.'] },
      }),
      says: 'Create registration failed (HTTP 400): the platform answered "One or more validation errors occurred. Name: The Name must be at most 64 characters."',
    },
    {
      name: 'a SCIM error with scimType only',
      route: 'scim',
      mode: 'token',
      status: 400,
      type: 'application/scim+json',
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '400',
        scimType: 'invalidSyntax',
      }),
      says: 'SCIM check failed (HTTP 400): the platform answered "invalidSyntax"',
    },
    {
      name: 'an error body with a byte-order mark',
      route: 'login',
      status: 403,
      type: 'application/json',
      body: Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(JSON.stringify({ message: 'Account locked.' })),
      ]),
      says: 'Login failed (HTTP 403): the platform answered "Account locked."',
    },
  ];
  it.each(cases.map((c) => [c.name, c]))('%s', async (_, c) => {
    const inputs =
      c.mode === 'token'
        ? (() => {
            const record = sim.seedRegistration();
            return {
              mode: 'token',
              'base-url': sim.baseUrl,
              'client-id': record.clientId,
              'client-secret': record.clientSecret,
              'scim-check': 'true',
            };
          })()
        : provision();
    sim.fault(c.route, { status: c.status, contentType: c.type, body: c.body });
    const run = await runAction(inputs);
    expect(run.exitCode).toBe(1);
    expect(run.log.errors).toHaveLength(1);
    expect(run.log.errors[0]?.startsWith(c.says), run.log.errors[0]).toBe(true);
  });
});
