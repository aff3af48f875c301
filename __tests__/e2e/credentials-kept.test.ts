/**
 * Usable credentials are never thrown away, end to end (the entry file under
 * Node 24 against the simulator): JSON labelled text/plain is read with a
 * warning, a registration id that is not a UUID is used as given, and when
 * create's answer cannot be used, the client id and secret it did carry are
 * still output (masked) with the registration named.
 */
import { describe, expect, it } from 'vitest';
import { runAction } from '../../harness/runner.ts';
import { PlatformSimulator, ROUTES, type Route } from '../../harness/simulator.ts';
import { expectProvisioned, provisionInputs, withSimulator } from '../support/platform.ts';
import { expectNoSecretShown } from '../support/secrets.ts';

const sim = withSimulator();

const provision = (server: PlatformSimulator = sim): Record<string, string> =>
  provisionInputs(server, { 'client-name': 'Entra ID odd answers', 'scim-check': 'true' });

describe('usable credentials are never thrown away', () => {
  it('create answers 201 with its JSON labelled text/plain: read, one warning, the run goes on and succeeds', async () => {
    sim.fault('create', { act: true, relabel: 'text/plain; charset=utf-8' });
    const run = await runAction(provision());
    expectProvisioned(run, sim);
    expect(run.log.warnings).toEqual([
      'Create registration (HTTP 201): the response is labelled text/plain but holds JSON; it was read as JSON',
    ]);
    expect(run.log.masks).toContain(sim.registrations.values().next().value?.clientSecret);
  });

  it('every step labels its JSON text/plain: read with one warning per step', async () => {
    for (const route of ROUTES) sim.fault(route, { act: true, relabel: 'text/plain' });
    const run = await runAction(provision());
    expectProvisioned(run, sim);
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
      const run = await runAction(provision(other));
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
      expectNoSecretShown(run, sim);
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
    expectNoSecretShown(run, sim);
  });
});
