/**
 * The Entra flows (src/flows/entra-handoff.ts) over a scripted Microsoft side: the preflight's
 * stops (no SCIM job, a secret-token app, a missing key) before anything is saved, the set that
 * is tested and saved (only the app's own key names, never a `*`), the order test → save → test
 * saved → restart, the bounded retry of the saved test (injected sleep), and what the report
 * says Entra holds after each kind of failure.
 */
import { describe, expect, it } from 'vitest';
import type { ActionError } from '../../src/errors.ts';
import { TransportError } from '../../src/net/http.ts';
import { entraPreflight, handOff, handOffSet, SAVED_TEST_DELAYS_MS } from '../../src/flows/entra-handoff.ts';
import { entraHolds } from '../../src/runner/report.ts';
import { empty, json } from '../support/scripted-transport.ts';
import {
  graphCalls,
  INPUTS,
  JWT,
  microsoft,
  newEntraReport,
  OAUTH2_KEYS,
  SUB,
  testFailed,
  VALUES,
  type Microsoft,
} from '../support/scripted-microsoft.ts';

describe('entraPreflight', () => {
  it('signs in, finds the one SCIM job and reads the keys; records subject, job and previous client id', async () => {
    const { s, context } = microsoft();
    const entra = newEntraReport(INPUTS);
    const session = await entraPreflight(context, INPUTS, entra);
    expect(session.job.id).toBe('scim.0a1b');
    expect(entra).toMatchObject({
      subject: SUB,
      jobId: 'scim.0a1b',
      previousClientId: 'old-client-id',
      quarantined: false,
    });
    expect(graphCalls(s)).toEqual(['GET /jobs', 'GET /secrets']);
    // The scope names the Graph host of the inputs.
    const form = new URLSearchParams(s.requests[1]?.body ?? '');
    expect(form.get('scope')).toBe('https://graph.example.test/.default');
    expect(form.get('client_assertion')).toBe(JWT);
  });

  it('no SCIM job: provisioning not set up', async () => {
    const { context } = microsoft({ jobs: [{ id: 'gallery.1', templateId: 'gallery' }] });
    const error = (await entraPreflight(context, INPUTS, newEntraReport(INPUTS)).catch(
      (e: unknown) => e,
    )) as ActionError;
    expect(error.step).toBe('Entra find job');
    expect(error.why).toContain('no SCIM provisioning job (provisioning is not set up)');
    expect(error.why).toContain('gallery');
  });

  it('several SCIM jobs: refuses to guess', async () => {
    const { context } = microsoft({ jobs: [{ id: 'scim.1' }, { id: 'scim.2' }] });
    const error = (await entraPreflight(context, INPUTS, newEntraReport(INPUTS)).catch(
      (e: unknown) => e,
    )) as ActionError;
    expect(error.why).toContain('2 SCIM provisioning jobs (scim.1, scim.2)');
  });

  it('a secret-token app: choose the OAuth2 client credentials grant once in the portal', async () => {
    const { context } = microsoft({
      secrets: [
        { key: 'BaseAddress', value: 'https://p.test/api/scim/v2' },
        { key: 'SecretToken', value: '*' },
      ],
    });
    const error = (await entraPreflight(context, INPUTS, newEntraReport(INPUTS)).catch(
      (e: unknown) => e,
    )) as ActionError;
    expect(error.step).toBe('Entra read keys');
    expect(error.why).toContain('long-lived secret token');
    expect(error.howToFix).toContain('OAuth2 client credentials grant');
  });

  it('a missing token endpoint key is named, never added', async () => {
    const { context } = microsoft({ secrets: OAUTH2_KEYS.filter(({ key }) => key !== 'Oauth2TokenExchangeUri') });
    const error = (await entraPreflight(context, INPUTS, newEntraReport(INPUTS)).catch(
      (e: unknown) => e,
    )) as ActionError;
    expect(error.why).toContain('no key Oauth2TokenExchangeUri (the Token Endpoint)');
  });

  it('in check mode a key problem is a warning only', async () => {
    const { s, context } = microsoft({ secrets: [{ key: 'SecretToken', value: '*' }] });
    await entraPreflight(context, INPUTS, newEntraReport(INPUTS), true);
    expect(s.logs.some((line) => line.startsWith('warning:') && line.includes('long-lived secret token'))).toBe(true);
  });
});

describe('handOffSet', () => {
  it("sets the four fields under the app's own names, keeps clear keys, leaves hidden ones out", () => {
    const { set, changed } = handOffSet(
      {
        secrets: OAUTH2_KEYS,
        keys: {
          clientId: 'Oauth2ClientId',
          clientSecret: 'Oauth2ClientSecret',
          tokenUrl: 'Oauth2TokenExchangeUri',
          baseAddress: 'BaseAddress',
          secretToken: false,
        },
      },
      VALUES,
    );
    expect(set).toEqual([
      { key: 'BaseAddress', value: VALUES.scimUrl },
      { key: 'AuthenticationType', value: 'OAuth2ClientCredentialsGrant' },
      { key: 'Oauth2TokenExchangeUri', value: VALUES.tokenUrl },
      { key: 'Oauth2ClientId', value: VALUES.clientId },
      { key: 'Oauth2ClientSecret', value: VALUES.clientSecret },
    ]);
    expect(changed).toEqual(['Oauth2ClientId', 'Oauth2ClientSecret']);
    expect(set.some(({ value }) => value === '*')).toBe(false);
  });
});

