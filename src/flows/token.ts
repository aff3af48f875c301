/**
 * `mode: token`: step 4 of the platform's setup guide alone (RFC 6749 §4.4 client-credentials grant),
 * then the SCIM check (`scim-check.ts`) when `scim-check` is on.
 */
import { withTrimNote, type Inputs } from '../runner/inputs.ts';
import type { Logger } from '../runner/log.ts';
import type { PlatformClients } from '../client/index.ts';
import type { OAuthClient } from '../client/oauth.ts';
import type { Report } from '../runner/report.ts';
import { scimCheck } from './scim-check.ts';

/** Runs the token flow: one grant, then the SCIM check when `scim-check` is on. @throws ActionError */
export async function token(clients: PlatformClients, inputs: Inputs, report: Report, log: Logger): Promise<void> {
  const accessToken = await log.group('Get a bearer token', async () => {
    try {
      return await requestToken(clients.oauth, inputs.clientId, inputs.clientSecret, report, log);
    } catch (error) {
      throw withTrimNote(error, inputs, 'client-secret');
    }
  });
  if (inputs.scimCheck) await scimCheck(clients.scim, accessToken, report, log);
}

/**
 * Exchanges client credentials for a bearer token and records it in `report`
 * with its expiry (`expires-at` = now + `expires_in` seconds, ISO 8601 UTC).
 * @returns the access token (already masked). @throws ActionError (step `token`)
 */
export async function requestToken(
  client: OAuthClient,
  clientId: string,
  clientSecret: string,
  report: Report,
  log: Pick<Logger, 'info' | 'notice'>,
): Promise<string> {
  const answer = await client.requestToken(clientId, clientSecret);
  report.token = answer;
  const expiresAt = answer.expiresAt;
  if (answer.expiresIn === undefined) {
    log.notice('The token response has no expires_in: outputs expires-in and expires-at are empty');
  } else {
    log.info(`Got a ${answer.tokenType || 'bearer'} token, valid ${answer.expiresIn} s (until ${expiresAt})`);
  }
  return answer.accessToken;
}
