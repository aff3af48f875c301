/**
 * The platform's identity API, steps 1–3 of the platform's setup guide: log
 * in as an Owner, create a client registration with `?expand=credentials`,
 * and authorize it for the platform API by its registration UUID
 * (`docs/platform-api.md`). Every secret it receives is masked before it is
 * returned or validated further.
 */
import { ActionError, amendError } from '../errors.ts';
import { field, parseJson, requireToken, shapeError, type ApiCore } from './core.ts';

/** The platform API's resource id for "authorize for the platform API" (step 3 of the setup guide). */
export const PLATFORM_API_ID = '00000000-0000-0000-0000-000000000001';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;
/** An OAuth client_id (RFC 6749 Appendix A.1, VSCHAR): printable ASCII, no line break; not padded with spaces. */
const OAUTH_CLIENT_ID = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/u;

/** Step 2's answer: the registration UUID and, with `?expand=credentials`, its OAuth credentials. */
export interface Registration {
  /** `clientId` of the response: the registration UUID (authorize uses it). */
  registrationId: string;
  /** `credentials`, or `null` when the platform did not return them. */
  credentials: { clientId: string; clientSecret: string } | null;
}

/**
 * A create-registration failure where the platform did make the registration
 * (its UUID is known) but its answer cannot be used: carries the UUID (and the
 * OAuth client_id when known) so the run still sets them as outputs.
 */
export class UnusableRegistrationError extends ActionError {
  readonly registrationId: string;
  readonly clientId: string | undefined;
  constructor(cause: ActionError, registrationId: string, clientId: string | undefined) {
    super(cause);
    this.name = 'UnusableRegistrationError';
    this.registrationId = registrationId;
    this.clientId = clientId;
  }
}

/** The identity API client (steps 1–3), over the run's shared {@link ApiCore}. */
export class IdentityClient {
  readonly #core: ApiCore;

  constructor(core: ApiCore) {
    this.#core = core;
  }

  /**
   * Step 1 of the platform's setup guide: logs in as the Owner. Returns `accessToken` (valid 1 hour), masked.
   * @param organizationId sent as `organizationId` (the field the platform's SCIM overview shows in
   *   its login body) only when not '': which of the user's organizations to log in to.
   * @throws ActionError (step `login`).
   */
  async login(emailAddress: string, password: string, organizationId = ''): Promise<string> {
    const response = await this.#core.send({
      step: 'login',
      method: 'POST',
      path: '/api/identity/v1/userCredentials/login',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(organizationId === '' ? { emailAddress, password } : { emailAddress, password, organizationId }),
      idempotent: true,
    });
    const body = parseJson('login', response, this.#core.redact);
    const accessToken = field(body, 'accessToken');
    if (typeof accessToken === 'string' && accessToken !== '') this.#core.options.mask(accessToken);
    return requireToken('login', response.status, accessToken, 'accessToken');
  }

  /**
   * Step 2 of the setup guide: creates a client registration with `?expand=credentials`.
   * Not idempotent: sent again only when the connection was never made.
   * The client secret is masked on receipt.
   * @throws ActionError (step `create registration`); {@link UnusableRegistrationError}
   * when the answer names a registration but its credentials are unusable. A
   * missing `credentials` is returned as `null` for the caller to report with the registration id.
   */
  async createRegistration(accessToken: string, name: string, description: string): Promise<Registration> {
    const response = await this.#core.send({
      step: 'create registration',
      method: 'POST',
      path: '/api/identity/v1/clients?expand=credentials',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({
        name,
        description,
        enabled: true,
        clientType: 'machineToMachine',
        jwtSigningAlgorithm: 'rs256',
        refreshTokenRotation: false,
        grantTypeClientCredentials: true,
      }),
      idempotent: false,
      uncertainOutcome: `the platform may have created a registration named "${name}" anyway`,
    });
    // A 2xx from create means the platform most likely made the registration:
    // every validation error below says so, by client-name or registration id.
    const lookFor = `look for the registration named "${name}" in the platform before re-running (re-running creates another)`;
    let body: unknown;
    try {
      body = parseJson('create registration', response, this.#core.redact);
    } catch (error) {
      throw amendError(error, `; a registration named "${name}" may have been created anyway`, () => lookFor);
    }
    const credentials = field(body, 'credentials');
    const secret = field(credentials, 'clientSecret');
    if (typeof secret === 'string' && secret !== '') this.#core.options.mask(secret);
    const registrationId = field(body, 'clientId');
    if (typeof registrationId !== 'string' || !UUID.test(registrationId)) {
      throw shapeError('create registration', response.status, 'clientId (the registration UUID)',
        `a registration named "${name}" may have been created`, lookFor);
    }
    if (credentials === null || credentials === undefined) return { registrationId, credentials: null };
    const unusable = `registration ${registrationId} ("${name}") was created but cannot be used`;
    const removeIt = `remove registration ${registrationId} in the platform, check that base-url points at the Invicti Platform and not at a proxy, then re-run`;
    const clientId = field(credentials, 'clientId');
    // It is logged and output: a line break in it would be read as a workflow command.
    if (typeof clientId !== 'string' || !OAUTH_CLIENT_ID.test(clientId)) {
      throw new UnusableRegistrationError(
        shapeError('create registration', response.status, 'credentials.clientId (a non-empty string of printable ASCII)', unusable, removeIt),
        registrationId,
        undefined,
      );
    }
    if (typeof secret !== 'string' || secret === '') {
      throw new UnusableRegistrationError(
        shapeError('create registration', response.status, 'credentials.clientSecret (a non-empty string)', unusable, removeIt),
        registrationId,
        clientId,
      );
    }
    return { registrationId, credentials: { clientId, clientSecret: secret } };
  }

  /**
   * Step 3 of the setup guide: authorizes registration `registrationId` (the UUID, not
   * `credentials.clientId`) for the platform API. Idempotent.
   * @throws ActionError (step `authorize`).
   */
  async authorize(accessToken: string, registrationId: string): Promise<void> {
    const response = await this.#core.send({
      step: 'authorize',
      method: 'POST',
      path: `/api/identity/v1/apis/${PLATFORM_API_ID}/clients`,
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify([{ clientId: registrationId }]),
      idempotent: true,
    });
    // The documented answer is the array of registrations now authorized: a 2xx
    // from a proxy or login page must not pass for an authorization.
    const body = parseJson('authorize', response, this.#core.redact);
    if (!Array.isArray(body)) throw shapeError('authorize', response.status, 'list of authorized registrations (a JSON array)');
    // Elements are documented only as "registrations now authorized": accept the
    // UUID under any field name (clientId as in the request, or id).
    const listed = (item: unknown): boolean =>
      typeof item === 'object' && item !== null && Object.values(item).some((v) => typeof v === 'string' && v.toLowerCase() === registrationId.toLowerCase());
    if (!body.some(listed)) {
      throw new ActionError({
        step: 'authorize',
        status: response.status,
        reason: `the response does not list registration ${registrationId} among the authorized registrations`,
        fix: 'check that base-url points at the Invicti Platform and not at a proxy or another service',
      });
    }
  }
}