describe('handOff', () => {
  async function run(overrides: Partial<Microsoft> = {}, delays?: readonly number[]) {
    const world = microsoft(overrides);
    const entra = newEntraReport(INPUTS);
    const session = await entraPreflight(world.context, INPUTS, entra);
    const error = await handOff(world.context, session, VALUES, entra, delays).then(
      () => undefined,
      (caught: unknown) => caught as ActionError,
    );
    return { ...world, entra, error };
  }

  it('tests the new set, saves it, tests the saved set; entra-updated true; no restart without quarantine', async () => {
    const { s, entra, error } = await run();
    expect(error).toBeUndefined();
    expect(graphCalls(s)).toEqual([
      'GET /jobs',
      'GET /secrets',
      'POST /jobs/scim.0a1b/validateCredentials saved=false',
      'PUT /secrets',
      'POST /jobs/scim.0a1b/validateCredentials saved=true',
    ]);
    expect(entra).toMatchObject({ newTest: 'passed', save: 'saved', savedTest: 'passed', updated: true });
    expect(entra.changedKeys).toEqual(['Oauth2ClientId', 'Oauth2ClientSecret']);
  });

  it('lifts a quarantine only after the saved test passed', async () => {
    const { s, entra } = await run({
      jobs: [{ id: 'scim.0a1b', templateId: 'scim', status: { code: 'Quarantine', quarantine: { reason: 'x' } } }],
    });
    expect(graphCalls(s).slice(-2)).toEqual([
      'POST /jobs/scim.0a1b/validateCredentials saved=true',
      'POST /jobs/scim.0a1b/restart',
    ]);
    expect(entra.quarantine).toBe('lifted');
  });

  it('the new set fails the test: nothing is saved, Graph is quoted, Entra holds the old values', async () => {
    const { s, entra, error } = await run({ validate: [testFailed] });
    expect(graphCalls(s)).not.toContain('PUT /secrets');
    expect(error?.step).toBe('Entra test new credentials');
    expect(error?.why).toContain('Microsoft Graph answered "CredentialValidationUnavailable: Token request failed"');
    expect(error?.why).toContain('still holds its old values');
    expect(entra).toMatchObject({ newTest: 'failed', save: 'not sent', updated: false });
  });

  it('the saved test fails right after saving, then passes: retried after the first delay', async () => {
    const { s, entra } = await run({ validate: [empty(), testFailed, empty()] });
    expect(s.sleeps).toEqual([SAVED_TEST_DELAYS_MS[0]]);
    expect(entra.updated).toBe(true);
  });

  it('the saved test keeps failing: bounded (< 1 minute of waits), Entra holds the new values, not updated', async () => {
    const { s, entra, error } = await run({ validate: [empty(), testFailed] });
    expect(s.sleeps).toEqual([...SAVED_TEST_DELAYS_MS]);
    expect(s.sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(60_000);
    expect(error?.step).toBe('Entra test saved credentials');
    expect(error?.why).toContain(`failed ${SAVED_TEST_DELAYS_MS.length + 1} times`);
    expect(error?.why).toContain('Microsoft Entra ID holds the new values');
    expect(entra).toMatchObject({ save: 'saved', savedTest: 'failed', updated: false });
  });

  it('a 403 on the saved test is not retried', async () => {
    const { s, error } = await run({
      validate: [empty(), json(403, { error: { code: 'Authorization_RequestDenied', message: 'no' } })],
    });
    expect(s.sleeps).toEqual([]);
    expect(error?.howToFix).toContain('Application.ReadWrite.OwnedBy');
  });

  it('the save gets no answer: Entra may hold the old or the new values', async () => {
    const { entra, error } = await run({ save: new TransportError('reset', 'the connection was reset', 'ECONNRESET') });
    expect(entra.save).toBe('sent');
    expect(error?.step).toBe('Entra save credentials');
    expect(error?.why).toContain('may hold the old or the new values');
  });

  it('the save is refused with a 4xx: nothing was saved', async () => {
    const { entra, error } = await run({ save: json(400, { error: { code: 'BadRequest', message: 'bad' } }) });
    expect(entra.save).toBe('refused');
    expect(error?.why).toContain('still holds its old values');
  });

  it('the restart fails: the new values are in Entra and tested, the quarantine is not lifted', async () => {
    const { entra, error } = await run({
      jobs: [{ id: 'scim.0a1b', status: { quarantine: { reason: 'x' } } }],
      restart: json(400, { error: { code: 'BadRequest', message: 'no' } }),
    });
    expect(entra).toMatchObject({ updated: true, quarantine: 'not lifted' });
    expect(error?.step).toBe('Entra lift quarantine');
    expect(error?.howToFix).toContain('Restart provisioning');
  });
});

describe('entraHolds', () => {
  it('says what Entra holds for each save state', () => {
    const entra = newEntraReport(INPUTS);
    expect(entraHolds(entra)).toContain('still holds its old values');
    expect(entraHolds({ ...entra, save: 'sent' })).toContain('may hold the old or the new values');
    expect(entraHolds({ ...entra, save: 'saved' })).toBe('Microsoft Entra ID holds the new values');
    expect(entraHolds(undefined)).toBeUndefined();
  });
});
