/**
 * The fix an error message gives for an HTTP error status at a step: the
 * likeliest cause first, in the user's terms (inputs by name).
 */
import type { Step } from '../errors.ts';
import type { OwnerAuth } from './owner.ts';

/**
 * Why an API key is refused on the identity API (401), and the fallback: the
 * key was regenerated or deleted ("Manage your API key"), is a user's of
 * another platform, or the installation does not take keys there (the setup
 * guide documents only the password login).
 */
function apiKeyRejected(host: string): string {
  return (
    'the API key in input api-key was rejected: it was regenerated or deleted (User settings → API key; put the current key in the secret), ' +
    `it belongs to a user of another platform than ${host} (check region or base-url), or this installation does not accept API keys on the identity API; ` +
    "in that case use inputs email and password instead (the login the platform's setup guide documents)"
  );
}

/**
 * The fix for an HTTP error status at a step; `code` is the platform's error
 * code, if any; `host` the platform host the run talked to (wrong-region hints);
 * `auth` how steps 2–3 authenticated as the Owner (API key or login token).
 */
export function fixFor(
  step: Step,
  status: number,
  code: string | undefined,
  host = 'this platform',
  auth: OwnerAuth = 'password',
): string {
  // Without region or base-url the US platform is used: the likeliest cause of "wrong credentials".
  const where = `they must belong to ${host}${host === 'platform.invicti.com' ? ' (the US platform, used when neither region nor base-url is set)' : ''}`;
  if (status === 429) {
    // Creating a registration is never retried, so more attempts would not help there.
    return step === 'create registration'
      ? 'the platform is rate limiting; wait a few minutes and re-run'
      : 'the platform is rate limiting; wait and re-run, or raise max-attempts';
  }
  if (status >= 500) return 'the platform had a server error; re-run the job later';
  if (status === 404 && step !== 'authorize') {
    return 'check base-url (or region): the platform has no such endpoint there; an on-premises URL may need its path prefix';
  }
  switch (step) {
    case 'login':
      if (status === 401 || status === 400) return `check the email and password inputs of an Owner account; ${where}`;
      if (status === 403)
        return 'the account cannot log in here: check that it is an active Owner account of this platform';
      break;
    case 'create registration':
    case 'authorize':
      if (status === 403) {
        return auth === 'api-key'
          ? "the user whose API key is in input api-key needs the Owner role: use an Owner's API key"
          : 'the account in input "email" needs the Owner role';
      }
      if (status === 401) {
        return auth === 'api-key'
          ? apiKeyRejected(host)
          : 'the login token was rejected; re-run the job, and check that email belongs to this platform';
      }
      if (status === 404) return 'the registration was not found; re-run provision to create a new one';
      if (status === 400) return 'the platform rejected the request; check client-name and client-description';
      break;
    case 'token':
      if (code === 'invalid_client' || status === 401) {
        return `check the client-id and client-secret inputs (${where}): client-id is credentials.clientId (the client-id output of provision), not the registration UUID`;
      }
      if (code === 'access_denied' || status === 403) {
        return "the registration was never authorized for the platform API (step 3 of the platform's setup guide); run this action with mode: provision, or authorize its registration id";
      }
      if (code === 'unauthorized_client')
        return 'the registration does not allow the client_credentials grant; provision a new one with this action';
      if (status === 400)
        return 'check base-url or region: the token audience is <base-url>/api and must match the platform';
      break;
    case 'SCIM check':
      if (status === 401 || status === 403)
        return 'the bearer token was not accepted for SCIM; check that the registration is authorized for the platform API';
      break;
    default:
      break;
  }
  return 'check base-url and the inputs of this step, then re-run';
}
