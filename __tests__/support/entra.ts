/**
 * Shared set-up of the end-to-end runs with the Microsoft Entra ID hand-off:
 * a platform simulator whose registration Entra holds at the start (as a person
 * pasted it), the Microsoft simulator pointing at it, the inputs and runner
 * environment that connect the action to both, and the checks every such run
 * repeats (one error, nothing leaked).
 */
import { expect } from 'vitest';
import type { ActionRun } from '../../harness/runner.ts';
import { MicrosoftSimulator, type MicrosoftOptions } from '../../harness/microsoft.ts';
import { OWNER, type PlatformSimulator, type RegistrationRecord } from '../../harness/simulator.ts';

/** A Microsoft simulator and the registration its enterprise app holds at the start. */
export interface EntraWorld {
  ms: MicrosoftSimulator;
  /** The registration Entra holds before the run (working, authorized). */
  previous: RegistrationRecord;
}

/**
 * Seeds a working registration on `sim` and starts a Microsoft simulator whose
 * app holds it (tenant URL and token endpoint of `sim`), with `options` on top.
 */
export async function startEntra(sim: PlatformSimulator, options: MicrosoftOptions = {}): Promise<EntraWorld> {
  const previous = sim.seedRegistration({ name: 'pasted by a person' });
  const ms = await MicrosoftSimulator.start({
    saved: {
      tenantUrl: `${sim.baseUrl}/api/scim/v2`,
      tokenUrl: `${sim.baseUrl}/oauth/token?audience=${sim.baseUrl}/api`,
      clientId: previous.clientId,
      clientSecret: previous.clientSecret,
    },
    ...options,
  });
  return { ms, previous };
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
