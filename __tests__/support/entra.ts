/**
 * Shared set-up of the end-to-end runs with the Microsoft Entra ID hand-off:
 * a platform simulator whose registration Entra holds at the start (as a person
 * pasted it), the Microsoft simulator pointing at it (fresh for each test), the
 * inputs and runner environment that connect the action to both, and the
 * checks every such run repeats (one error, nothing leaked).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** A loopback server that records every request it gets: where a redirect points, to prove nothing followed it. */
export interface Witness {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Requests received (method, path and query, headers). */
  seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** Starts a {@link Witness}; it answers 200 `{"value":"x.y.z","access_token":"x"}` to anything. */
export async function startWitness(): Promise<Witness> {
  const seen: Witness['seen'] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":"x.y.z","access_token":"x"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The registration the run made (any but the one Entra held before), undefined when none. */
export function madeRegistration(world: EntraWorld): RegistrationRecord | undefined {
  return [...world.sim.registrations.values()].find((r) => r.id !== world.previous.id);
}

/** The outputs keep the registration the run made (nothing made is lost). */
export function expectRegistrationKept(world: EntraWorld, outputs: Record<string, string>): void {
  const made = madeRegistration(world);
  expect(made).toBeDefined();
  expect(outputs['registration-id']).toBe(made?.id);
  expect(outputs['client-id']).toBe(made?.clientId);
  expect(outputs['client-secret']).toBe(made?.clientSecret);
}
