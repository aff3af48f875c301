/**
 * Workflow commands, end to end (the entry file against the simulator): no text from an
 * input or the server forms a workflow command. The runner obeys `::cmd::` at
 * a line's trimmed start and the legacy `##[cmd]` anywhere in a line; after
 * `stop-commands` it shows every later `::add-mask::` line in clear. The log
 * is read as the runner reads it (harness/runner.ts renderLog).
 */
import { describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { OWNER } from '../../harness/simulator.ts';
import { provisionInputs, withSimulator } from '../support/platform.ts';

const sim = withSimulator();

/** The commands the action itself issues, all in the `::cmd::` form. */
const OWN_COMMANDS = new Set(['add-mask', 'group', 'endgroup', 'debug', 'notice', 'warning', 'error']);

function simSecrets(): string[] {
  return [
    OWNER.password,
    ...[...sim.registrations.values()].map((r) => r.clientSecret),
    ...sim.loginTokens.keys(),
    ...sim.accessTokens.keys(),
  ];
}

/** The runner obeyed only the action's own commands, kept reading commands to the end, and showed no secret. */
function expectInert(run: ActionRun, errors: number): void {
  expect(run.log.stopped, 'stop-commands took effect').toBe(false);
  const foreign = run.log.commands.filter((c) => c.form !== 'v2' || !OWN_COMMANDS.has(c.name));
  expect(foreign, 'a workflow command the action did not mean to issue').toEqual([]);
  expect(run.log.setOutputs).toEqual({});
  expect(run.log.errors).toHaveLength(errors);
  for (const secret of simSecrets()) expect(run.log.text).not.toContain(secret);
  expect(run.stderr).toBe('');
}

const STOP = '##[stop-commands]x';
const FORGE = '##[set-output name=access-token;]forged';
const provision = (extra: Record<string, string> = {}): Record<string, string> =>
  provisionInputs(sim, {
    'scim-check': 'true',
    ...extra,
  });

describe('inputs cannot form a workflow command', () => {
  it('client-name "SCIM sync ##[stop-commands]x": later masks still apply, the bearer token is never shown', async () => {
    const run = await runAction(provision({ 'client-name': `SCIM sync ${STOP}` }));
    expect(run.exitCode, run.log.text).toBe(0);
    expectInert(run, 0);
    const [bearer] = sim.accessTokens.keys();
    expect(run.log.masks).toContain(bearer);
    // Shown as the user wrote it (an invisible break inside `##[`), not dropped.
    expect(run.log.text.replace(/\u200b/gu, '')).toContain(`("SCIM sync ${STOP}")`);
  });

  it('an email with ##[stop-commands] in it (echoed as "Logged in as …")', async () => {
    const email = `${STOP}@example.com`;
    sim.users.push({ ...OWNER, email });
    try {
      const run = await runAction(provision({ email }));
      expect(run.exitCode, run.log.text).toBe(0);
      expectInert(run, 0);
    } finally {
      sim.users.pop();
    }
  });

  it('a client-name that forges an output and a failure, in legacy and :: forms, with leading white space', async () => {
    const run = await runAction(provision({ 'client-name': `${FORGE} \u0085 ::error::x ##[error]y` }));
    expect(run.exitCode, run.log.text).toBe(0);
    expectInert(run, 0);
    expect(run.outputs['access-token']).toBe([...sim.accessTokens.keys()][0]);
  });
});

describe('the server cannot form a workflow command', () => {
  it('credentials.clientId "m2m-##[stop-commands]x" (printable ASCII, so a valid client_id, and logged)', async () => {
    const hostileId = `m2m-${STOP}`;
    sim.fault('create', {
      act: true,
      mutate: (body) => {
        const record = sim.registrations.get(String(body['clientId']));
        if (record) record.clientId = hostileId;
        (body['credentials'] as Record<string, unknown>)['clientId'] = hostileId;
        return body;
      },
    });
    const run = await runAction(provision());
    expect(run.exitCode, run.log.text).toBe(0);
    expectInert(run, 0);
    expect(run.outputs['client-id']).toBe(hostileId);
  });

  it('token_type "##[set-output name=access-token;]forged" sets no output', async () => {
    sim.fault('token', { act: true, mutate: (body) => ({ ...body, token_type: FORGE }) });
    const run = await runAction(provision());
    expect(run.exitCode, run.log.text).toBe(0);
    expectInert(run, 0);
    expect(run.outputs['access-token']).toBe([...sim.accessTokens.keys()][0]);
  });

  it('error text with ##[stop-commands] and ##[set-output]: one ::error::, nothing forged', async () => {
    sim.fault('token', {
      status: 401,
      body: JSON.stringify({ error: 'invalid_client', error_description: `${FORGE} ${STOP} ::stop-commands::y` }),
    });
    const run = await runAction(provision());
    expect(run.exitCode).toBe(1);
    expectInert(run, 1);
    expect(run.log.errors[0]).toMatch(/^Token failed \(HTTP 401\)/u);
    expect(run.outputs['access-token']).toBeUndefined();
  });

  it('a SCIM error detail with workflow commands', async () => {
    sim.fault('scim', {
      status: 401,
      contentType: 'application/scim+json',
      body: JSON.stringify({ detail: `${STOP} ${FORGE}`, scimType: '##[add-mask]Bearer' }),
    });
    const run = await runAction(provision());
    expect(run.exitCode).toBe(1);
    expectInert(run, 1);
    expect(run.log.masks).not.toContain('Bearer');
  });
});
