/**
 * The store steps of the documented workflows (README Quick start, docs/*.md)
 * do what the README promises, run for real with bash the way a runner runs a
 * `run:` step (`bash -e -o pipefail`), against a fake `gh` (and `az`) that
 * keeps secrets and variables per repository or environment:
 * - a successful run stores INVICTI_CLIENT_SECRET, INVICTI_CLIENT_ID and
 *   INVICTI_REGISTRATION_ID, and first copies the registration it replaces to
 *   INVICTI_PREVIOUS_REGISTRATION_ID (rotation step 3 finds it there);
 * - a run that failed after creating the registration stores its credentials
 *   apart, as INVICTI_UNFINISHED_*, and leaves the working ones untouched;
 * - the client secret never appears on a command line.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { docsExampleBlocks, yamlBlocks } from '../support/markdown.ts';
import { ROOT } from '../../harness/runner.ts';

interface StoreStep {
  if?: string;
  env?: Record<string, string>;
  run: string;
}

/** The first step of `job` in `text` that reads `steps.scim.outputs.client-secret` and runs a script. */
function storeStep(text: string, job: string): StoreStep {
  const doc = parse(text) as { jobs: Record<string, { steps: Array<StoreStep & { uses?: string }> }> };
  const step = doc.jobs[job]?.steps.find(
    (s) => typeof s.run === 'string' && JSON.stringify(s).includes('steps.scim.outputs.client-secret'),
  );
  if (!step) throw new Error(`no store step in job ${job}`);
  return step;
}

const README_BLOCKS = yamlBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
const DOCS = docsExampleBlocks(ROOT);
const docBlock = (file: string): string => DOCS.find((b) => b.file === file)?.text ?? '';

/** A fake `gh` (secret set / variable set / variable get) and `az` (keyvault secret set) over files in `state`. */
const FAKE_GH = `#!/usr/bin/env bash
set -eu
state="$FAKE_STATE"
printf '%s\\n' "gh $*" >> "$state/argv"
kind="$1" verb="$2" name="$3"; shift 3
scope=repo body=""
while [ $# -gt 0 ]; do
  case "$1" in
    --repo|-R) [ "$2" = "$EXPECTED_REPOSITORY" ] || { echo "wrong repo $2" >&2; exit 2; }; shift 2 ;;
    --env|-e) scope="env-$2"; shift 2 ;;
    --body|-b) body="$2"; shift 2 ;;
    *) echo "unknown flag $1" >&2; exit 2 ;;
  esac
done
[ -n "\${GH_TOKEN:-}" ] || { echo "no GH_TOKEN" >&2; exit 4; }
file="$state/$kind.$scope.$name"
case "$kind $verb" in
  "secret set") cat > "$file" ;;
  "variable set") printf '%s' "$body" > "$file" ;;
  "variable get") [ -f "$file" ] || { echo "variable $name was not found" >&2; exit 1; }; cat "$file"; echo ;;
  *) echo "unexpected: gh $kind $verb" >&2; exit 2 ;;
esac
`;
const FAKE_AZ = `#!/usr/bin/env bash
set -eu
printf '%s\\n' "az $*" >> "$FAKE_STATE/argv"
[ "$1 $2 $3" = "keyvault secret set" ] || { echo "unexpected az $*" >&2; exit 2; }
shift 3
name="" file=""
while [ $# -gt 0 ]; do
  case "$1" in
    --name) name="$2"; shift 2 ;;
    --file) file="$2"; shift 2 ;;
    --tags) shift; while [ $# -gt 0 ] && [ "\${1#--}" = "$1" ]; do shift; done ;;
    *) shift 2 ;;
  esac
done
[ "$(stat -c %a "$file" 2>/dev/null || stat -f %Lp "$file")" = 600 ] || { echo "secret file readable by others" >&2; exit 3; }
cp "$file" "$FAKE_STATE/keyvault.$name"
`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A repository's secrets and variables, kept by the fake gh between runs. */
function newRepository(): { state: string; bin: string; temp: string } {
  const root = mkdtempSync(join(tmpdir(), 'store-step-'));
  dirs.push(root);
  const state = join(root, 'state');
  const bin = join(root, 'bin');
  const temp = join(root, 'temp');
  for (const dir of [state, bin, temp]) spawnSync('mkdir', ['-p', dir]);
  writeFileSync(join(bin, 'gh'), FAKE_GH);
  writeFileSync(join(bin, 'az'), FAKE_AZ);
  chmodSync(join(bin, 'gh'), 0o755);
  chmodSync(join(bin, 'az'), 0o755);
  writeFileSync(join(state, 'argv'), '');
  return { state, bin, temp };
}

