/**
 * Shared set-up of the end-to-end runs with the Microsoft Entra ID hand-off:
 * a platform simulator whose registration Entra holds at the start (as a person
 * pasted it), the Microsoft simulator pointing at it (fresh for each test), the
 * inputs and runner environment that connect the action to both, and the
 * checks every such run repeats (one error, nothing leaked).
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { ActionRun } from '../../harness/runner.ts';
import { startWithPlatform, type MicrosoftOptions, type MicrosoftSimulator } from '../../harness/microsoft.ts';
import { OWNER, PlatformSimulator, type RegistrationRecord } from '../../harness/simulator.ts';

/** The simulators of one test file; `ms` and `previous` are new for each test. */
export interface EntraWorld {
  sim: PlatformSimulator;
  ms: MicrosoftSimulator;
  /** The registration Entra holds before the run (working, authorized). */
  previous: RegistrationRecord;
  /** Starts the test over: the platform reset, `ms` (and `previous`) replaced by one started with `options`. */
  restart(options: MicrosoftOptions): Promise<void>;
}

/**
 * Registers the hooks of a test file: one platform simulator for the file
 * (reset before each test) and a Microsoft simulator per test. Read the
 * returned object's fields inside tests (they change between tests).
 */
export function useEntraWorld(): EntraWorld {
  const world = {
    restart: async (options: MicrosoftOptions): Promise<void> => {
      await world.ms.close();
      world.sim.reset();
      Object.assign(world, await startWithPlatform(world.sim, options));
    },
  } as EntraWorld;
  beforeAll(async () => {
    world.sim = await PlatformSimulator.start();
  });
  afterAll(async () => {
    await world.sim.close();
  });
  beforeEach(async () => {
    world.sim.reset();
    Object.assign(world, await startWithPlatform(world.sim));
  });
  afterEach(async () => {
    await world.ms.close();
  });
  return world;
}

/** A provision run with the Owner's API key and the Entra inputs of `ms`. */
export function provisionWithEntra(
  sim: PlatformSimulator,
  ms: MicrosoftSimulator,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    mode: 'provision',
    'base-url': sim.baseUrl,
    'api-key': OWNER.apiKey ?? '',
    'client-name': 'SCIM rotation test',
    ...ms.inputs(),
    ...extra,
  };
}

/** A token run with `registration`'s credentials and the Entra inputs of `ms`. */
export function tokenWithEntra(
  sim: PlatformSimulator,
  ms: MicrosoftSimulator,
  registration: RegistrationRecord,
): Record<string, string> {
  return {
    mode: 'token',
    'base-url': sim.baseUrl,
    'client-id': registration.clientId,
    'client-secret': registration.clientSecret,
    ...ms.inputs(),
  };
}

/** The runner environment of a job with `permissions: id-token: write` (plus `extra`). */
export function withIdToken(
  ms: MicrosoftSimulator,
  extra: Record<string, string> = {},
): { env: Record<string, string> } {
  return { env: { ...ms.env(), ...extra } };
}

/** Every secret of the Microsoft side the run could have seen: request token, OIDC tokens, Graph tokens. */
export function microsoftSecrets(ms: MicrosoftSimulator): string[] {
  return [ms.requestToken, ...ms.oidcTokens, ...ms.graphTokens];
}

/**
 * None of `secrets` in the log as the runner shows it, stderr, the summary, or
 * an output other than client-secret (a secret found nowhere fails nothing: pass only issued ones).
 */
export function expectNotShown(run: ActionRun, secrets: string[]): void {
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(8);
    expect(run.log.text).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
    expect(run.summary).not.toContain(secret);
    for (const [name, value] of Object.entries(run.outputs)) {
      if (name !== 'client-secret') expect(value, `output ${name}`).not.toContain(secret);
    }
  }
}

/** A failed run: exit code 1, exactly one ::error::, no stack trace. Returns the error as shown. */
export function expectOneError(run: ActionRun): string {
  expect(run.exitCode, run.log.text).toBe(1);
  expect(run.log.errors).toHaveLength(1);
  expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/^\s{4}at /mu);
  return run.log.errors[0] ?? '';
}
