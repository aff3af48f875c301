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

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
/** The Node 24 binary the `node` devDependency installs (runs.using: node24). */
export const NODE24 = join(ROOT, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
export const DIST = join(ROOT, 'dist', 'index.js');
/** The action's sources' entry file: Node 24 runs it as it is (type stripping), so no build sits between a change and its test. */
export const SRC_ENTRY = join(ROOT, 'src', 'index.ts');
/**
 * The entry file the end-to-end runs execute: `src/index.ts` by default, so
 * `npm test` always runs the sources as they are now; `ACTION_ENTRY=dist`
 * runs the committed `dist/index.js`, as runners do (`.ci/run` does both).
 */
export const ENTRY = process.env['ACTION_ENTRY'] === 'dist' ? DIST : SRC_ENTRY;

interface ActionYml {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, unknown>;
}

/** action.yml, parsed. */
export function actionYml(): ActionYml {
  return parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;
}

/** A workflow command the runner obeyed (`ActionCommandManager.TryProcessCommand`). */
export interface ObeyedCommand {
  /** Lower case, as registered. */
  name: string;
  /** `v2`: `::name props::data` at the trimmed line start; `legacy`: `##[name props]data` anywhere in a line. */
  form: 'v2' | 'legacy';
  properties: Record<string, string>;
  /** Unescaped. */
  data: string;
}

/** The log as the runner shows it. */
export interface RunnerLog {
  /** Displayed lines, masks applied as the runner applies them. */
  lines: string[];
  /** The whole displayed log. */
  text: string;
  /** Values registered with `::add-mask::` (and applied), in order. */
  masks: string[];
  /** `::error::` messages as displayed (masked). */
  errors: string[];
  warnings: string[];
  notices: string[];
  /** Every command the runner obeyed, in order (stop-commands and its resume token included). */
  commands: ObeyedCommand[];
  /** Outputs set through the log (`set-output`), by name: later ones win, as on the runner. */
  setOutputs: Record<string, string>;
  /** Command processing was still turned off (`stop-commands`) when the log ended. */
  stopped: boolean;
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
  /** With `signal`: milliseconds from sending it to the process's exit. */
  signalToExitMs?: number;
  /** The raw GITHUB_OUTPUT file (append-only: a name written twice appears twice). */
  outputFile: string;
}

/**
 * The commands the runner registers (actions/runner `ActionCommandManager`,
 * its command extensions); names are matched without regard to case.
 */
export const RUNNER_COMMANDS: readonly string[] = [
  'stop-commands',
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'debug',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'echo',
];

/** Undoes one of the runner's escapings: each `[escape, character]` pair replaced in turn, in the runner's order. */
function unescaper(pairs: ReadonlyArray<readonly [string, string]>): (text: string) => string {
  return (text) => pairs.reduce((done, [escape, character]) => done.replaceAll(escape, character), text);
}

/** Undoes the runner's data escaping of `::` commands (`%0D` `%0A` `%25`, in that order). */
const unescapeData = unescaper([
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%'],
]);

/** Undoes the runner's escaping of `##[` commands (`%3B` `%0D` `%0A` `%5D` `%25`, in that order). */
const unescapeLegacy = unescaper([
  ['%3B', ';'],
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%5D', ']'],
  ['%25', '%'],
]);

/** Undoes the runner's escaping of `::` command properties (`%0D` `%0A` `%3A` `%2C` `%25`, in that order). */
const unescapeProperty = unescaper([
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%'],
]);

/** .NET's `String.TrimStart()` (Char.IsWhiteSpace) united with JavaScript's: errs toward reading a command. */
const LEADING_SPACE = /^[\s\u0085]+/u;

/** actions/runner `ActionCommand.TryParseV2`: `::name props::data` after leading white space. */
export function parseV2(line: string, registered: ReadonlySet<string>): ObeyedCommand | undefined {
  const message = line.replace(LEADING_SPACE, '');
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const name = (space < 0 ? info : info.slice(0, space)).toLowerCase();
  if (name === '' || !registered.has(name)) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .trim()
      .split(',')
      .filter((p) => p !== '')) {
      const at = pair.indexOf('=');
      if (at > 0 && at < pair.length - 1) properties[pair.slice(0, at)] = unescapeProperty(pair.slice(at + 1));
    }
  }
  return { name, form: 'v2', properties, data: unescapeData(message.slice(end + 2)) };
}

