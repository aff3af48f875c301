/**
 * End to end (the entry file under Node 24 against the simulator): hostile or
 * broken answers stay bounded, and text from outside cannot change what the
 * reader sees (issue 16 §5).
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { tokenInputs, withSimulator } from '../support/platform.ts';
import { LIST_RESPONSE_SCHEMA, OWNER, type RegistrationRecord } from '../../harness/simulator.ts';

const sim = withSimulator();

function tokenRun(client: RegistrationRecord, extra: Record<string, string> = {}): Promise<ActionRun> {
  return runAction(tokenInputs(sim, { ...extra }, client));
}

function provisionRun(extra: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    mode: 'provision',
    'base-url': sim.baseUrl,
    email: OWNER.email,
    password: OWNER.password,
    ...extra,
  });
}

function failure(run: ActionRun): string {
  expect(run.exitCode).toBe(1);
  expect(run.log.errors).toHaveLength(1);
  return run.log.errors[0] ?? '';
}

const BIDI = /[\u202a-\u202e\u2066-\u2069]/u;

describe('stacked Content-Encoding', () => {
  it('the same coding listed thousands of times fails at once, on the first attempt', async () => {
    const answer = JSON.stringify({ access_token: 'tok-abcdefgh', token_type: 'Bearer', expires_in: 60 });
    sim.fault('token', {
      status: 200,
      body: gzipSync(gzipSync(answer)),
      headers: { 'content-encoding': Array.from({ length: 3000 }, () => 'gzip').join(',') },
    });
    const run = await tokenRun(sim.seedRegistration(), { 'max-attempts': '3' });
    const error = failure(run);
    expect(error).toContain(
      'a response with more than 99 content codings stacked (Content-Encoding; the action decodes at most one)',
    );
    expect(error).toContain('it was not retried');
    expect(sim.requestsTo('token')).toHaveLength(1);
    expect(run.outputs['access-token']).toBeUndefined();
  });
});

describe('server credentials outside their bounds', () => {
  it.each(['S', 'St', 'Ste'])(
    'a client secret of %j: refused as malformed, the registration named and output, the log not garbled',
    async (secret) => {
      sim.fault('create', {
        act: true,
        mutate: (body) => ({ ...body, credentials: { ...(body['credentials'] as object), clientSecret: secret } }),
      });
      const run = await provisionRun();
      const registration = [...sim.registrations.values()][0];
      const error = failure(run);
      expect(error).toContain(`credentials.clientSecret is malformed: ${secret.length} character`);
      expect(error).toContain(`registration ${registration?.id}`);
      expect(run.outputs['registration-id']).toBe(registration?.id);
      expect(run.outputs['client-id']).toBe(registration?.clientId);
      expect(run.outputs['client-secret']).toBeUndefined();
      expect(run.log.masks).not.toContain(secret);
      expect(run.log.text).toContain('Step 2');
    },
  );

  it('a 2 MB credentials.clientId reaches neither the log, the outputs nor the summary', async () => {
    const huge = `m2m-${'x'.repeat(2 * 1024 * 1024)}`;
    sim.fault('create', {
      act: true,
      mutate: (body) => ({ ...body, credentials: { ...(body['credentials'] as object), clientId: huge } }),
    });
    const run = await provisionRun();
    const error = failure(run);
    expect(error).toContain('no valid credentials.clientId');
    expect(run.outputs['client-id']).toBeUndefined();
    expect(run.log.text.length).toBeLessThan(64 * 1024);
    expect(run.summary.length).toBeLessThan(64 * 1024);
    expect(run.outputFile.length).toBeLessThan(64 * 1024);
  });
});

describe('a SCIM list that ignores count', () => {
  it('is read once, not three times, and the error says the server ignored count', async () => {
    const groups = Array.from({ length: 120_000 }, (_, i) => ({ id: `g-${i}`, displayName: `Team ${i}` }));
    const body = JSON.stringify({ schemas: [LIST_RESPONSE_SCHEMA], totalResults: groups.length, Resources: groups });
    expect(body.length).toBeGreaterThan(4 * 1024 * 1024);
    sim.fault('groups', { status: 200, contentType: 'application/scim+json', body });
    const run = await tokenRun(sim.seedRegistration(), { 'scim-check': 'true', 'max-attempts': '3' });
    const error = failure(run);
    expect(sim.requestsTo('groups')).toHaveLength(1);
    expect(error).toContain('larger than 4 MiB');
    expect(error).toContain('the server ignored count=1 of GET /Groups?count=1&excludedAttributes=members');
  });
});

describe('text from outside', () => {
  it('bidi controls in a server error reach neither the log, the annotations nor the summary', async () => {
    sim.fault('token', {
      status: 401,
      body: JSON.stringify({
        error: 'invalid_client',
        error_description: 'Bad secret \u202eteg\u202c; \u2066rotate\u2069 it',
      }),
    });
    const run = await tokenRun(sim.seedRegistration(), { 'max-attempts': '1' });
    const error = failure(run);
    expect(error).toContain('Bad secret teg; rotate it');
    for (const shown of [run.log.text, ...run.log.errors, ...run.log.warnings, ...run.log.notices, run.summary])
      expect(shown).not.toMatch(BIDI);
  });

  it('an e-mail address in client-name sits in a code span in the summary, not as an escaped autolink', async () => {
    const run = await provisionRun({ 'client-name': 'SCIM for ops@example.com' });
    expect(run.exitCode).toBe(0);
    expect(run.summary).toContain('SCIM for `ops@example.com`');
    expect(run.summary).not.toContain('\\@');
  });
});
