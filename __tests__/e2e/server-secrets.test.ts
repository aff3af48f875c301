/**
 * The server cannot choose what gets masked, end to end (the entry file under
 * Node 24 against the simulator): a malformed client_secret, access_token or
 * login accessToken is refused with a clear error (naming the registration
 * once one exists) and never registered with the runner line by line.
 * Multi-line masking stays for the inputs (runner/mask.test.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_SECRET_LENGTH } from '../../src/client/request.ts';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { OWNER } from '../../harness/simulator.ts';
import { withSimulator } from '../support/platform.ts';

/** `1\n2\n…\n499999`: half a million one-line "secrets". */
const HALF_A_MILLION_LINES = Array.from({ length: 499_999 }, (_, i) => String(i + 1)).join('\n');

function addMaskLines(run: ActionRun): number {
  return run.stdout.split('\n').filter((line) => line.startsWith('::add-mask::')).length;
}

describe('a malformed secret from the server, end to end', () => {
  let secret: (() => string) | undefined;
  const sim = withSimulator({ secretFactory: () => secret?.() ?? 'well-formed-secret-0123456789' });
  beforeEach(() => {
    secret = undefined;
  });

  const provision = (): Promise<ActionRun> =>
    runAction({ mode: 'provision', 'base-url': sim.baseUrl, email: OWNER.email, password: OWNER.password });

  it('a clientSecret of "1\\n2\\n…\\n499999": refused, the registration named and output, and a handful of masks, not 500 000', async () => {
    secret = () => HALF_A_MILLION_LINES;
    const run = await provision();
    expect(run.exitCode).toBe(1);
    const [registration] = [...sim.registrations.values()];
    expect(run.log.errors).toHaveLength(1);
    expect(run.log.errors[0]).toMatch(
      /^Create registration failed \(HTTP 201\): the response has no valid credentials\.clientSecret \(/u,
    );
    expect(run.log.errors[0]).toContain(`registration ${registration?.id}`);
    expect(run.outputs['registration-id']).toBe(registration?.id);
    expect(run.outputs['client-id']).toBe(registration?.clientId);
    expect(run.outputs['client-secret']).toBeUndefined();
    expect(addMaskLines(run)).toBeLessThan(20);
    expect(run.log.masks).not.toContain('1');
    expect(run.stdout.length).toBeLessThan(20_000);
  });

  it('a clientSecret longer than the bound is refused the same way', async () => {
    secret = () => 'x'.repeat(MAX_SECRET_LENGTH + 1);
    const run = await provision();
    expect(run.exitCode).toBe(1);
    expect(run.log.errors[0]).toContain('no valid credentials.clientSecret');
    expect(run.outputs['registration-id']).toBe([...sim.registrations.keys()][0]);
    expect(run.log.masks.some((mask) => mask.length > MAX_SECRET_LENGTH)).toBe(false);
  });

  it('a multi-line access_token in step 4: refused, never masked, the registration still named and output', async () => {
    sim.fault('token', {
      act: true,
      mutate: (body) => ({ ...body, access_token: `head\n${HALF_A_MILLION_LINES.slice(0, 100_000)}` }),
    });
    const run = await provision();
    expect(run.exitCode).toBe(1);
    const [registration] = [...sim.registrations.values()];
    expect(run.log.errors[0]).toMatch(/^Token failed \(HTTP 200\): the response has no valid access_token \(/u);
    expect(run.log.errors[0]).toContain(`registration ${registration?.id} was created and authorized`);
    expect(run.outputs['registration-id']).toBe(registration?.id);
    expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
    expect(run.outputs['access-token']).toBeUndefined();
    expect(run.log.masks).not.toContain('head');
    expect(addMaskLines(run)).toBeLessThan(20);
  });

  it('a login accessToken with a line break is refused before any use', async () => {
    sim.fault('login', { status: 200, body: JSON.stringify({ accessToken: 'login\n1\n2' }) });
    const run = await provision();
    expect(run.exitCode).toBe(1);
    expect(run.log.errors[0]).toMatch(/^Login failed \(HTTP 200\): the response has no valid accessToken \(/u);
    expect(run.log.masks).not.toContain('1');
    expect(sim.requestsTo('create')).toHaveLength(0);
  });
});
