/**
 * Issue 15, "failure, cancellation, security" of the Entra hand-off beyond the
 * main paths: a lost answer to the save, cancels before and after it,
 * Retry-After on Entra and on the save, redirects of Entra and Graph never
 * followed with a token, a quarantine that cannot be lifted, and runs without
 * the Entra inputs touching nothing of Microsoft. End to end under Node 24.
 */
import { describe, expect, it } from 'vitest';
import { graphError, newSetOnly, savedOnly, scimJob, testFailed, throttled } from '../../harness/microsoft.ts';
import { runAction } from '../../harness/runner.ts';
import { OWNER } from '../../harness/simulator.ts';
import {
  expectNotShown,
  expectOneError,
  expectRegistrationKept,
  madeRegistration,
  microsoftSecrets,
  provisionWithEntra,
  startWitness,
  useEntraWorld,
  withIdToken,
} from '../support/entra.ts';

const w = useEntraWorld();

describe('the answer to the save is lost', () => {
  it('once: the same set is sent again (PUT is idempotent) and the hand-off completes', async () => {
    w.ms.fault('save', { act: true, reset: 'after', times: 1 });
    const run = await runAction(provisionWithEntra(w.sim, w.ms), withIdToken(w.ms));
    expect(run.exitCode, run.log.text).toBe(0);
    const [first, second, ...more] = w.ms.requestsTo('save');
    expect(more).toEqual([]);
    expect(second?.body).toBe(first?.body);
    expect(w.ms.savedCredentials().clientId).toBe(madeRegistration(w)?.clientId);
    expect(run.outputs['entra-updated']).toBe('true');
  });

  it('every time: the error says Entra may hold the old or the new values; the registration is kept', async () => {
    w.ms.fault('save', { reset: 'after', act: true });
    const run = await runAction(provisionWithEntra(w.sim, w.ms), withIdToken(w.ms));
    const error = expectOneError(run);
    expect(error).toMatch(/old or (the )?new|new or (the )?old/iu);
    expectRegistrationKept(w, run.outputs);
    expect(run.outputs['entra-updated']).toBe('false');
    // max-attempts (3), plus the one free resend of a reset on a kept-alive connection.
    expect(w.ms.requestsTo('save').length).toBeLessThanOrEqual(4);
  });
});

