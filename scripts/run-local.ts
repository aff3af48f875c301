/**
 * Runs the bundled action (dist/index.js) on your machine, outside a
 * workflow, the way a runner runs it: under Node 24, inputs as `INPUT_*`
 * variables (action.yml's defaults filled in), outputs and step summary in
 * temporary GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files. It then prints the log
 * as a runner would show it (every `::add-mask::` value as ***), the outputs
 * (client-secret and access-token as ***) and the step summary as the run's
 * page shows it (Markdown rendered as plain text, as `npm run demo` does).
 * The "inputs:" line lists only the inputs of the chosen mode.
 *
 * Inputs come from environment variables: input `<name>` from
 * `INVICTI_<NAME>` (upper case, `-` → `_`): INVICTI_MODE (or MODE),
 * INVICTI_BASE_URL, INVICTI_REGION, INVICTI_AUDIENCE, INVICTI_API_KEY, INVICTI_EMAIL,
 * INVICTI_PASSWORD, INVICTI_ORGANIZATION_ID, INVICTI_CLIENT_ID, INVICTI_CLIENT_SECRET, INVICTI_CLIENT_NAME,
 * INVICTI_CLIENT_DESCRIPTION, INVICTI_VERIFY, INVICTI_SCIM_CHECK,
 * INVICTI_TIMEOUT_SECONDS, INVICTI_MAX_ATTEMPTS, INVICTI_CA_CERTIFICATE; for the hand-off to
 * Microsoft Entra ID (and MODE=entra-check) INVICTI_ENTRA_TENANT_ID, INVICTI_ENTRA_CLIENT_ID,
 * INVICTI_ENTRA_SERVICE_PRINCIPAL_ID, INVICTI_ENTRA_LOGIN_URL, INVICTI_ENTRA_GRAPH_URL, with
 * ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN passed through (`npm run
 * simulator` prints all of them for its simulated tenant).
 * INVICTI_OUTPUTS_FILE=<path> also writes every output, secrets included, to
 * that file as JSON (mode 0600): the only way to keep a client secret made by
 * a local `provision` run. RUNNER_DEBUG=1 shows the debug lines.
 * Proxy variables (https_proxy, no_proxy) and NODE_EXTRA_CA_CERTS pass through.
 *
 *   MODE=token INVICTI_REGION=eu INVICTI_CLIENT_ID=… INVICTI_CLIENT_SECRET=… npm run local
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { actionYml, DIST, NODE24, parseOutputFile, renderLog, ROOT } from '../harness/runner.ts';
import { renderSummary } from './render-summary.ts';

const SECRET_OUTPUTS = new Set(['client-secret', 'access-token']);
/** Inputs never echoed in the "inputs:" line. */
const SECRET_INPUTS = new Set(['password', 'api-key', 'client-secret']);
/** Inputs that only one mode reads (README, Inputs: the "modes" column); every other input applies to both. */
const ONLY_IN_MODE: Record<string, string> = {
  'api-key': 'provision',
  email: 'provision',
  password: 'provision',
  'organization-id': 'provision',
  'client-name': 'provision',
  'client-description': 'provision',
  verify: 'provision',
  'client-id': 'token',
  'client-secret': 'token',
};
/** Variables of a runner's step that this script provides itself. */
const RUNNER_FILES = ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STATE'];

/** The environment variable that carries input `name`. */
function envNameOf(input: string): string {
  return `INVICTI_${input.toUpperCase().replace(/-/gu, '_')}`;
}

if (!existsSync(DIST)) {
  console.error(`${DIST} does not exist: run "npm run bundle" first.`);
  process.exit(2);
}

// The outputs file holds the client secret: never where `git add` could pick it up.
// Checked before the run, so a registration is never made whose secret cannot be kept.
const outputsPath = process.env['INVICTI_OUTPUTS_FILE'] ? resolve(process.env['INVICTI_OUTPUTS_FILE']) : undefined;
if (outputsPath !== undefined) {
  const inTree = relative(ROOT, outputsPath);
  const insideWorkTree = inTree !== '' && !inTree.startsWith('..') && !isAbsolute(inTree);
  const ignored = (): boolean =>
    spawnSync('git', ['check-ignore', '--quiet', '--no-index', inTree], { cwd: ROOT }).status === 0;
  if (insideWorkTree && !ignored()) {
    console.error(
      `INVICTI_OUTPUTS_FILE (${outputsPath}) is inside the work tree and not ignored by git, and it would hold the client secret: ` +
        `write it outside, e.g. INVICTI_OUTPUTS_FILE="${join(tmpdir(), 'invicti-scim-outputs.json')}".`,
    );
    process.exit(2);
  }
}