/** actions/runner `ActionCommand.TryParse`: the first `##[name props]data` anywhere in the line. */
export function parseLegacy(line: string, registered: ReadonlySet<string>): ObeyedCommand | undefined {
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const close = line.indexOf(']', prefix);
  if (close < 0) return undefined;
  const info = line.slice(prefix + 3, close);
  const space = info.indexOf(' ');
  const name = (space < 0 ? info : info.slice(0, space)).toLowerCase();
  if (name === '' || !registered.has(name)) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .split(';')
      .filter((p) => p !== '')) {
      const at = pair.indexOf('=');
      if (at > 0 && at < pair.length - 1) properties[pair.slice(0, at)] = unescapeLegacy(pair.slice(at + 1));
    }
  }
  return { name, form: 'legacy', properties, data: unescapeLegacy(line.slice(close + 1)) };
}

/**
 * Renders stdout as the runner displays it, obeying workflow commands as
 * actions/runner does (`ActionCommandManager.TryProcessCommand`): each line
 * (ended by `\r\n`, `\n` or a lone `\r`, as .NET's ReadLine ends them) is
 * read as a `::name::data` command (at the trimmed start), else as a legacy
 * `##[name]data` command (anywhere in the line); `stop-commands` turns command
 * processing off until its token comes back as a command (`::TOKEN::` or
 * `##[TOKEN]`), and meanwhile command lines, `::add-mask::` included, are
 * printed as they are. Masks apply to the lines after them. `::debug::` lines
 * are shown only with step debug logging on (`debug`), as on GitHub.
 */
export function renderLog(stdout: string, debug = false): RunnerLog {
  const log: RunnerLog = {
    lines: [],
    text: '',
    masks: [],
    errors: [],
    warnings: [],
    notices: [],
    commands: [],
    setOutputs: {},
    stopped: false,
  };
  const registered = new Set(RUNNER_COMMANDS);
  let stopToken: string | undefined;
  // As the runner's SecretMasker: every occurrence of every mask is found in
  // the line as printed, overlapping or touching ones are merged, and each
  // merged stretch becomes one `***` (so a secret that holds `*` cannot match
  // the `***` of another). Deduplicated again only after masks were added (a
  // burst of 500 000 masks must not cost that per line).
  let unique: string[] = [];
  let seen = 0;
  const apply = (text: string): string => {
    if (seen !== log.masks.length) {
      unique = [...new Set(log.masks)];
      seen = log.masks.length;
    }
    const ranges: Array<[number, number]> = [];
    for (const mask of unique) {
      for (let at = text.indexOf(mask); at !== -1; at = text.indexOf(mask, at + 1)) ranges.push([at, at + mask.length]);
    }
    if (ranges.length === 0) return text;
    ranges.sort((a, b) => a[0] - b[0]);
    let out = '';
    let [start, end] = ranges[0] ?? [0, 0];
    let last = 0;
    for (const [from, to] of ranges.slice(1)) {
      if (from <= end) {
        end = Math.max(end, to);
        continue;
      }
      out += `${text.slice(last, start)}***`;
      last = end;
      [start, end] = [from, to];
    }
    return `${out}${text.slice(last, start)}***${text.slice(end)}`;
  };
  for (const raw of stdout.split(/\r\n|\r|\n/u)) {
    const command =
      raw.includes('::') || raw.includes('##[')
        ? (parseV2(raw, registered) ?? parseLegacy(raw, registered))
        : undefined;
    if (!command) {
      log.lines.push(apply(raw));
      continue;
    }
    if (stopToken !== undefined) {
      // Stopped: only the token resumes; every other command line is printed as is.
      if (command.name === stopToken.toLowerCase()) {
        log.commands.push(command);
        registered.delete(command.name);
        stopToken = undefined;
      }
      log.lines.push(apply(raw));
      continue;
    }
    log.commands.push(command);
    const shown = (): string => apply(command.data);
    switch (command.name) {
      case 'stop-commands':
        stopToken = command.data;
        registered.add(command.data.toLowerCase());
        log.lines.push(apply(raw));
        break;
      case 'add-mask':
        if (command.data.trim() !== '') log.masks.push(command.data);
        break;
      case 'set-output':
        if (command.properties['name']) log.setOutputs[command.properties['name']] = command.data;
        break;
      case 'error':
      case 'warning':
      case 'notice':
        (command.name === 'error' ? log.errors : command.name === 'warning' ? log.warnings : log.notices).push(shown());
        log.lines.push(`##[${command.name}]${shown()}`);
        break;
      case 'group':
        log.lines.push(`▸ ${shown()}`);
        break;
      case 'endgroup':
        break;
      case 'debug':
        if (debug) log.lines.push(`##[debug]${shown()}`);
        break;
      default:
        log.lines.push(`##[${command.name}]${shown()}`);
    }
  }
  log.stopped = stopToken !== undefined;
  log.text = log.lines.join('\n');
  return log;
}

