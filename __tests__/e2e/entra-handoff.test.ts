/**
 * Issue 15, end to end: a provision (or token) run with the Entra inputs hands
 * the new credentials to the simulated Microsoft Entra ID, which tests them
 * against the platform simulator before and after saving them. The entry file
 * runs under Node 24 as a runner runs it (harness/runner.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  graphError,
  HIDDEN_KEYS,
  KEY_NAMES,
  newSetOnly,
  savedOnly,
  scimJob,
  testFailed,
  throttled,
} from '../../harness/microsoft.ts';
import { runAction } from '../../harness/runner.ts';
import { renderMarkdown } from '../support/markdown.ts';
import {
  expectNotShown,
  expectOneError,
  expectRegistrationKept,
  madeRegistration,
  microsoftSecrets,
  provisionWithEntra,
  startWitness,
  useEntraWorld,
  tokenWithEntra,
  withIdToken,
} from '../support/entra.ts';

const w = useEntraWorld();

/** The `{key,value}` list a PUT …/secrets carried. */
function savedBodies(): Array<Array<{ key: string; value: string }>> {
  return w.ms
    .requestsTo('save')
    .map((r) => (JSON.parse(r.body) as { value: Array<{ key: string; value: string }> }).value);
}

describe.each(['oauth2', 'client'] as const)('provision hands the new credentials to Entra (%s key names)', (style) => {
  it('Entra saves the new set under the names it uses and its test of the saved set passes', async () => {
    await w.restart({ keyStyle: style });
    const keysBefore = w.ms.secrets.map((s) => s.key);
    const clearBefore = w.ms.secrets.filter((s) => !HIDDEN_KEYS.has(s.key) && !/Client|BaseAddress|Uri/u.test(s.key));
    const run = await runAction(provisionWithEntra(w.sim, w.ms), withIdToken(w.ms));
    expect(run.exitCode, run.log.text).toBe(0);
    const registration = madeRegistration(w);
    expect(registration?.authorized).toBe(true);

    // Entra holds the new registration, under the key names it already used.
    expect(w.ms.savedCredentials()).toEqual({
      tenantUrl: run.outputs['scim-url'],
      tokenUrl: run.outputs['token-url'],
      clientId: registration?.clientId,
      clientSecret: registration?.clientSecret,
    });
    expect(w.ms.saved(KEY_NAMES[style].clientId)).toBe(run.outputs['client-id']);
    expect(w.ms.secrets.map((s) => s.key)).toEqual(keysBefore);
    for (const kept of clearBefore) expect(w.ms.saved(kept.key)).toBe(kept.value);
    // One save, never a '*', never a key the app did not hold.
    const [saved, ...more] = savedBodies();
    expect(more).toEqual([]);
    for (const entry of saved ?? []) {
      expect(entry.value).not.toBe('*');
      expect(keysBefore).toContain(entry.key);
    }
    // Entra tested the new set before saving (nothing saved yet), then the saved set; both passed.
    expect(w.ms.tests.map((t) => [t.useSavedCredentials, t.passed, t.clientId])).toEqual([
      [false, true, registration?.clientId],
      [true, true, registration?.clientId],
    ]);
    const order = w.ms.requests.map((r) => r.route);
    expect(order.indexOf('save')).toBeGreaterThan(order.indexOf('validate'));
    expect(order.lastIndexOf('validate')).toBeGreaterThan(order.indexOf('save'));
    expect(w.ms.requestsTo('restart')).toEqual([]);
    // Entra's test authenticated with HTTP Basic: the platform's token route saw it.
    expect(w.sim.requestsTo('token').some((r) => r.headers['authorization']?.startsWith('Basic '))).toBe(true);

    expect(run.outputs['entra-updated']).toBe('true');
    expect(run.outputs['entra-job-id']).toBe(w.ms.job.id);
    // The summary names the app, the job, the changed keys and the previous client id, never a value.
    expect(run.summary).toContain(w.ms.servicePrincipalId);
    expect(run.summary).toContain(w.ms.job.id);
    expect(run.summary).toContain(KEY_NAMES[style].clientSecret);
    expect(run.summary).toContain(w.previous.clientId);
    expectNotShown(run, [...microsoftSecrets(w.ms), registration?.clientSecret ?? '', w.previous.clientSecret]);
    for (const token of microsoftSecrets(w.ms)) expect(run.log.masks).toContain(token);
  });
});

