/**
 * The default `client-name` and `client-description` of a new registration:
 * unique per job attempt, so "look for the registration named …" points at
 * one registration. A re-run (`GITHUB_RUN_ATTEMPT`) and another job
 * (`GITHUB_JOB`) change the name; matrix jobs share their `GITHUB_JOB`, and
 * one job may run this action twice, so a short random tag completes it.
 * Runner variables: GitHub Docs, "Store information in variables", default variables.
 */
import type { Env } from './env.ts';

/** The default name and description, and the tag that both carry. */
export interface RunNames {
  /** e.g. `Invicti SCIM credentials (octo-org/identity, run 4242 attempt 2, job provision, 3f9a1c)`. */
  clientName: string;
  /** Names the run attempt's URL (or the repository and run outside a runner), the job and the tag. */
  clientDescription: string;
  /** Six hexadecimal digits (about 16.7 million values). */
  tag: string;
}

/**
 * The default names for this job attempt. Parts without their runner variable
 * are left out (a run outside a runner is named `Invicti SCIM credentials (local, 3f9a1c)`).
 * @param random uniform in [0, 1) (injected; `Math.random` in the action).
 */
export function runNames(env: Env, random: () => number): RunNames {
  const tag = Math.floor(random() * 0x1000000)
    .toString(16)
    .padStart(6, '0')
    .slice(-6);
  const repository = env['GITHUB_REPOSITORY'] || 'local';
  const runId = env['GITHUB_RUN_ID'];
  const attempt = env['GITHUB_RUN_ATTEMPT'];
  const job = env['GITHUB_JOB'];
  const run = runId ? `run ${runId}${attempt ? ` attempt ${attempt}` : ''}` : undefined;
  const parts = [repository, run, job ? `job ${job}` : undefined, tag].filter((part) => part !== undefined);
  const server = env['GITHUB_SERVER_URL'];
  const where =
    server && env['GITHUB_REPOSITORY'] && runId
      ? `${server}/${repository}/actions/runs/${runId}${attempt ? `/attempts/${attempt}` : ''}`
      : [repository, run].filter((part) => part !== undefined).join(' ');
  return {
    clientName: `Invicti SCIM credentials (${parts.join(', ')})`,
    clientDescription: `SCIM provisioning client created by the Invicti SCIM credentials action in ${where}${job ? ` (job ${job})` : ''}, tag ${tag}`,
    tag,
  };
}
