/**
 * The step outputs, written as soon as they are known (after step 2 the
 * registration and its credentials, after step 4 the token), each value once:
 * `GITHUB_OUTPUT` is an append-only file whose last value of a name wins, so a
 * run that is cancelled or fails later still leaves what it made.
 */
import { ActionError } from '../errors.ts';
import type { Env } from './env.ts';
import { outputsOf, type Report } from './report.ts';

/**
 * Fails when `GITHUB_OUTPUT` is unset or empty. `@actions/core` would then
 * print each output as `::set-output name=…::value` in the log, the client
 * secret and the bearer token among them; so every output is refused alike,
 * before any request is sent.
 * @throws ActionError (step `run`)
 */
export function requireOutputFile(env: Env): void {
  if ((env['GITHUB_OUTPUT'] ?? '') !== '') return;
  throw new ActionError({
    step: 'run',
    reason:
      'GITHUB_OUTPUT is not set, so the step outputs (client-secret and access-token among them) could only be printed in the log; nothing was sent',
    fix: 'run the action as a step of a GitHub Actions job, whose runner sets GITHUB_OUTPUT; elsewhere set GITHUB_OUTPUT to the path of a writable file (npm run local does)',
  });
}

/** The outputs file could not be written; `detail` says why (one safe line). */
export class OutputsError extends ActionError {
  readonly detail: string;
  constructor(detail: string) {
    super({
      step: 'run',
      reason: `could not write the step outputs (GITHUB_OUTPUT): ${detail}`,
      fix: 'run the action as a step of a GitHub Actions job, whose runner makes that file',
    });
    this.name = 'OutputsError';
    this.detail = detail;
  }
}

/** Writes a report's outputs through `setOutput` (`core.setOutput`), each name again only when its value changed. */
export class OutputWriter {
  readonly #setOutput: (name: string, value: string) => void;
  readonly #describe: (error: unknown) => string;
  readonly #written = new Map<string, string>();
  #broken: OutputsError | undefined;

  /** @param describe turns a write error into one safe line (secrets redacted). */
  constructor(setOutput: (name: string, value: string) => void, describe: (error: unknown) => string) {
    this.#setOutput = setOutput;
    this.#describe = describe;
  }

  /**
   * Writes every output of `report` ({@link outputsOf}) not yet written with its value.
   * @throws OutputsError (step `run`) when the file cannot be written; the same error on every later call.
   */
  publish(report: Report): void {
    if (this.#broken) throw this.#broken;
    for (const [name, value] of Object.entries(outputsOf(report))) {
      if (this.#written.get(name) === value) continue;
      try {
        this.#setOutput(name, value);
      } catch (error) {
        this.#broken = new OutputsError(this.#describe(error));
        throw this.#broken;
      }
      this.#written.set(name, value);
    }
  }
}
