/**
 * The step's log. The runner reads every line the action prints as a possible
 * workflow command (actions/runner `ActionCommand`): `::cmd props::data` at a
 * line's trimmed start, and the legacy `##[cmd props]data` anywhere in a line;
 * `##[stop-commands]TOKEN` would turn off the `::add-mask::` lines after it.
 * So every text goes out through {@link createRunLog}, which makes it inert
 * ({@link inertLine}) at this one place instead of at each call site.
 */

import { stripBidi } from '../errors.ts';

/** The logging functions the flows use; `@actions/core` provides all of them. */
export interface Logger {
  info(message: string): void;
  /** Shown only with runner debug logging on (`RUNNER_DEBUG=1`). */
  debug(message: string): void;
  notice(message: string): void;
  /** A `::warning::` annotation: something odd the run worked around (one line). */
  warning(message: string): void;
  /** Runs `fn` inside a collapsible log group named `name`. */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/** The run's log: the flows' {@link Logger}, plus the run's own warning and its one failure. */
export interface RunLog extends Logger {
  warning(message: string): void;
  /** Fails the step with one `::error::` (`core.setFailed`). */
  fail(message: string): void;
}

/** The `@actions/core` functions behind a {@link RunLog}. */
export interface LogCore extends Logger {
  warning(message: string): void;
  setFailed(message: string): void;
}

/** U+200B ZERO WIDTH SPACE: invisible, and white space neither to .NET's TrimStart nor to JavaScript's trim. */
const BREAK = '\u200b';

/**
 * `text` as one log line that the runner shows and never obeys: each line
 * break (`\r\n`, `\n`, a lone `\r`: where the runner's ReadLine ends a line)
 * becomes one space; bidirectional controls are removed (errors.ts `stripBidi`); every `##[` becomes `##\u200b[`; and `::` at the trimmed
 * start of the line becomes `:\u200b:`. The text reads the same; only the
 * runner's parser no longer matches it. Redact secrets first: the changed text
 * no longer matches a registered mask.
 */
export function inertLine(text: string): string {
  return stripBidi(text)
    .replace(/\r\n|\r|\n/gu, ' ')
    .replace(/##\[/gu, `##${BREAK}[`)
    .replace(/^([\s\u0085]*):(?=:)/u, `$1:${BREAK}`);
}

/**
 * Wraps `core` so that every message (info, debug, notice, warning, group
 * name, failure) has the registered secrets replaced by `***` (`redact`) and is
 * then made inert ({@link inertLine}) before `@actions/core` prints it.
 */
export function createRunLog(core: LogCore, redact: (text: string) => string): RunLog {
  const safe = (message: string): string => inertLine(redact(message));
  return {
    info: (message) => core.info(safe(message)),
    debug: (message) => core.debug(safe(message)),
    notice: (message) => core.notice(safe(message)),
    warning: (message) => core.warning(safe(message)),
    fail: (message) => core.setFailed(safe(message)),
    group: (name, fn) => core.group(safe(name), fn),
  };
}
