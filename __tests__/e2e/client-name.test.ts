/**
 * The default client-name, end to end (the entry file under Node 24 against
 * the simulator, with the runner variables a real job has): unique per job
 * attempt, so matrix jobs, re-runs and other jobs make distinct registrations.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../support/markdown.ts';
import { runAction } from '../../harness/runner.ts';
import { OWNER, type User } from '../../harness/simulator.ts';
import { provisionInputs, withSimulator } from '../support/platform.ts';

/** An Owner whose password really ends with a space (an input cannot carry it). */
const SPACED: User = { email: 'spaced@example.com', password: 'ends with a space ', role: 'Owner' };

const sim = withSimulator({ users: [OWNER, SPACED] });

const provision = (overrides: Record<string, string> = {}): Record<string, string> =>
  provisionInputs(sim, { verify: 'false', ...overrides });

describe('the default client-name is unique per job attempt', () => {
  it('the runner harness (and so the demo) gives GITHUB_JOB: the default name has its documented "job <job id>" part', async () => {
    const run = await runAction(provision());
    expect(run.exitCode, run.log.text).toBe(0);
    const [registration] = [...sim.registrations.values()];
    expect(registration?.name).toMatch(
      /^Invicti SCIM credentials \(octo-org\/identity, run 4242 attempt 1, job provision, [0-9a-f]{6}\)$/u,
    );
  });

  it('two matrix jobs of one attempt (same GITHUB_JOB), a re-run and another job: four registrations, four names', async () => {
    const job = { GITHUB_JOB: 'provision', GITHUB_RUN_ATTEMPT: '1' };
    const runs = [
      await runAction(provision(), { env: job }),
      await runAction(provision(), { env: job }),
      await runAction(provision(), { env: { ...job, GITHUB_RUN_ATTEMPT: '2' } }),
      await runAction(provision(), { env: { ...job, GITHUB_JOB: 'rotate' } }),
    ];
    for (const run of runs) expect(run.exitCode, run.log.text).toBe(0);
    const registrations = [...sim.registrations.values()];
    const names = registrations.map((r) => r.name);
    expect(new Set(names).size).toBe(4);
    expect(names[0]).toMatch(
      /^Invicti SCIM credentials \(octo-org\/identity, run 4242 attempt 1, job provision, [0-9a-f]{6}\)$/u,
    );
    expect(names[2]).toContain('run 4242 attempt 2, job provision, ');
    expect(names[3]).toContain('run 4242 attempt 1, job rotate, ');
    // The description links the run attempt and carries the same tag as the name.
    const tag = names[0]?.slice(-7, -1);
    expect(registrations[0]?.description).toBe(
      `SCIM provisioning client created by the Invicti SCIM credentials action in https://github.com/octo-org/identity/actions/runs/4242/attempts/1 (job provision), tag ${tag}`,
    );
    // The name the log and the summary give is the one the platform has.
    runs.forEach((run, index) => {
      expect(run.log.text).toContain(`("${names[index]}")`);
      expect(renderMarkdown(run.summary).tables.flat().flat()).toContain(names[index]);
    });
  });
});