interface Run {
  outcome: 'success' | 'failure';
  clientId: string;
  clientSecret: string;
  registrationId: string;
  environment?: string;
}

/**
 * Runs a store step as a runner would after the action step `scim` ended with `run.outcome`:
 * its `if:` decides, its `env:` expressions are evaluated from the run, its script runs in bash -eo pipefail.
 * @returns whether the step ran, and its exit code
 */
function runStore(
  step: StoreStep,
  repo: ReturnType<typeof newRepository>,
  run: Run,
): { ran: boolean; code: number | null; stderr: string } {
  expect(step.if).toBe("${{ !cancelled() && steps.scim.outputs.client-secret != '' }}");
  if (run.clientSecret === '') return { ran: false, code: null, stderr: '' };
  const values: Record<string, string> = {
    'secrets.SECRETS_ADMIN_TOKEN': 'github_pat_fake',
    'steps.scim.outputs.client-id': run.clientId,
    'steps.scim.outputs.client-secret': run.clientSecret,
    'steps.scim.outputs.registration-id': run.registrationId,
    "steps.scim.outcome == 'success' && 'INVICTI' || 'INVICTI_UNFINISHED'":
      run.outcome === 'success' ? 'INVICTI' : 'INVICTI_UNFINISHED',
    'matrix.environment': run.environment ?? '',
    'vars.KEY_VAULT_NAME': 'kv-identity-prod',
  };
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(step.env ?? {})) {
    const expression = /^\$\{\{\s*(.*?)\s*\}\}$/u.exec(value)?.[1];
    if (expression !== undefined && !(expression in values)) throw new Error(`the test cannot evaluate ${value}`);
    env[name] = expression === undefined ? value : (values[expression] ?? '');
  }
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
    env: {
      PATH: `${repo.bin}:${process.env['PATH'] ?? ''}`,
      FAKE_STATE: repo.state,
      EXPECTED_REPOSITORY: 'octo-org/identity',
      GITHUB_REPOSITORY: 'octo-org/identity',
      RUNNER_TEMP: repo.temp,
      ...env,
    },
    encoding: 'utf8',
  });
  return { ran: true, code: result.status, stderr: result.stderr };
}

/** What the fake gh holds: `secret.<scope>.<NAME>` / `variable.<scope>.<NAME>` → value. */
function stored(repo: ReturnType<typeof newRepository>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(repo.state).filter((n) => n !== 'argv'))
    out[name] = readFileSync(join(repo.state, name), 'utf8');
  return out;
}

