/**
 * `scim-check: true`: reads what the directory reads with the bearer token, in
 * the order it does, and fails the way the directory would. Read only, always:
 * creating a user makes the platform send that person an invitation email, so
 * the check never creates, changes or deletes a user or group
 * (`docs/platform-api.md`, "SCIM endpoints").
 */
import { randomUUID } from 'node:crypto';
import { ActionError } from '../errors.ts';
import type { Logger } from '../runner/log.ts';
import type { ScimClient, ScimFeatures } from '../client/scim.ts';
import type { Report, ScimCheckResult } from '../runner/report.ts';

/**
 * A user name no platform user has: the directory's "Test connection" queries
 * one, and so does the check. `scim-check-` and a random UUID (RFC 9562).
 */
export function absentUserName(): string {
  return `scim-check-${randomUUID()}`;
}

/**
 * Runs the three reads, recording each in `report.scimChecks` as it ends (the rest stay `not run`):
 * 1. `GET /ServiceProviderConfig` (RFC 7644 §4): a SCIM 2.0 ServiceProviderConfig; its features go to `report.scim`.
 * 2. `GET /Users?filter=userName eq "<userName>"` (RFC 7644 §3.4.2.2), Microsoft Entra ID's
 *    "Test connection": 200, a ListResponse, `totalResults` 0.
 * 3. `GET /Groups?count=1&excludedAttributes=members`, as the directory reads groups: a ListResponse.
 * @param userName the user name that must not exist (default {@link absentUserName}).
 * @throws ActionError (step `SCIM check`) at the first read that fails, saying what the directory will see.
 */
export async function scimCheck(
  client: ScimClient,
  accessToken: string,
  report: Report,
  log: Logger,
  userName = absentUserName(),
): Promise<void> {
  const usersQuery = `GET /Users?filter=userName eq "${userName}"`;
  const checks: ScimCheckResult[] = [
    { check: 'GET /ServiceProviderConfig', result: 'not run', detail: '' },
    { check: `${usersQuery} (Microsoft Entra ID's "Test connection")`, result: 'not run', detail: '' },
    { check: 'GET /Groups?count=1&excludedAttributes=members', result: 'not run', detail: '' },
  ];
  report.scimChecks = checks;
  const step = async <T>(index: number, read: () => Promise<T>, passed: (value: T) => string): Promise<T> => {
    const entry = checks[index] as ScimCheckResult;
    try {
      const value = await read();
      entry.result = 'passed';
      entry.detail = passed(value);
      log.info(`${entry.check}: ${entry.detail}`);
      return value;
    } catch (error) {
      entry.result = 'failed';
      entry.detail = error instanceof ActionError && error.status !== undefined ? `HTTP ${error.status}` : 'no answer';
      throw error;
    }
  };

  await log.group('SCIM check', async () => {
    log.info(`Reading ${client.scimUrl} as the directory does (read only)`);
    const features = await step(
      0,
      () => client.readServiceProviderConfig(accessToken),
      () => 'a SCIM 2.0 ServiceProviderConfig',
    );
    report.scim = features;
    log.info(`Server says: ${describeFeatures(features)}`);
    await step(
      1,
      async () => {
        const users = await client.findUsersByUserName(accessToken, userName);
        if (users.totalResults !== 0 || users.returned !== 0) {
          throw new ActionError({
            step: 'SCIM check',
            status: 200,
            reason:
              `${usersQuery} found ${Math.max(users.totalResults, users.returned)} users for a user name that does not exist, ` +
              'so Microsoft Entra ID\'s "Test connection" will fail: the server does not apply the filter, and the directory would match the wrong users',
            fix: 'check that base-url points at the Invicti Platform itself and not at another SCIM service or a proxy that drops the query string',
          });
        }
        return users;
      },
      () => 'an empty ListResponse (totalResults 0)',
    );
    await step(
      2,
      () => client.listGroups(accessToken),
      (groups) => `a ListResponse (totalResults ${groups.totalResults})`,
    );
    log.info('SCIM check passed: the directory\'s "Test connection" and group reads will succeed with this token');
  });
}

/** `patch yes, bulk no, …` for the five features the directory cares about (RFC 7643 §5). */
function describeFeatures(features: ScimFeatures): string {
  const names = ['patch', 'bulk', 'filter', 'sort', 'etag'] as const;
  return names
    .map((name) => `${name} ${features[name] === undefined ? 'not stated' : features[name] ? 'yes' : 'no'}`)
    .join(', ');
}
