/**
 * Errors quote the most specific text the server gave, end to end (the entry
 * file under Node 24 against the simulator). Parsing each error shape:
 * client/platform-errors.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { runAction } from '../../harness/runner.ts';
import { type Route } from '../../harness/simulator.ts';
import { provisionInputs, withSimulator } from '../support/platform.ts';

const sim = withSimulator();

const provision = (): Record<string, string> =>
  provisionInputs(sim, { 'client-name': 'Entra ID odd answers', 'scim-check': 'true' });

describe('errors quote the most specific text the server gave', () => {
  const cases: Array<{
    name: string;
    route: Route;
    mode?: 'token';
    status: number;
    type: string;
    body: string | Buffer;
    says: string;
  }> = [
    {
      name: 'RFC 9457 problem details: detail over title',
      route: 'login',
      status: 401,
      type: 'application/problem+json',
      body: JSON.stringify({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'The password has expired; reset it in the platform.',
      }),
      says: 'Login failed (HTTP 401): the platform answered "The password has expired; reset it in the platform."',
    },
    {
      name: 'a validation problem: the first message with its field',
      route: 'create',
      status: 400,
      type: 'application/problem+json; charset=utf-8',
      body: JSON.stringify({
        title: 'One or more validation errors occurred.',
        status: 400,
        errors: { Name: ['The Name must be at most 64 characters.'] },
      }),
      says: 'Create registration failed (HTTP 400): the platform answered "One or more validation errors occurred. Name: The Name must be at most 64 characters."',
    },
    {
      name: 'a SCIM error with scimType only',
      route: 'scim',
      mode: 'token',
      status: 400,
      type: 'application/scim+json',
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '400',
        scimType: 'invalidSyntax',
      }),
      says: 'SCIM check failed (HTTP 400): the platform answered "invalidSyntax"',
    },
    {
      name: 'an error body with a byte-order mark',
      route: 'login',
      status: 403,
      type: 'application/json',
      body: Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(JSON.stringify({ message: 'Account locked.' })),
      ]),
      says: 'Login failed (HTTP 403): the platform answered "Account locked."',
    },
  ];
  it.each(cases.map((c) => [c.name, c]))('%s', async (_, c) => {
    const inputs =
      c.mode === 'token'
        ? (() => {
            const record = sim.seedRegistration();
            return {
              mode: 'token',
              'base-url': sim.baseUrl,
              'client-id': record.clientId,
              'client-secret': record.clientSecret,
              'scim-check': 'true',
            };
          })()
        : provision();
    sim.fault(c.route, { status: c.status, contentType: c.type, body: c.body });
    const run = await runAction(inputs);
    expect(run.exitCode).toBe(1);
    expect(run.log.errors).toHaveLength(1);
    expect(run.log.errors[0]?.startsWith(c.says), run.log.errors[0]).toBe(true);
  });
});