describe.skipIf(process.platform === 'win32')('the documented store steps, run with bash against a fake gh', () => {
  const cases: Array<[string, StoreStep, string | undefined]> = [
    ['README Quick start', storeStep(README_BLOCKS[0] ?? '', 'provision'), undefined],
    [
      'docs/owner-credential.md (password login)',
      storeStep(docBlock('docs/owner-credential.md'), 'provision'),
      undefined,
    ],
    [
      'docs/several-platforms.md (matrix job invicti-eu)',
      storeStep(docBlock('docs/several-platforms.md'), 'provision'),
      'invicti-eu',
    ],
    [
      'docs/several-platforms.md (organization job)',
      storeStep(docBlock('docs/several-platforms.md'), 'provision-organization'),
      'invicti-eu-subsidiary',
    ],
    ['docs/entra-id.md (Key Vault)', storeStep(docBlock('docs/entra-id.md'), 'provision'), undefined],
  ];

  it.each(cases)('%s: first run, rotation, a failed rotation', (_, step, environment) => {
    const repo = newRepository();
    const scope = environment === undefined ? 'repo' : `env-${environment}`;
    const first = runStore(step, repo, {
      outcome: 'success',
      clientId: 'm2m-1',
      clientSecret: 'secret one',
      registrationId: 'reg-1',
      environment,
    });
    expect(first, first.stderr).toMatchObject({ ran: true, code: 0 });
    expect(stored(repo)).toMatchObject({
      [`secret.${scope}.INVICTI_CLIENT_SECRET`]: 'secret one',
      [`variable.${scope}.INVICTI_CLIENT_ID`]: 'm2m-1',
      [`variable.${scope}.INVICTI_REGISTRATION_ID`]: 'reg-1',
    });
    expect(stored(repo)[`variable.${scope}.INVICTI_PREVIOUS_REGISTRATION_ID`]).toBeUndefined();

    // Rotation: the registration being replaced is kept findable for step 3 (delete it in the UI).
    const second = runStore(step, repo, {
      outcome: 'success',
      clientId: 'm2m-2',
      clientSecret: 'secret two',
      registrationId: 'reg-2',
      environment,
    });
    expect(second, second.stderr).toMatchObject({ ran: true, code: 0 });
    expect(stored(repo)).toMatchObject({
      [`secret.${scope}.INVICTI_CLIENT_SECRET`]: 'secret two',
      [`variable.${scope}.INVICTI_REGISTRATION_ID`]: 'reg-2',
      [`variable.${scope}.INVICTI_PREVIOUS_REGISTRATION_ID`]: 'reg-1',
    });

    // A late failure (authorize, verify or scim-check): stored apart; the working credentials stay.
    const failed = runStore(step, repo, {
      outcome: 'failure',
      clientId: 'm2m-3',
      clientSecret: 'secret three',
      registrationId: 'reg-3',
      environment,
    });
    expect(failed, failed.stderr).toMatchObject({ ran: true, code: 0 });
    expect(stored(repo)).toMatchObject({
      [`secret.${scope}.INVICTI_CLIENT_SECRET`]: 'secret two',
      [`variable.${scope}.INVICTI_CLIENT_ID`]: 'm2m-2',
      [`variable.${scope}.INVICTI_REGISTRATION_ID`]: 'reg-2',
      [`variable.${scope}.INVICTI_PREVIOUS_REGISTRATION_ID`]: 'reg-1',
      [`secret.${scope}.INVICTI_UNFINISHED_CLIENT_SECRET`]: 'secret three',
      [`variable.${scope}.INVICTI_UNFINISHED_CLIENT_ID`]: 'm2m-3',
      [`variable.${scope}.INVICTI_UNFINISHED_REGISTRATION_ID`]: 'reg-3',
    });

    // A failure before anything was created: the step does not run.
    expect(
      runStore(step, repo, { outcome: 'failure', clientId: '', clientSecret: '', registrationId: '', environment }).ran,
    ).toBe(false);

    // The secret never on a command line (a process listing would show it).
    const argv = readFileSync(join(repo.state, 'argv'), 'utf8');
    for (const secret of ['secret one', 'secret two', 'secret three']) expect(argv).not.toContain(secret);
  });

  it('the Key Vault variant puts the secret where the person who pastes it can read it, and leaves no file behind', () => {
    const repo = newRepository();
    const step = storeStep(docBlock('docs/entra-id.md'), 'provision');
    expect(
      runStore(step, repo, {
        outcome: 'success',
        clientId: 'm2m-1',
        clientSecret: 'secret one',
        registrationId: 'reg-1',
      }).code,
    ).toBe(0);
    expect(
      runStore(step, repo, {
        outcome: 'failure',
        clientId: 'm2m-2',
        clientSecret: 'secret two',
        registrationId: 'reg-2',
      }).code,
    ).toBe(0);
    expect(stored(repo)).toMatchObject({
      'keyvault.INVICTI-CLIENT-SECRET': 'secret one',
      'keyvault.INVICTI-UNFINISHED-CLIENT-SECRET': 'secret two',
    });
    expect(readdirSync(repo.temp)).toEqual([]);
    expect(existsSync(join(repo.temp, 'client-secret'))).toBe(false);
  });
});