describe('token mode hands over the given credentials after proving them', () => {
  it('finishes a rotation whose hand-off failed: Entra holds the given registration afterwards', async () => {
    const registration = w.sim.seedRegistration({ name: 'made by an earlier run' });
    const run = await runAction(tokenWithEntra(w.sim, w.ms, registration), withIdToken(w.ms));
    expect(run.exitCode, run.log.text).toBe(0);
    expect(w.ms.savedCredentials().clientId).toBe(registration.clientId);
    expect(w.ms.savedCredentials().clientSecret).toBe(registration.clientSecret);
    expect(w.ms.tests.at(-1)).toMatchObject({ useSavedCredentials: true, passed: true });
    expect(run.outputs['entra-updated']).toBe('true');
    // Proved by step 4 (a form-body token request from the action) before Entra was asked.
    const firstActionToken = w.sim.requestsTo('token').findIndex((r) => r.headers['authorization'] === undefined);
    expect(firstActionToken).toBe(0);
    expectNotShown(run, [...microsoftSecrets(w.ms), registration.clientSecret]);
  });
});

describe('the tenant by its domain name', () => {
  it('signs in to contoso.onmicrosoft.com as to the tenant id', async () => {
    const run = await runAction(
      provisionWithEntra(w.sim, w.ms, { 'entra-tenant-id': 'contoso.onmicrosoft.com' }),
      withIdToken(w.ms),
    );
    expect(run.exitCode, run.log.text).toBe(0);
    expect(w.ms.requestsTo('entra-token')[0]?.url).toBe('/contoso.onmicrosoft.com/oauth2/v2.0/token');
  });
});

describe('quarantine', () => {
  it('is lifted (QuarantineState only) after the test of the saved set passed', async () => {
    w.ms.jobs = [scimJob(true)];
    const run = await runAction(provisionWithEntra(w.sim, w.ms), withIdToken(w.ms));
    expect(run.exitCode, run.log.text).toBe(0);
    expect(w.ms.restarts).toEqual([{ criteria: { resetScope: 'QuarantineState' } }]);
    expect(w.ms.job.status.code).toBe('Active');
    const order = w.ms.requests.map((r) => r.route);
    expect(order.indexOf('restart')).toBeGreaterThan(order.lastIndexOf('validate'));
    expect(w.ms.tests.at(-1)).toMatchObject({ useSavedCredentials: true, passed: true });
    expect(run.outputs['entra-updated']).toBe('true');
  });

  it('is not lifted when the test of the saved set keeps failing; the error says Entra holds the new values', async () => {
    w.ms.jobs = [scimJob(true)];
    w.ms.fault('validate', { match: savedOnly, ...testFailed('The SCIM endpoint answered HTTP 401.') });
    const run = await runAction(provisionWithEntra(w.sim, w.ms), withIdToken(w.ms));
    const error = expectOneError(run);
    expect(w.ms.requestsTo('restart')).toEqual([]);
    expect(w.ms.job.status.code).toBe('Quarantine');
    expect(w.ms.savedCredentials().clientId).toBe(madeRegistration(w)?.clientId);
    expect(run.outputs['entra-updated']).toBe('false');
    expectRegistrationKept(w, run.outputs);
    expect(error).toMatch(/new/iu);
    // Bounded: a few attempts, well under a minute.
    const saved = w.ms.requestsTo('validate').filter((r) => savedOnly(r.body));
    expect(saved.length).toBeLessThan(10);
    expect((saved.at(-1)?.at ?? 0) - (saved[0]?.at ?? 0)).toBeLessThan(60_000);
  }, 90_000);
});

describe('Graph catching up', () => {
  it('the test of the saved set fails once right after saving, then passes: retried, entra-updated true', async () => {
    w.ms.fault('validate', { match: savedOnly, times: 1, ...testFailed('The token endpoint answered HTTP 401.') });
    const run = await runAction(provisionWithEntra(w.sim, w.ms), withIdToken(w.ms));
    expect(run.exitCode, run.log.text).toBe(0);
    expect(w.ms.requestsTo('validate').filter((r) => savedOnly(r.body))).toHaveLength(2);
    expect(w.ms.requestsTo('save')).toHaveLength(1);
    expect(run.outputs['entra-updated']).toBe('true');
  }, 60_000);
});