/**
 * Parses a `GITHUB_OUTPUT` file (`name<<delimiter` heredocs, or `name=value`).
 * As the runner reads it, a line ends with `\r\n` or `\n` (`os.EOL` is `\r\n`
 * on Windows), and a heredoc's lines are joined with the line ends they had.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const lines: Array<{ line: string; eol: string }> = [];
  for (let at = 0; at < text.length;) {
    const lf = text.indexOf('\n', at);
    const end = lf === -1 ? text.length : lf;
    const crlf = end > at && text[end - 1] === '\r';
    lines.push({ line: text.slice(at, crlf ? end - 1 : end), eol: lf === -1 ? '' : crlf ? '\r\n' : '\n' });
    at = end + 1;
  }
  const out: Record<string, string> = {};
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]?.line ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/u.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      let value = '';
      for (i += 1; i < lines.length && lines[i]?.line !== delimiter; i += 1) {
        value += `${lines[i]?.line ?? ''}${lines[i + 1]?.line === delimiter ? '' : (lines[i]?.eol ?? '')}`;
      }
      out[name] = value;
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
  /** Send `name` to the action (as the runner does on cancel) as soon as `when()` is true (polled every 5 ms). */
  signal?: { name: NodeJS.Signals; when: () => boolean };
}

/**
 * The environment a runner gives a step (no proxy variables): runner
 * variables (GITHUB_JOB included, so the default client-name carries its
 * `job <job id>` part) with `dir` as HOME and RUNNER_TEMP, the two command files, and
 * `INPUT_*` for `inputs` (names as in action.yml) over action.yml's defaults.
 */
export function runnerEnv(
  dir: string,
  outputFile: string,
  summaryFile: string,
  inputs: Record<string, string>,
): Record<string, string> {
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
    GITHUB_JOB: 'provision',
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
  const child = spawn(NODE24, [options.script ?? ENTRY], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000);
  let signalledAt: number | undefined;
  const signal = options.signal;
  const poller = signal
    ? setInterval(() => {
        if (signalledAt !== undefined || !signal.when()) return;
        signalledAt = performance.now();
        child.kill(signal.name);
      }, 5)
    : undefined;
  const exitCode = await new Promise<number | null>((resolveExit) => child.on('close', (code) => resolveExit(code)));
  const exitedAt = performance.now();
  clearTimeout(killer);
  clearInterval(poller);
  const durationMs = performance.now() - started;
  const run: ActionRun = {
    exitCode,
    stdout,
    stderr,
    log: renderLog(stdout, env['RUNNER_DEBUG'] === '1'),
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    outputFile: readFileSync(outputFile, 'utf8'),
    signalToExitMs: signalledAt === undefined ? undefined : exitedAt - signalledAt,
    summary: readFileSync(summaryFile, 'utf8'),
    durationMs,
  };
  rmSync(dir, { recursive: true, force: true });
  return run;
}