const inputs: Record<string, string> = {};
for (const [name, spec] of Object.entries(actionYml().inputs)) {
  const value = process.env[envNameOf(name)] ?? (name === 'mode' ? process.env['MODE'] : undefined) ?? spec.default;
  if (value !== undefined) inputs[name] = String(value);
}
// Locally there is no repository or run to name the registration after.
const who = `${userInfo().username}@${hostname()}`;
if ((inputs['mode'] ?? '').trim().toLowerCase() === 'provision') {
  inputs['client-name'] ??= `Invicti SCIM credentials (local run by ${who}, ${new Date().toISOString().slice(0, 19)}Z)`;
  inputs['client-description'] ??=
    `SCIM provisioning client created by the invicti-scim-credentials action, run locally by ${who}`;
}

const dir = mkdtempSync(join(tmpdir(), 'invicti-scim-local-'));
const outputFile = join(dir, 'output');
const summaryFile = join(dir, 'summary');
writeFileSync(outputFile, '');
writeFileSync(summaryFile, '');

const env: Record<string, string> = {};
for (const [name, value] of Object.entries(process.env)) {
  if (
    value === undefined ||
    name.startsWith('INVICTI_') ||
    name.startsWith('INPUT_') ||
    name === 'MODE' ||
    RUNNER_FILES.includes(name)
  )
    continue;
  env[name] = value;
}
for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
Object.assign(env, { GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, RUNNER_TEMP: dir });

const node = existsSync(NODE24) ? NODE24 : process.execPath;
const mode = (inputs['mode'] ?? '').trim().toLowerCase();
const applies = (name: string): boolean => ONLY_IN_MODE[name] === undefined || ONLY_IN_MODE[name] === mode;
const shown = Object.entries(inputs)
  .filter(([name]) => applies(name) && !SECRET_INPUTS.has(name))
  .map(([name, value]) => `${name}=${value}`)
  .join(' ');
const hidden = [...SECRET_INPUTS].filter(applies);
// Set by the user for the other mode: the action does not read them.
const ignored = Object.keys(inputs).filter((name) => !applies(name) && process.env[envNameOf(name)] !== undefined);
console.log(
  `Running ${DIST} under ${node}\n  inputs: ${shown}${hidden.length > 0 ? ` (${hidden.join(', ')} not shown)` : ''}` +
    (ignored.length > 0 ? `\n  not read in mode ${mode}: ${ignored.join(', ')}` : ''),
);

const child = spawn(node, [DIST], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
let stdout = '';
let stderr = '';
child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));

const log = renderLog(stdout, env['RUNNER_DEBUG'] === '1');
const masked = (text: string): string => {
  let out = text;
  for (const secret of [...log.masks].sort((a, b) => b.length - a.length)) out = out.split(secret).join('***');
  return out;
};
const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
const summary = readFileSync(summaryFile, 'utf8');
rmSync(dir, { recursive: true, force: true });

console.log('\n--- log, as a runner shows it ---');
for (const line of log.lines) if (line !== '') console.log(`  ${line}`);
if (stderr.trim() !== '') console.log(`--- stderr ---\n${masked(stderr)}`);
console.log('\n--- outputs (secrets shown as ***) ---');
for (const [name, value] of Object.entries(outputs)) {
  console.log(`  ${name.padEnd(16)} ${SECRET_OUTPUTS.has(name) || log.masks.includes(value) ? '***' : value}`);
}
if (outputsPath !== undefined) {
  // `mode` applies only when the file is created: tighten an existing one first.
  if (existsSync(outputsPath)) chmodSync(outputsPath, 0o600);
  writeFileSync(outputsPath, `${JSON.stringify(outputs, null, 2)}\n`, { mode: 0o600 });
  console.log(`  (all outputs, secrets included, written to ${outputsPath}, mode 600)`);
}
console.log("\n--- step summary, as the run's page shows it ---");
console.log(renderSummary(masked(summary)).replace(/^(?=.)/gmu, '  '));
console.log(`Exit code ${exitCode}`);
process.exit(exitCode);