describe('throttling', () => {
  it('a 429 with Retry-After on a Graph call is retried after the time it asks', async () => {
    w.ms.fault('jobs', throttled(1));
    const run = await runAction(provisionWithEntra(w.sim, w.ms), withIdToken(w.ms));
    expect(run.exitCode, run.log.text).toBe(0);
    const [first, second] = w.ms.requestsTo('jobs');
    expect(first?.status).toBe(429);
    expect(second?.status).toBe(200);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(run.outputs['entra-updated']).toBe('true');
  });

  it('a 403 is not retried', async () => {
    w.ms.forbidden = true;
    const run = await runAction(provisionWithEntra(w.sim, w.ms), withIdToken(w.ms));
    expectOneError(run);
    expect(w.ms.requestsTo('jobs')).toHaveLength(1);
  });
});

describe('Entra refuses the new set (validateCredentials with useSavedCredentials false)', () => {
  it('saves nothing, keeps the registration in the outputs, quotes Graph inertly', async () => {
    const before = w.ms.secrets.map((s) => ({ ...s }));
    w.ms.fault('validate', {
      match: newSetOnly,
      ...graphError(400, 'BadRequest', 'Bad credentials\n::warning::injected [link](https://evil.example) %0A'),
    });
    const run = await runAction(provisionWithEntra(w.sim, w.ms), withIdToken(w.ms));
    const error = expectOneError(run);
    expect(w.ms.requestsTo('save')).toEqual([]);
    expect(w.ms.secrets).toEqual(before);
    expectRegistrationKept(w, run.outputs);
    expect(run.outputs['entra-updated']).toBe('false');
    expect(error).toContain('BadRequest');
    expect(error).toContain('Bad credentials');
    expect(error).toMatch(/old/iu);
    expect(run.log.warnings).toEqual([]);
    expect(run.log.commands.filter((c) => c.name === 'warning')).toEqual([]);
    expect(renderMarkdown(run.summary).live.filter((element) => element.includes('evil.example'))).toEqual([]);
  });

  it('a new set under an unknown key name is refused by Entra (500 InternalError) and nothing is saved', async () => {
    // The app holds a key outside the enumeration in clear: Graph would refuse the whole set.
    w.ms.fault('validate', {
      match: newSetOnly,
      ...graphError(500, 'InternalError', "Requested value 'Oauth2ClientID' was not found."),
    });
    const run = await runAction(provisionWithEntra(w.sim, w.ms), withIdToken(w.ms));
    const error = expectOneError(run);
    expect(error).toContain('InternalError');
    expect(w.ms.requestsTo('save')).toEqual([]);
    expectRegistrationKept(w, run.outputs);
  }, 60_000);
});

describe('cancel during the save', () => {
  it('SIGTERM while the PUT is held open: the outputs keep the registration; Entra may hold old or new values', async () => {
    w.ms.fault('save', { delayMs: 15_000 });
    const run = await runAction(provisionWithEntra(w.sim, w.ms), {
      ...withIdToken(w.ms),
      signal: { name: 'SIGTERM', when: () => w.ms.requestsTo('save').length > 0 },
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.log.errors).toHaveLength(1);
    const error = run.log.errors[0] ?? '';
    expectRegistrationKept(w, run.outputs);
    expect(run.outputs['entra-updated']).toBe('false');
    expect(error).toMatch(/old or (the )?new|new or (the )?old/iu);
    expect(run.signalToExitMs ?? Infinity).toBeLessThan(5_000);
    expectNotShown(run, microsoftSecrets(w.ms));
  });
});

describe('secrets of the Microsoft side', () => {
  it('are masked and never shown, also with step debug logging on', async () => {
    const run = await runAction(provisionWithEntra(w.sim, w.ms), withIdToken(w.ms, { RUNNER_DEBUG: '1' }));
    expect(run.exitCode, run.log.text).toBe(0);
    const secrets = microsoftSecrets(w.ms);
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    for (const secret of secrets) expect(run.log.masks).toContain(secret);
    expectNotShown(run, [...secrets, madeRegistration(w)?.clientSecret ?? '']);
  });

  it('the request token does not follow a redirect of the OIDC URL to another server', async () => {
    const other = await startWitness();
    try {
      w.ms.fault('oidc', { redirect: `${other.url}/stolen?audience=x` });
      const run = await runAction(provisionWithEntra(w.sim, w.ms), withIdToken(w.ms));
      expectOneError(run);
      expect(other.seen).toEqual([]);
      expect(w.ms.requestsTo('oidc')).toHaveLength(1);
      expect(w.sim.requestsTo('create')).toEqual([]);
      expectNotShown(run, [w.ms.requestToken]);
    } finally {
      await other.close();
    }
  });
});
