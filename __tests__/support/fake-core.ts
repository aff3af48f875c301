/**
 * An in-process stand-in for `@actions/core` (the `ActionCore` that `run()`
 * takes): it writes the same stdout `@actions/core` writes (workflow commands
 * with `escapeData`), so `renderLog` shows it as the runner would, and it
 * records every call in order, so tests can check what happened before what.
 * Also a transport wrapper that records each request in the same event list.
 */
import type { HttpRequest, HttpResponse, Transport } from '../../src/net/http.ts';
import type { ActionCore } from '../../src/main.ts';

export type CoreEvent =
  | { kind: 'secret'; value: string }
  | { kind: 'input'; name: string }
  | { kind: 'info' | 'debug' | 'notice' | 'warning' | 'failed'; text: string }
  | { kind: 'group'; name: string }
  | { kind: 'output'; name: string; value: string }
  | { kind: 'summary'; text: string }
  | { kind: 'send'; request: HttpRequest };

export interface FakeCore extends ActionCore {
  events: CoreEvent[];
  /** What `@actions/core` would have written to stdout. */
  stdout: string;
  outputs: Record<string, string>;
  secrets: string[];
  failures: string[];
  summaryText: string;
}

/** `@actions/core`'s escapeData, so `renderLog` undoes it as the runner does. */
function escapeData(text: string): string {
  return text.replace(/%/gu, '%25').replace(/\r/gu, '%0D').replace(/\n/gu, '%0A');
}

/**
 * A fake core. `inputs` by action.yml name; `getInput` trims as `@actions/core` does.
 * @param options.summaryFails makes `summary.write()` reject (no GITHUB_STEP_SUMMARY).
 */
export function fakeCore(inputs: Record<string, string>, options: { summaryFails?: boolean } = {}): FakeCore {
  const core: FakeCore = {
    events: [],
    stdout: '',
    outputs: {},
    secrets: [],
    failures: [],
    summaryText: '',
    getInput(name: string, options?: { trimWhitespace?: boolean }): string {
      core.events.push({ kind: 'input', name });
      const raw = inputs[name] ?? '';
      return options?.trimWhitespace === false ? raw : raw.trim();
    },
    setSecret(secret: string): void {
      core.events.push({ kind: 'secret', value: secret });
      core.secrets.push(secret);
      core.stdout += `::add-mask::${escapeData(secret)}\n`;
    },
    setOutput(name: string, value: string): void {
      core.events.push({ kind: 'output', name, value });
      core.outputs[name] = value;
    },
    setFailed(message: string): void {
      core.events.push({ kind: 'failed', text: message });
      core.failures.push(message);
      core.stdout += `::error::${escapeData(message)}\n`;
    },
    info(message: string): void {
      core.events.push({ kind: 'info', text: message });
      core.stdout += `${message}\n`;
    },
    debug(message: string): void {
      core.events.push({ kind: 'debug', text: message });
      core.stdout += `::debug::${escapeData(message)}\n`;
    },
    notice(message: string): void {
      core.events.push({ kind: 'notice', text: message });
      core.stdout += `::notice::${escapeData(message)}\n`;
    },
    warning(message: string): void {
      core.events.push({ kind: 'warning', text: message });
      core.stdout += `::warning::${escapeData(message)}\n`;
    },
    async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
      core.events.push({ kind: 'group', name });
      core.stdout += `::group::${escapeData(name)}\n`;
      try {
        return await fn();
      } finally {
        core.stdout += '::endgroup::\n';
      }
    },
    summary: {
      addRaw(text: string) {
        core.summaryText += text;
        return core.summary;
      },
      async write() {
        if (options.summaryFails) throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY');
        core.events.push({ kind: 'summary', text: core.summaryText });
        return core.summary;
      },
    },
  };
  return core;
}

/** Wraps a transport so each request is recorded (in order) in `core.events`. */
export function recordingTransport(inner: Transport, core: FakeCore): Transport {
  return {
    async send(request: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
      core.events.push({ kind: 'send', request });
      return inner.send(request, timeoutMs);
    },
    dispose(): void {
      inner.dispose();
    },
  };
}
