/**
 * The GITHUB_STEP_SUMMARY file a runner shows, end to end (the entry file
 * under Node 24 against the simulator): its content on success and on each
 * failure, no secret in any scenario, and hostile text from the server or the
 * inputs rendered as plain text (markdown-it as GitHub renders it,
 * support/markdown.ts). The renderer itself: runner/summary*.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { expectInert, renderMarkdown } from '../support/markdown.ts';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { OWNER, type RegistrationRecord } from '../../harness/simulator.ts';
import { provisionInputs, withSimulator } from '../support/platform.ts';
import { expectNoSecretShown, simulatorSecrets } from '../support/secrets.ts';

const PHISH = 'Session expired. [Sign in again](https://phish.example.test) ![x](https://pixel.example.test/p.png)';

/** The summary's table rows as a reader sees them (rendered Markdown): [name, value] pairs. */
function rowsOf(markdown: string): string[][] {
  return renderMarkdown(markdown).tables.flat();
}

describe('the GITHUB_STEP_SUMMARY file, end to end', () => {
  const sim = withSimulator();

  /** Every secret of the scenario (inputs, and whatever the simulator issued) absent; the summary written. */
  function expectNoSecrets(run: ActionRun, extra: string[] = []): void {
    expect(run.summary).not.toBe('');
    expectNoSecretShown(run, simulatorSecrets(sim, extra));
  }

  function seedClient(authorized = true): RegistrationRecord {
    return sim.seedRegistration({ authorized });
  }

  const provision = (extra: Record<string, string> = {}): Promise<ActionRun> =>
    runAction({ mode: 'provision', 'base-url': sim.baseUrl, email: OWNER.email, password: OWNER.password, ...extra });

  it('provision with scim-check succeeds: the full summary', async () => {
    const run = await provision({ 'scim-check': 'true', 'client-name': 'Entra ID prod' });
    expect(run.exitCode).toBe(0);
    const [registration] = [...sim.registrations.values()];
    const lines = run.summary.split('\n');
    expect(lines[0]).toBe('### ✅ Invicti SCIM credentials: provision succeeded');
    for (const line of [
      '| Mode | provision |',
      `| Base URL | \`${sim.baseUrl}\` |`,
      '| Region | (custom base-url) |',
      '| Authenticated with | email and password (inputs email and password, exchanged for a login token by step 1) |',
      `| Registration id | \`${registration?.id}\` |`,
      '| Client name | Entra ID prod |',
      `| client-id | \`${registration?.clientId}\` |`,
      '| Authorized | yes |',
      '| Verified (token obtained) | yes |',
      '| Token type | Bearer |',
      '| SCIM check | passed |',
      `| Tenant URL | \`${sim.baseUrl}/api/scim/v2\` |`,
      `| Token Endpoint | \`${sim.baseUrl}/oauth/token?audience=${sim.baseUrl}/api\` |`,
      `| Client Identifier | \`${registration?.clientId}\` |`,
    ]) {
      expect(lines).toContain(line);
    }
    expect(run.summary).toContain(`| Token expires | ${run.outputs['expires-at']} (in 60 min; lifetime 3600 s) |`);
    expectNoSecrets(run);
  });

  it('token mode succeeds', async () => {
    const client = seedClient();
    const run = await runAction({
      mode: 'token',
      'base-url': sim.baseUrl,
      'client-id': client.clientId,
      'client-secret': client.clientSecret,
    });
    expect(run.exitCode).toBe(0);
    expect(run.summary).toContain('### ✅ Invicti SCIM credentials: token succeeded');
    expect(run.summary).toContain(`| Client Identifier | \`${client.clientId}\` |`);
    expect(run.summary).toContain('| Token type | Bearer |');
    expectNoSecrets(run, [client.clientSecret]);
  });

  it('an input error: written too, naming the input', async () => {
    const run = await runAction({ mode: 'provision', 'base-url': sim.baseUrl, email: OWNER.email, password: '' });
    expect(run.exitCode).toBe(1);
    expect(run.summary).toContain('### ❌ Invicti SCIM credentials failed');
    expect(run.summary).toContain('| Failed step | inputs |');
    expect(rowsOf(run.summary)).toContainEqual(['Why', 'input "password" is empty but input "email" is set']);
    expectNoSecrets(run);
  });

  it('a wrong password: the login step, 401, why and fix', async () => {
    const wrong = 'not the password 42';
    const run = await runAction({ mode: 'provision', 'base-url': sim.baseUrl, email: OWNER.email, password: wrong });
    expect(run.exitCode).toBe(1);
    expect(run.summary).toContain('| Failed step | login |');
    expect(run.summary).toContain('| HTTP status | 401 |');
    expect(rowsOf(run.summary)).toContainEqual(['Why', 'the platform answered "Invalid email address or password."']);
    expect(rowsOf(run.summary).find(([name]) => name === 'Fix')?.[1]).toMatch(
      /^check the email and password inputs of an Owner account; they must belong to 127\.0\.0\.1:\d+$/u,
    );
    expect(run.summary).toContain('| Registration id | (none created) |');
    expectNoSecrets(run, [wrong]);
  });

  it('a server that echoes the password in its error: redacted from the summary too', async () => {
    sim.fault('login', { status: 401, body: JSON.stringify({ message: `Password ${OWNER.password} is wrong` }) });
    const run = await provision();
    expect(run.exitCode).toBe(1);
    expect(rowsOf(run.summary)).toContainEqual(['Why', 'the platform answered "Password *** is wrong"']);
    expectNoSecrets(run);
  });

  it('a server that echoes the client secret in a token error (token mode)', async () => {
    const client = seedClient();
    sim.fault('token', {
      status: 401,
      body: JSON.stringify({ error: 'invalid_client', error_description: `secret ${client.clientSecret} rejected` }),
    });
    const run = await runAction({
      mode: 'token',
      'base-url': sim.baseUrl,
      'client-id': client.clientId,
      'client-secret': client.clientSecret,
    });
    expect(run.exitCode).toBe(1);
    expect(run.summary).toContain('| Platform error | `invalid_client` |');
    expect(rowsOf(run.summary).find(([name]) => name === 'Why')?.[1]).toContain('secret *** rejected');
    expectNoSecrets(run, [client.clientSecret]);
  });

  it('a registration that was created but not authorized: named and kept, the hand-off carries a warning', async () => {
    sim.fault('authorize', {
      status: 403,
      body: JSON.stringify({ message: 'Forbidden: this operation requires the Owner role.' }),
    });
    const run = await provision();
    expect(run.exitCode).toBe(1);
    const [registration] = [...sim.registrations.values()];
    expect(run.summary).toContain('| Failed step | authorize |');
    expect(run.summary).toContain(`| Registration id | \`${registration?.id}\` |`);
    expect(run.summary).toContain('| Authorized | no |');
    expect(run.summary).toContain('| Verified (token obtained) | no |');
    expect(run.summary).toContain('> The run failed at step "authorize"');
    expect(rowsOf(run.summary).find(([name]) => name === 'Why')?.[1]).toContain(
      `registration ${registration?.id} was created but not authorized`,
    );
    expectNoSecrets(run);
  });

  it('verify fails after create: the token step, with the registration', async () => {
    sim.fault('token', {
      status: 401,
      body: JSON.stringify({ error: 'invalid_client', error_description: 'Client authentication failed.' }),
    });
    const run = await provision({ 'scim-check': 'true' });
    expect(run.exitCode).toBe(1);
    expect(run.summary).toContain('| Failed step | token |');
    expect(run.summary).toContain('| Authorized | yes |');
    expect(run.summary).toContain('| SCIM check | not run (an earlier step failed) |');
    expectNoSecrets(run);
  });

  it('token mode with an unauthorized registration: access_denied and its fix', async () => {
    const client = seedClient(false);
    const run = await runAction({
      mode: 'token',
      'base-url': sim.baseUrl,
      'client-id': client.clientId,
      'client-secret': client.clientSecret,
    });
    expect(run.exitCode).toBe(1);
    expect(run.summary).toContain('| Failed step | token |');
    expect(run.summary).toContain('| HTTP status | 403 |');
    expect(run.summary).toContain('| Platform error | `access_denied` |');
    expect(run.summary).toContain('never authorized for the platform API');
    expectNoSecrets(run, [client.clientSecret]);
  });

  it('no summary file (a runner without GITHUB_STEP_SUMMARY) is not an error', async () => {
    const run = await runAction(
      { mode: 'token', 'base-url': sim.baseUrl, 'client-id': seedClient().clientId, 'client-secret': 'x'.repeat(20) },
      { env: { GITHUB_STEP_SUMMARY: '' } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.summary).toBe('');
    expect(run.log.errors).toHaveLength(1);
    expect(run.log.errors[0]).toMatch(/^Token failed \(HTTP 401\)/u);
  });
});

describe('hostile text in the GITHUB_STEP_SUMMARY file renders as plain text', () => {
  const sim = withSimulator();

  it('a 401 error_description with a phishing link and a tracking pixel, and a client-name with a lone \\r', async () => {
    sim.fault('token', { status: 401, body: JSON.stringify({ error: 'invalid_client', error_description: PHISH }) });
    const run = await runAction(
      provisionInputs(sim, {
        'client-name': 'SCIM\r| x | y |\rsync',
      }),
    );
    expect(run.exitCode).toBe(1);
    const rows = expectInert(run.summary);
    expect(rows.get('Why')?.[0]).toContain(`the platform answered "invalid_client: ${PHISH}"`);
    expect(rows.get('Client name')).toEqual(['SCIM | x | y | sync']);
    expect(rows.get('Failed step')).toEqual(['token']);
    expect([...rows.keys()]).toContain('Token Endpoint');
  });
});
