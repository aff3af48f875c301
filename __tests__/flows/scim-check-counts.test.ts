/**
 * The SCIM check judges the /Users answer by both its counts (issue 17's
 * mutation survivor): `totalResults: 0` that still lists a user in `Resources`
 * fails, as the directory would see a user that should not exist.
 */
import { describe, expect, it } from 'vitest';
import type { ScimClient, ScimList } from '../../src/client/scim.ts';
import { ActionError } from '../../src/errors.ts';
import { scimCheck } from '../../src/flows/scim-check.ts';
import type { Logger } from '../../src/runner/log.ts';
import type { Report } from '../../src/runner/report.ts';

const log: Logger = {
  info: () => undefined,
  debug: () => undefined,
  notice: () => undefined,
  warning: () => undefined,
  group: (_name, fn) => fn(),
};

function client(users: ScimList): ScimClient {
  return {
    scimUrl: 'https://platform.example.test/api/scim/v2',
    readServiceProviderConfig: async () => ({
      patch: true,
      bulk: false,
      filter: true,
      sort: true,
      etag: false,
      changePassword: false,
    }),
    findUsersByUserName: async () => users,
    listGroups: async () => ({ totalResults: 0, returned: 0 }),
  } as unknown as ScimClient;
}

function report(): Report {
  return {
    mode: 'token',
    baseUrl: 'https://platform.example.test',
    region: undefined,
    scimUrl: '',
    tokenUrl: '',
    verified: false,
  };
}

describe('scimCheck: the /Users answer for a user name that does not exist', () => {
  it.each([
    ['totalResults 0 with a user in Resources', { totalResults: 0, returned: 1 }, 1],
    ['totalResults 2 with Resources empty', { totalResults: 2, returned: 0 }, 2],
  ])('%s fails the check, as the directory would match a user', async (_name, users, found) => {
    const made = report();
    const error = await scimCheck(client(users), 'tok-abcd', made, log, 'absent-user').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).reason).toContain(`found ${found} users for a user name that does not exist`);
    expect(made.scimChecks?.[1]?.result).toBe('failed');
    expect(made.scimChecks?.[2]?.result).toBe('not run');
  });

  it('totalResults 0 and no Resources passes', async () => {
    const made = report();
    await scimCheck(client({ totalResults: 0, returned: 0 }), 'tok-abcd', made, log, 'absent-user');
    expect(made.scimChecks?.map((check) => check.result)).toEqual(['passed', 'passed', 'passed']);
  });
});
