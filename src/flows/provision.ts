/**
 * `mode: provision`: steps 1–3 of the platform's setup guide (log in as an Owner, create a client
 * registration with `?expand=credentials`, authorize it by its UUID), then
 * step 4 with the new credentials when `verify` is on. With an Owner's API key
 * (input `api-key`) step 1 is skipped and steps 2–3 send the key as `X-Auth`.
 */
import { ActionError, amend } from '../errors.ts';
import { withTrimNote, type Inputs } from '../runner/inputs.ts';
import type { Logger } from '../runner/log.ts';
import type { PlatformClients } from '../client/index.ts';
import { PLATFORM_API_ID, UnusableRegistrationError } from '../client/identity.ts';
import { apiKeyCredential, describeOwnerAuth, type OwnerCredential } from '../client/owner.ts';
import type { Report } from '../runner/report.ts';
import { scimCheck } from './scim-check.ts';
import { requestToken } from './token.ts';

/** Login statuses that may mean "not a member of organization-id". */
const LOGIN_REFUSALS: readonly number[] = [400, 401, 403, 422];

/**
 * Runs the provision flow, recording each result in `report` as soon as it
 * is known (so a later failure keeps the registration in the outputs).
 * @throws ActionError from any step; after step 2 its reason names the registration id.
 */
export async function provision(clients: PlatformClients, inputs: Inputs, report: Report, log: Logger): Promise<void> {
  report.ownerAuth = inputs.apiKey === '' ? 'password' : 'api-key';
  log.info(`Authenticating as the Owner with ${describeOwnerAuth(report.ownerAuth)}`);
  const owner = inputs.apiKey === '' ? await logIn(clients, inputs, log) : apiKeyCredential(inputs.apiKey);

  const registration = await log.group('Step 2: create client registration', async () => {
    let created;
    try {
      created = await clients.identity.createRegistration(owner, inputs.clientName, inputs.clientDescription);
    } catch (error) {
      // The platform made the registration but the run cannot go on with it: keep what is usable in the outputs.
      if (error instanceof UnusableRegistrationError) {
        report.registration = {
          id: error.registrationId,
          name: inputs.clientName,
          clientId: error.clientId,
          clientSecret: error.clientSecret,
          authorized: false,
        };
      }
      throw error;
    }
    report.registration = {
      id: created.registrationId,
      name: inputs.clientName,
      clientId: created.credentials.clientId,
      clientSecret: created.credentials.clientSecret,
      authorized: false,
    };
    log.info(`Created registration ${created.registrationId} ("${inputs.clientName}")`);
    return created;
  });
  const credentials = registration.credentials;
  log.info(`OAuth client_id: ${credentials.clientId}`);

  await log.group('Step 3: authorize for the platform API', async () => {
    try {
      await clients.identity.authorize(owner, registration.registrationId);
    } catch (error) {
      const as = owner.auth === 'api-key' ? "an Owner's API key in the X-Auth header" : "an Owner's bearer token";
      throw afterCreate(
        error,
        registration.registrationId,
        'was created but not authorized',
        `finish it by hand (step 3 of the platform's setup guide): POST ${inputs.baseUrl}/api/identity/v1/apis/${PLATFORM_API_ID}/clients with ${as} and body [{"clientId":"${registration.registrationId}"}], or re-run to create a new registration`,
      );
    }
    if (report.registration) report.registration.authorized = true;
    log.info(`Authorized registration ${registration.registrationId} for the platform API`);
  });

  if (!inputs.verify) {
    log.info('verify is false: the new credentials were not exchanged for a token');
    return;
  }
  const token = await log.group('Step 4: verify the new credentials', async () => {
    try {
      return await requestToken(clients.oauth, credentials.clientId, credentials.clientSecret, report, log);
    } catch (error) {
      throw afterCreate(
        error,
        registration.registrationId,
        'was created and authorized, but its credentials did not yield a token',
        undefined,
      );
    }
  });
  report.verified = true;
  if (!inputs.scimCheck) return;
  try {
    await scimCheck(clients.scim, token, report, log);
  } catch (error) {
    throw afterCreate(
      error,
      registration.registrationId,
      'was created and authorized, and its credentials got a token',
      undefined,
    );
  }
}

/**
 * Step 1: logs in with `email` and `password` (to `organization-id` when set).
 * @returns the login token as the Owner credential for steps 2–3. @throws ActionError (step `login`)
 */
async function logIn(clients: PlatformClients, inputs: Inputs, log: Logger): Promise<OwnerCredential> {
  const organization = inputs.organizationId;
  return log.group('Step 1: log in', async () => {
    let credential;
    try {
      credential = await clients.identity.login(inputs.email, inputs.password, organization);
    } catch (caught) {
      const error = withTrimNote(caught, inputs, 'password');
      // A refusal may mean an organization the account does not belong to (the platform documents no error for it).
      if (organization === '' || !(error instanceof ActionError) || !LOGIN_REFUSALS.includes(error.status ?? 0))
        throw error;
      throw amend(error, {
        fixNote: `check organization-id (${organization}): the account must belong to that organization, or leave it unset for the account's default`,
      });
    }
    log.info(`Logged in as ${inputs.email}${organization === '' ? '' : ` to organization ${organization}`}`);
    return credential;
  });
}

function afterCreate(error: unknown, registrationId: string, what: string, fix: string | undefined): unknown {
  return amend(error, {
    note: `registration ${registrationId} ${what} (its registration-id, client-id and client-secret are in the step outputs)`,
    fixNote: fix,
  });
}
