/**
 * "A documented way to run the action locally": `npm run local`
 * (scripts/run-local.ts) maps INVICTI_* variables to inputs and runs
 * dist/index.js under Node 24. Run here for real against the simulator,
 * with the environment a user's shell would give it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionYml, NODE24, ROOT } from '../../harness/runner.ts';
import { OWNER } from '../../harness/simulator.ts';
import { withSimulator } from '../support/platform.ts';

const sim = withSimulator({}, { reset: false });
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'run-local-test-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function runLocal(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(NODE24, [join(ROOT, 'scripts', 'run-local.ts')], {
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, ...env },
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

function secrets(): string[] {
  return [
    OWNER.password,
    ...[...sim.registrations.values()].map((r) => r.clientSecret),
    ...sim.loginTokens.keys(),
    ...sim.accessTokens.keys(),
  ];
}

describe('npm run local (scripts/run-local.ts)', () => {
  it('every input of action.yml has its INVICTI_* variable documented in the script', () => {
    const source = readFileSync(join(ROOT, 'scripts', 'run-local.ts'), 'utf8');
    for (const name of Object.keys(actionYml().inputs))
      expect(source).toContain(`INVICTI_${name.toUpperCase().replace(/-/gu, '_')}`);
  });

  it('provision, then token with the credentials it wrote to INVICTI_OUTPUTS_FILE', async () => {
    const outputsFile = join(dir, 'outputs.json');
    writeFileSync(outputsFile, 'old', { mode: 0o644 });
    const provisioned = await runLocal({
      MODE: 'provision',
      INVICTI_BASE_URL: sim.baseUrl,
      INVICTI_EMAIL: OWNER.email,
      INVICTI_PASSWORD: OWNER.password,
      INVICTI_SCIM_CHECK: 'true',
      INVICTI_OUTPUTS_FILE: outputsFile,
    });
    expect(provisioned.code).toBe(0);
    expect(provisioned.stdout).toContain('▸ Step 1: log in');
    expect(provisioned.stdout).toMatch(/client-secret +\*\*\*\n/u);
    expect(provisioned.stdout).toMatch(/access-token +\*\*\*\n/u);
    // The summary as the run's page shows it, not raw Markdown.
    expect(provisioned.stdout).toMatch(/\n {2}✅ Invicti SCIM credentials: provision succeeded\n {2}═+\n/u);
    expect(provisioned.stdout).toMatch(/\n +SCIM check +passed\n/u);
    expect(provisioned.stdout).not.toContain('### ');
    expect(provisioned.stdout).not.toContain('|---|');
    // Only provision's inputs in the "inputs:" line.
    const inputsLine = /inputs: .*/u.exec(provisioned.stdout)?.[0] ?? '';
    expect(inputsLine).toContain('verify=true');
    expect(inputsLine).toContain('(password, api-key not shown)');
    expect(inputsLine).not.toMatch(/client-id|client-secret/u);
    expect(statSync(outputsFile).mode & 0o777).toBe(0o600);
    const outputs = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, string>;
    const [registration] = [...sim.registrations.values()];
    expect(outputs['client-secret']).toBe(registration?.clientSecret);
    expect(registration?.name).toMatch(
      /^Invicti SCIM credentials \(local run by .+, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/u,
    );

    const token = await runLocal({
      INVICTI_MODE: 'token',
      INVICTI_BASE_URL: sim.baseUrl,
      INVICTI_CLIENT_ID: outputs['client-id'] ?? '',
      INVICTI_CLIENT_SECRET: outputs['client-secret'] ?? '',
      RUNNER_DEBUG: '1',
    });
    expect(token.code).toBe(0);
    expect(token.stdout).toContain('##[debug]POST /oauth/token → HTTP 200');
    expect(token.stdout).toContain('  ✅ Invicti SCIM credentials: token succeeded');
    // Token mode: verify, client-name and the Owner's inputs do not apply, so they are not listed.
    const tokenInputs = /inputs: .*/u.exec(token.stdout)?.[0] ?? '';
    expect(tokenInputs).toContain(`client-id=${outputs['client-id'] ?? ''}`);
    expect(tokenInputs).toContain('(client-secret not shown)');
    expect(tokenInputs).not.toMatch(/verify=|client-name=|client-description=|api-key|password|email=/u);
    expect(token.stdout).not.toContain('not read in mode');
    for (const secret of secrets()) {
      expect(provisioned.stdout + provisioned.stderr).not.toContain(secret);
      expect(token.stdout + token.stderr).not.toContain(secret);
    }
  });

  it('provision with INVICTI_API_KEY: no login, and the key is never printed (not even in the "inputs:" line)', async () => {
    const run = await runLocal({
      MODE: 'provision',
      INVICTI_BASE_URL: sim.baseUrl,
      INVICTI_API_KEY: OWNER.apiKey ?? '',
      INVICTI_VERIFY: 'false',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('(password, api-key not shown)');
    expect(run.stdout).not.toContain('▸ Step 1: log in');
    expect(run.stdout).toMatch(/Authenticated with +API key/u);
    expect(run.stdout + run.stderr).not.toContain(OWNER.apiKey);
  });

  it('an input of the other mode is named as not read, never echoed', async () => {
    const run = await runLocal({
      MODE: 'token',
      INVICTI_BASE_URL: sim.baseUrl,
      INVICTI_CLIENT_ID: 'nope',
      INVICTI_CLIENT_SECRET: 'wrong secret value',
      INVICTI_VERIFY: 'false',
      INVICTI_PASSWORD: 'a password',
    });
    expect(run.stdout).toContain('\n  not read in mode token: password, verify\n');
    expect(run.stdout).not.toMatch(/verify=false|a password/u);
  });

  it('a failure: the masked error, the failure summary and exit code 1', async () => {
    const run = await runLocal({
      MODE: 'token',
      INVICTI_BASE_URL: sim.baseUrl,
      INVICTI_CLIENT_ID: 'nope',
      INVICTI_CLIENT_SECRET: 'wrong secret value',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('##[error]Token failed (HTTP 401)');
    expect(run.stdout).toMatch(/Failed step +token\n/u);
    expect(run.stdout).not.toContain('wrong secret value');
  });

  it('refuses, before any request, an INVICTI_OUTPUTS_FILE inside the work tree that git would not ignore', async () => {
    const inside = join(ROOT, 'src', 'outputs-of-a-local-run.txt');
    const run = await runLocal({
      MODE: 'provision',
      INVICTI_BASE_URL: sim.baseUrl,
      INVICTI_EMAIL: OWNER.email,
      INVICTI_PASSWORD: OWNER.password,
      INVICTI_OUTPUTS_FILE: inside,
    });
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('is inside the work tree and not ignored by git');
    expect(existsSync(inside)).toBe(false);
    expect(sim.requests.filter((r) => r.url.includes('/login'))).toHaveLength(1); // only the earlier test's provision
  });

  it("no mode: the action's own input error", async () => {
    const run = await runLocal({ INVICTI_BASE_URL: sim.baseUrl });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('##[error]Invalid input: input "mode" is required');
  });
});
