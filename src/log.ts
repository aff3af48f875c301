/** The logging functions the flows use; `@actions/core` provides all of them. */
export interface Logger {
  info(message: string): void;
  /** Shown only with runner debug logging on (`RUNNER_DEBUG=1`). */
  debug(message: string): void;
  notice(message: string): void;
  /** Runs `fn` inside a collapsible log group named `name`. */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}
