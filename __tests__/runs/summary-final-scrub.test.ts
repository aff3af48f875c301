/**
 * The step summary's final secret scrub (runner/summary.ts `redactSecrets`, called
 * by the run on the whole Markdown) is reachable, so it is kept (issue 17's mutation
 * probe): every value from outside is redacted cell by cell before it is escaped,
 * but a secret can also be a word of the action's own text (a weak password such
 * as "Verified"), which no cell redaction sees. The runner masks such a secret
 * wherever it appears in the log; the summary, a file the runner does not mask,
 * gets the same from the final scrub.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/main.ts';
import { createHttpTransport } from '../../src/net/http.ts';
import { PlatformSimulator, type User } from '../../harness/simulator.ts';
import { fakeCore } from '../support/fake-core.ts';

/** A password that is also a word of the summary's own rows ("Verified (token obtained)"). */
const WEAK: User = { email: 'weak@example.com', password: 'Verified', role: 'Owner' };

let sim: PlatformSimulator;
beforeAll(async () => {
  sim = await PlatformSimulator.start({ users: [WEAK] });
});
afterAll(async () => {
  await sim.close();
});

describe('the final scrub of the step summary', () => {
  it("hides a secret that is a word of the action's own text, as the runner does in the log", async () => {
    const core = fakeCore({
      mode: 'provision',
      'base-url': sim.baseUrl,
      email: WEAK.email,
      password: WEAK.password,
      'max-attempts': '1',
    });
    await run({
      core,
      env: { GITHUB_REPOSITORY: 'octo-org/identity', GITHUB_RUN_ID: '1', GITHUB_OUTPUT: '/dev/null' },
      createTransport: createHttpTransport,
      sleep: async () => undefined,
      random: () => 0,
      now: () => new Date(),
      userAgent: 'scrub-test/1',
    });
    expect(core.failures).toEqual([]);
    expect(core.summaryText).toContain('| *** (token obtained) | yes |');
    expect(core.summaryText).not.toContain(WEAK.password);
  });
});
