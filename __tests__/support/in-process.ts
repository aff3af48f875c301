/**
 * Runs of `run`/`startRun` (src/main.ts) in process, for `runs/`: a fake
 * `@actions/core` (fake-core.ts), the real transport against the simulator,
 * no waiting (sleep resolves at once) and fixed randomness.
 */
import { expect } from 'vitest';
import { createHttpTransport, type Transport } from '../../src/net/http.ts';
import { run, type RunDependencies } from '../../src/main.ts';
import type { PlatformSimulator } from '../../harness/simulator.ts';
import { renderLog } from '../../harness/runner.ts';
import { secretForms } from '../../src/runner/mask.ts';
import { fakeCore, recordingTransport, type CoreEvent, type FakeCore } from './fake-core.ts';

/** The runner variables a run needs, GITHUB_OUTPUT set as on a runner (the fake core keeps the outputs itself). */
export const RUN_ENV = {
  GITHUB_REPOSITORY: 'octo-org/identity',
  GITHUB_RUN_ID: '4242',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_OUTPUT: '/dev/null',
};

/** What a run in process left: the fake core, and how many transports it made and disposed of. */
export interface InProcessRun {
  core: FakeCore;
  transports: number;
  disposed: number;
}

/**
 * The dependencies of a run with `core`: the real transport (each request also
 * recorded in `core.events`, each transport counted in `ran`), sleep that
 * resolves at once, random 0, the real clock; `overrides` replace any of them.
 */
export function runDependencies(
  core: FakeCore,
  overrides: Partial<RunDependencies> = {},
  ran: InProcessRun = { core, transports: 0, disposed: 0 },
): RunDependencies {
  return {
    core,
    env: RUN_ENV,
    createTransport: (userAgent, timeoutMs, caCertificates): Transport => {
      ran.transports += 1;
      const inner = recordingTransport(createHttpTransport(userAgent, timeoutMs, caCertificates), core);
      return {
        send: (request, limit) => inner.send(request, limit),
        dispose: () => {
          ran.disposed += 1;
          inner.dispose();
        },
      };
    },
    sleep: async () => undefined,
    random: () => 0,
    now: () => new Date(),
    userAgent: 'scim-action-test/1',
    ...overrides,
  };
}

/**
 * Runs `run()` to its end against `sim` with `inputs` (base-url set to the
 * simulator, max-attempts 1, unless given) and returns what it left.
 * @param overrides dependencies to replace; `summaryFails` makes the summary write fail
 */
export async function runInProcess(
  sim: PlatformSimulator,
  inputs: Record<string, string>,
  overrides: Partial<RunDependencies> & { summaryFails?: boolean } = {},
): Promise<InProcessRun> {
  const { summaryFails, ...replaced } = overrides;
  const core = fakeCore({ 'base-url': sim.baseUrl, 'max-attempts': '1', ...inputs }, { summaryFails });
  const ran: InProcessRun = { core, transports: 0, disposed: 0 };
  await expect(run(runDependencies(core, replaced, ran))).resolves.toBeUndefined();
  return ran;
}

/** Exactly one failure, well formed, and returned. */
export function onlyFailure(core: FakeCore): string {
  expect(core.failures).toHaveLength(1);
  const [message = ''] = core.failures;
  expect(message).toMatch(/ Fix: .+\.$/u);
  expect(message).not.toContain('\n');
  expect(message).not.toMatch(/\s+at\s.+:\d+/u);
  expect(renderLog(core.stdout).errors).toHaveLength(1);
  return message;
}

/**
 * Every form of `secret` was registered before the first request that carries
 * it and before any other event that shows it.
 */
export function expectMaskedBeforeUse(events: CoreEvent[], secret: string): void {
  const forms = secretForms(secret);
  const registeredAt = (form: string): number => events.findIndex((e) => e.kind === 'secret' && e.value === form);
  for (const form of forms)
    expect(registeredAt(form), `form ${JSON.stringify(form)} registered`).toBeGreaterThanOrEqual(0);
  const lastRegistration = Math.max(...forms.map(registeredAt));
  events.forEach((event, index) => {
    if (event.kind === 'secret' || event.kind === 'input') return;
    const text =
      event.kind === 'send'
        ? `${event.request.body ?? ''} ${JSON.stringify(event.request.headers)}`
        : JSON.stringify(event);
    if (forms.some((form) => text.includes(form)) || text.includes(secret)) {
      expect(index, `${event.kind} event uses the secret only after all its forms are masked`).toBeGreaterThan(
        lastRegistration,
      );
    }
  });
}