describe('cancel', () => {
  it('while Entra tests the new set (before the save): Entra holds the old values', async () => {
    w.ms.fault('validate', { match: newSetOnly, delayMs: 15_000 });
    const run = await runAction(provisionWithEntra(w.sim, w.ms), {
      ...withIdToken(w.ms),
      signal: { name: 'SIGTERM', when: () => w.ms.requestsTo('validate').length > 0 },
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.log.errors).toHaveLength(1);
    expect(run.log.errors[0]).toMatch(/old/iu);
    expect(run.log.errors[0]).not.toMatch(/old or (the )?new|new or (the )?old/iu);
    expectRegistrationKept(w, run.outputs);
    expect(run.outputs['entra-updated']).toBe('false');
    expect(w.ms.requestsTo('save')).toEqual([]);
    expect(w.ms.savedCredentials().clientId).toBe(w.previous.clientId);
  });

  it('while waiting to test the saved set again (after the save): Entra holds the new values', async () => {
    w.ms.fault('validate', { match: savedOnly, ...testFailed('The token endpoint answered HTTP 401.') });
    const run = await runAction(provisionWithEntra(w.sim, w.ms), {
      ...withIdToken(w.ms),
      signal: { name: 'SIGTERM', when: () => w.ms.requestsTo('validate').filter((r) => savedOnly(r.body)).length > 0 },
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.log.errors).toHaveLength(1);
    expect(run.log.errors[0]).toMatch(/new/iu);
    expectRegistrationKept(w, run.outputs);
    expect(run.outputs['entra-updated']).toBe('false');
    expect(w.ms.savedCredentials().clientId).toBe(madeRegistration(w)?.clientId);
    expect(run.signalToExitMs ?? Infinity).toBeLessThan(5_000);
  });
});

describe('Retry-After', () => {
  it('a 503 from the Entra token endpoint is retried after the time it asks', async () => {
    w.ms.fault('entra-token', {
      times: 1,
      status: 503,
      headers: { 'retry-after': '1' },
      body: { error: 'temporarily_unavailable', error_description: 'AADSTS90033: busy', error_codes: [90033] },
    });
    const run = await runAction(provisionWithEntra(w.sim, w.ms), withIdToken(w.ms));
    expect(run.exitCode, run.log.text).toBe(0);
    const [first, second] = w.ms.requestsTo('entra-token');
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('a 429 on the save is retried after the time it asks, and the set is saved once', async () => {
    w.ms.fault('save', throttled(1));
    const run = await runAction(provisionWithEntra(w.sim, w.ms), withIdToken(w.ms));
    expect(run.exitCode, run.log.text).toBe(0);
    const [first, second] = w.ms.requestsTo('save');
    expect([first?.status, second?.status]).toEqual([429, 204]);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(run.outputs['entra-updated']).toBe('true');
  });
});

describe('redirects are never followed with a token', () => {
  it.each(['entra-token', 'jobs'] as const)('a 307 from %s to another server: it sees nothing', async (route) => {
    const other = await startWitness();
    try {
      w.ms.fault(route, { redirect: `${other.url}/elsewhere` });
      const run = await runAction(provisionWithEntra(w.sim, w.ms), withIdToken(w.ms));
      expectOneError(run);
      expect(other.seen).toEqual([]);
      expect(w.sim.requestsTo('create')).toEqual([]);
      expectNotShown(run, microsoftSecrets(w.ms));
    } finally {
      await other.close();
    }
  });
});

describe('a quarantine that cannot be lifted', () => {
  it('fails the step but says Entra holds the new values and its test passed (entra-updated true)', async () => {
    w.ms.jobs = [scimJob(true)];
    w.ms.fault('restart', graphError(400, 'BadRequest', 'The job cannot be restarted now.'));
    const run = await runAction(provisionWithEntra(w.sim, w.ms), withIdToken(w.ms));
    const error = expectOneError(run);
    expect(error).toMatch(/quarantine/iu);
    expect(error).toMatch(/new/iu);
    expect(run.outputs['entra-updated']).toBe('true');
    expect(w.ms.savedCredentials().clientId).toBe(madeRegistration(w)?.clientId);
    expectRegistrationKept(w, run.outputs);
  });
});

describe('the OIDC request', () => {
  it('asks for audience api://AzureADTokenExchange with the request token; a URL without a query gets ?audience=', async () => {
    const env = w.ms.env();
    const url = (env['ACTIONS_ID_TOKEN_REQUEST_URL'] ?? '').replace(/\?.*$/u, '');
    const run = await runAction(
      provisionWithEntra(w.sim, w.ms),
      withIdToken(w.ms, { ACTIONS_ID_TOKEN_REQUEST_URL: url }),
    );
    expect(run.exitCode, run.log.text).toBe(0);
    const [oidc] = w.ms.requestsTo('oidc');
    expect(oidc?.url).toBe(`${new URL(url).pathname}?audience=api%3A%2F%2FAzureADTokenExchange`);
    expect(oidc?.headers['authorization']).toBe(`Bearer ${w.ms.requestToken}`);
  });

  it('a request token the OIDC service refuses (401) stops the run before the platform', async () => {
    const run = await runAction(
      provisionWithEntra(w.sim, w.ms),
      withIdToken(w.ms, { ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'expired-request-token' }),
    );
    expectOneError(run);
    expect(w.sim.requests).toEqual([]);
    expect(w.ms.requestsTo('oidc')).toHaveLength(1);
    expectNotShown(run, ['expired-request-token']);
  });
});

describe('without the Entra inputs', () => {
  it('nothing of Microsoft runs, even with the OIDC variables set; no entra outputs', async () => {
    const run = await runAction(
      { mode: 'provision', 'base-url': w.sim.baseUrl, 'api-key': OWNER.apiKey ?? '' },
      withIdToken(w.ms),
    );
    expect(run.exitCode, run.log.text).toBe(0);
    expect(w.ms.requests).toEqual([]);
    expect(run.outputs['entra-updated']).toBeUndefined();
    expect(run.log.text).not.toMatch(/Entra/u);
  });
});
