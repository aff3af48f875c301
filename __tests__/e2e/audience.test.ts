/**
 * The `audience` input, end to end (the entry file under Node 24 against the
 * simulator, which accepts only its configured audience, as a token server
 * does): the token request, the `token-url` output and the summary's hand-off
 * table use it instead of `<base-url>/api`, and a refusal's fix names it.
 */
import { describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { provisionInputs, tokenInputs, withSimulator } from '../support/platform.ts';

describe('audience (step 4 query, token-url output, hand-off table)', () => {
  /** An installation whose API identifier is not the URL the runner reaches. */
  const AUDIENCE = 'https://invicti.corp.example/api';
  const sim = withSimulator({ audience: AUDIENCE });

  const token = (extra: Record<string, string> = {}): Promise<ActionRun> => runAction(tokenInputs(sim, extra));

  it('without the input the default <base-url>/api is refused by such a server, and the fix points at the audience', async () => {
    const run = await token();
    expect(run.exitCode).toBe(1);
    expect(new URL(sim.requestsTo('token')[0]?.url ?? '', sim.baseUrl).searchParams.get('audience')).toBe(
      `${sim.baseUrl}/api`,
    );
    expect(run.log.errors[0]).toMatch(
      /^Token failed \(HTTP 400\): the platform answered "invalid_request: .*"\. Fix: check base-url or region: the token audience is <base-url>\/api/u,
    );
  });

  it('token mode: the request, the token-url output and the summary use the audience', async () => {
    const run = await token({ audience: AUDIENCE });
    expect(run.exitCode, run.log.text).toBe(0);
    const [request] = sim.requestsTo('token');
    expect(request?.url).toBe(`/oauth/token?audience=${AUDIENCE}`);
    expect(sim.accessTokens.has(run.outputs['access-token'] ?? '')).toBe(true);
    expect(run.outputs['token-url']).toBe(`${sim.baseUrl}/oauth/token?audience=${AUDIENCE}`);
    expect(run.outputs['scim-url']).toBe(`${sim.baseUrl}/api/scim/v2`);
    expect(run.summary).toContain(`| Token Endpoint | \`${sim.baseUrl}/oauth/token?audience=${AUDIENCE}\` |`);
    expect(run.summary).toContain(`| Token audience | \`${AUDIENCE}\` |`);
  });

  it('provision with verify: the new credentials are proven against the audience', async () => {
    const run = await runAction(
      provisionInputs(sim, {
        audience: AUDIENCE,
      }),
    );
    expect(run.exitCode, run.log.text).toBe(0);
    expect(sim.requestsTo('token').map((r) => r.url)).toEqual([`/oauth/token?audience=${AUDIENCE}`]);
    expect(run.outputs['token-url']).toBe(`${sim.baseUrl}/oauth/token?audience=${AUDIENCE}`);
    expect(run.summary).toContain(`| Token Endpoint | \`${sim.baseUrl}/oauth/token?audience=${AUDIENCE}\` |`);
  });

  it('an audience the server does not know: the fix names the audience input and its value', async () => {
    const run = await token({ audience: 'https://other.corp.example/api' });
    expect(run.exitCode).toBe(1);
    expect(run.log.errors[0]).toMatch(
      /^Token failed \(HTTP 400\): the platform answered "invalid_request: .*"\. Fix: check the audience input \(https:\/\/other\.corp\.example\/api\): it must be the platform API's identifier/u,
    );
    // Still the hand-off value the run computed, so a wrong one is visible in the outputs.
    expect(run.outputs['token-url']).toBe(`${sim.baseUrl}/oauth/token?audience=https://other.corp.example/api`);
  });

  it.each([
    ['invicti.corp.example/api', 'is not an absolute URL'],
    ['http://invicti.corp.example/api', 'uses plain http:// to invicti.corp.example'],
    ['https://invicti.corp.example/api#x', 'has a query or fragment'],
  ])('%s is an input error before any request', async (audience, says) => {
    const run = await token({ audience });
    expect(run.exitCode).toBe(1);
    expect(sim.requests).toHaveLength(0);
    expect(run.log.errors[0]).toMatch(
      new RegExp(`^Invalid input: input "audience" ${says.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&')}\\. Fix: `, 'u'),
    );
    expect(run.outputs).toEqual({});
  });
});
