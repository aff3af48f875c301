/**
 * Runs `dist/index.js` the way a GitHub runner does: a Node 24 process with
 * inputs as `INPUT_*` variables (action.yml defaults included), outputs
 * written to the `GITHUB_OUTPUT` file, the summary to `GITHUB_STEP_SUMMARY`;
 * and reads its log the way the runner shows it (`::add-mask::` applied
 * from the line it appears on, workflow commands turned into their display).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
/** The Node 24 binary the `node` devDependency installs (runs.using: node24). */
export const NODE24 = join(ROOT, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
export const DIST = join(ROOT, 'dist', 'index.js');

interface ActionYml {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, unknown>;
}

/** action.yml, parsed. */
export function actionYml(): ActionYml {
  return parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;
}

/** The log as the runner shows it. */
export interface RunnerLog {
  /** Displayed lines, masks applied as the runner applies them. */
  lines: string[];
  /** The whole displayed log. */
  text: string;
  /** Values registered with `::add-mask::`, in order. */
  masks: string[];
  /** `::error::` messages as displayed (masked). */
  errors: string[];
  warnings: string[];
  notices: string[];
}

export interface ActionRun {
  exitCode: number | null;
  /** Raw stdout (holds `::add-mask::<secret>` command lines: never assert on it for leaks). */
  stdout: string;
  stderr: string;
  log: RunnerLog;
  outputs: Record<string, string>;
  summary: string;
  durationMs: number;
}

/** Undoes `@actions/core`'s escapeData (`%` `\r` `\n`). */
function unescapeData(text: string): string {
  return text.replace(/%0D/gu, '\r').replace(/%0A/gu, '\n').replace(/%25/gu, '%');
}

/**
 * Renders stdout as the runner displays it. `::debug::` lines are shown only
 * with step debug logging on (`debug`), as on GitHub.
 */
export function renderLog(stdout: string, debug = false): RunnerLog {
  const masks: string[] = [];
  const lines: string[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const notices: string[] = [];
  const apply = (text: string): string => {
    let out = text;
    for (const mask of [...masks].sort((a, b) => b.length - a.length)) out = out.split(mask).join('***');
    return out;
  };
  // The runner reads stdout line by line as .NET's ReadLine does: \r\n, \n and a
  // lone \r all end a line (U+2028/U+2029 do not), and it masks each line alone.
  for (const raw of stdout.split(/\r\n|\r|\n/u)) {
    const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/su.exec(raw);
    if (command) {
      const [, name, data = ''] = command;
      const value = unescapeData(data);
      if (name === 'add-mask') {
        if (value !== '') masks.push(value);
        continue;
      }
      const shown = apply(value);
      if (name === 'error') errors.push(shown);
      if (name === 'warning') warnings.push(shown);
      if (name === 'notice') notices.push(shown);
      if (name === 'endgroup' || (name === 'debug' && !debug)) continue;
      lines.push(name === 'group' ? `▸ ${shown}` : name === 'debug' ? `##[debug]${shown}` : `##[${name}]${shown}`);
      continue;
    }
    lines.push(apply(raw));
  }
  return { lines, text: lines.join('\n'), masks, errors, warnings, notices };
}

/** Parses a `GITHUB_OUTPUT` file (`name<<delimiter` heredocs, or `name=value`). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/u.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const value: string[] = [];
      for (i += 1; i < lines.length && lines[i] !== delimiter; i += 1) value.push(lines[i] ?? '');
      out[name] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

export interface RunOptions {
  /** Extra environment (e.g. RUNNER_DEBUG, NODE_EXTRA_CA_CERTS). */
  env?: Record<string, string>;
  /** Kill the process after this long (ms); default 60 000. */
  killAfterMs?: number;
  /** Script to run instead of dist/index.js. */
  script?: string;
}

/**
 * The environment a runner gives a step (no proxy variables): runner
 * variables with `dir` as HOME and RUNNER_TEMP, the two command files, and
 * `INPUT_*` for `inputs` (names as in action.yml) over action.yml's defaults.
 */
export function runnerEnv(dir: string, outputFile: string, summaryFile: string, inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'octo-org/identity',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKFLOW: 'SCIM',
    RUNNER_TEMP: dir,
  };
  for (const [name, spec] of Object.entries(actionYml().inputs)) {
    if (spec.default !== undefined) env[`INPUT_${name.toUpperCase()}`] = String(spec.default);
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

/**
 * Spawns the action under Node 24 with `inputs` (names as in action.yml)
 * plus action.yml's defaults, in a clean environment (no proxy variables).
 */
export async function runAction(inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env = { ...runnerEnv(dir, outputFile, summaryFile, inputs), ...(options.env ?? {}) };

  const started = performance.now();
  const child = spawn(NODE24, [options.script ?? DIST], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000);
  const exitCode = await new Promise<number | null>((resolveExit) => child.on('close', (code) => resolveExit(code)));
  clearTimeout(killer);
  const durationMs = performance.now() - started;
  const run: ActionRun = {
    exitCode,
    stdout,
    stderr,
    log: renderLog(stdout, env['RUNNER_DEBUG'] === '1'),
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    durationMs,
  };
  rmSync(dir, { recursive: true, force: true });
  return run;
}
