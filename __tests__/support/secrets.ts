/**
 * What a secret looks like when printed, and the check that none is shown.
 * Computed here, independently of src/runner/mask.ts (which the tests check).
 */
import { expect } from 'vitest';
import type { ActionRun } from '../../harness/runner.ts';
import { OWNER, type PlatformSimulator } from '../../harness/simulator.ts';

/**
 * The forms the issue names, by name: as is, URL-encoded, form-encoded,
 * JSON-escaped (the URL-encoded form of a lone surrogate's well-formed
 * replacement, since encodeURIComponent throws on the surrogate itself).
 */
export function namedForms(secret: string): Record<'raw' | 'URL-encoded' | 'form-encoded' | 'JSON-escaped', string> {
  return {
    raw: secret,
    'URL-encoded': encodeURIComponent(secret.toWellFormed()),
    'form-encoded': new URLSearchParams({ v: secret }).toString().slice(2),
    'JSON-escaped': JSON.stringify(secret).slice(1, -1),
  };
}

/**
 * Every form a secret could be printed in ({@link namedForms}), without
 * repeats; with `lines`, also each trimmed line of a multi-line secret that has
 * at least 8 characters (a shorter line could be any text).
 */
export function printableForms(secret: string, { lines = false }: { lines?: boolean } = {}): string[] {
  const forms = Object.values(namedForms(secret));
  if (lines) for (const line of secret.split(/\r\n|\r|\n/u)) if (line.trim().length >= 8) forms.push(line.trim());
  return [...new Set(forms)];
}

/**
 * The secrets of a run against `sim`: the Owner's password, every client
 * secret, login token and access token the simulator handed out, and
 * `extra` (empty strings dropped).
 */
export function simulatorSecrets(sim: PlatformSimulator, extra: readonly string[] = []): string[] {
  return [
    OWNER.password,
    ...extra,
    ...[...sim.registrations.values()].map((r) => r.clientSecret),
    ...sim.loginTokens.keys(),
    ...sim.accessTokens.keys(),
  ].filter((secret) => secret !== '');
}

/**
 * No printable form ({@link printableForms}) of any of `secrets` in the log as
 * the runner shows it (masks applied), stderr or the step summary.
 * @param secrets the secrets, or a simulator whose {@link simulatorSecrets} they are
 */
export function expectNoSecretShown(run: ActionRun, secrets: PlatformSimulator | readonly string[]): void {
  const all = Array.isArray(secrets) ? secrets : simulatorSecrets(secrets as PlatformSimulator);
  expectNoSecretIn(run.log.text, all, 'the log');
  expectNoSecretIn(run.stderr, all, 'stderr');
  expectNoSecretIn(run.summary, all, 'the summary');
}

/**
 * No printable form ({@link printableForms}) of any of `secrets` in `text`
 * (e.g. a rendered step summary).
 * @param where names the text in a failure message
 */
export function expectNoSecretIn(text: string, secrets: readonly string[], where = 'the text'): void {
  for (const secret of secrets) {
    for (const form of printableForms(secret))
      expect(text, `${where} shows ${JSON.stringify(form)}`).not.toContain(form);
  }
}
