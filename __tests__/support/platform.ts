/**
 * One platform simulator per test file (or per `describe`), for the layers
 * that run the action: `runs/` (startRun in process) and `e2e/` (the entry
 * file spawned). Request-level unit tests of the clients use `nock` instead.
 */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { ActionRun } from '../../harness/runner.ts';
import { OWNER, PlatformSimulator, type RegistrationRecord, type SimulatorOptions } from '../../harness/simulator.ts';
import { expectNoSecretShown } from './secrets.ts';

/**
 * Starts a simulator before the tests of the enclosing scope (file or
 * `describe`), resets it before each test (unless `reset: false`) and closes
 * it after them. Returns a stand-in that forwards every read, write and call
 * to the simulator once it is started; using it before `beforeAll` throws.
 * @param options simulator options, or a function that makes them (called in `beforeAll`, e.g. to read a certificate made there)
 */
export function withSimulator(
  options: SimulatorOptions | (() => SimulatorOptions) = {},
  { reset = true }: { reset?: boolean } = {},
): PlatformSimulator {
  let started: PlatformSimulator | undefined;
  const current = (): PlatformSimulator => {
    if (started === undefined) throw new Error('withSimulator: the simulator is used before beforeAll started it');
    return started;
  };
  beforeAll(async () => {
    started = await PlatformSimulator.start(typeof options === 'function' ? options() : options);
  });
  afterAll(async () => {
    await started?.close();
    started = undefined;
  });
  if (reset) beforeEach(() => current().reset());
  return new Proxy({} as PlatformSimulator, {
    get(_target, property) {
      const value: unknown = Reflect.get(current(), property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current()) : value;
    },
    set(_target, property, value) {
      return Reflect.set(current(), property, value);
    },
    has(_target, property) {
      return Reflect.has(current(), property);
    },
  });
}

/**
 * The inputs of a provision run with the Owner's email and password against
 * `sim`, plus `extra` (which may override any of them).
 */
export function provisionInputs(sim: PlatformSimulator, extra: Record<string, string> = {}): Record<string, string> {
  return { mode: 'provision', 'base-url': sim.baseUrl, email: OWNER.email, password: OWNER.password, ...extra };
}

/**
 * The inputs of a token run against `sim` with the credentials of `record`
 * (default: a new authorized registration seeded as provision would leave
 * it), plus `extra`.
 */
export function tokenInputs(
  sim: PlatformSimulator,
  extra: Record<string, string> = {},
  record: RegistrationRecord = sim.seedRegistration(),
): Record<string, string> {
  return {
    mode: 'token',
    'base-url': sim.baseUrl,
    'client-id': record.clientId,
    'client-secret': record.clientSecret,
    ...extra,
  };
}

/**
 * A provision run that succeeded against `sim`: exit 0, no error, the one
 * registration authorized and in the outputs, a token the simulator issued,
 * and no secret shown.
 */
export function expectProvisioned(run: ActionRun, sim: PlatformSimulator): void {
  expect(run.exitCode, run.log.text).toBe(0);
  expect(run.log.errors).toEqual([]);
  const [registration] = [...sim.registrations.values()];
  expect(registration?.authorized).toBe(true);
  expect(run.outputs['registration-id']).toBe(registration?.id);
  expect(run.outputs['client-id']).toBe(registration?.clientId);
  expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
  expect(sim.accessTokens.has(run.outputs['access-token'] ?? '')).toBe(true);
  expectNoSecretShown(run, sim);
}
