/**
 * Secret inputs with leading or trailing white space, end to end (the entry
 * file under Node 24 against the simulator): trimmed as @actions/core trims,
 * the trimmed-away form masked too, and a refusal's fix says the input was
 * trimmed. Input parsing itself: runner/inputs.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { runAction } from '../../harness/runner.ts';
import { OWNER, type User } from '../../harness/simulator.ts';
import { provisionInputs, withSimulator } from '../support/platform.ts';

/** An Owner whose password really ends with a space (an input cannot carry it). */
const SPACED: User = { email: 'spaced@example.com', password: 'ends with a space ', role: 'Owner' };

const sim = withSimulator({ users: [OWNER, SPACED] });

const provision = (overrides: Record<string, string> = {}): Record<string, string> =>
  provisionInputs(sim, { verify: 'false', ...overrides });

describe('secret inputs with leading or trailing white space', () => {
  it('a password that really ends with a space: login 401, and the fix says the input was trimmed; the raw value is masked', async () => {
    const run = await runAction(provision({ email: SPACED.email, password: SPACED.password }));
    expect(run.exitCode).toBe(1);
    expect(run.log.errors).toHaveLength(1);
    expect(run.log.errors[0]).toMatch(/^Login failed \(HTTP 401\): /u);
    expect(run.log.errors[0]).toContain(
      'note: input "password" began or ended with white space, which was removed before sending (GitHub Actions trims every input): if the password really begins or ends with spaces, an input cannot carry them, so change it to one without',
    );
    // The platform received the trimmed password; both forms were masked before anything was printed.
    expect(JSON.parse(sim.requestsTo('login')[0]?.body ?? '{}')).toMatchObject({ password: SPACED.password.trim() });
    expect(run.log.masks).toContain(SPACED.password);
    expect(run.log.masks).toContain(SPACED.password.trim());
    expect(run.log.text).not.toContain(SPACED.password.trim());
    expect(run.summary).not.toContain(SPACED.password.trim());
  });

  it('a password secret with a stray line break works (trimmed), and the trimmed-away form is masked too', async () => {
    const raw = `\n${OWNER.password} \r\n`;
    const run = await runAction(provision({ password: raw }));
    expect(run.exitCode, run.log.text).toBe(0);
    expect(run.log.masks).toContain(OWNER.password);
    expect(run.log.text).not.toContain(OWNER.password);
  });

  it('a wrong password without white space gets no note', async () => {
    const run = await runAction(provision({ password: 'not the password' }));
    expect(run.exitCode).toBe(1);
    expect(run.log.errors[0]).toMatch(/^Login failed \(HTTP 401\): /u);
    expect(run.log.errors[0]).not.toContain('white space');
  });

  it('mode token: a client secret with surrounding spaces that the platform refuses names the trimming in its fix', async () => {
    const record = sim.seedRegistration({ clientSecret: ' spaced secret ' });
    const run = await runAction({
      mode: 'token',
      'base-url': sim.baseUrl,
      'client-id': record.clientId,
      'client-secret': record.clientSecret,
    });
    expect(run.exitCode).toBe(1);
    expect(run.log.errors[0]).toMatch(/^Token failed \(HTTP 401\): the platform answered "invalid_client/u);
    expect(run.log.errors[0]).toContain('note: input "client-secret" began or ended with white space');
    expect(run.log.masks).toContain(' spaced secret ');
    expect(run.log.text).not.toContain('spaced secret');
  });
});
