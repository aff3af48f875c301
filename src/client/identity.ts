/**
 * The platform's identity API, steps 1–3 of the platform's setup guide: log
 * in as an Owner, create a client registration with `?expand=credentials`,
 * and authorize it for the platform API by its registration UUID
 * (`docs/platform-api.md`). Steps 2–3 send an {@link OwnerCredential}: step
 * 1's login token, or an Owner's API key. Every secret it receives is masked
 * before it is returned or validated further.
 */
import { ActionError, amend } from '../errors.ts';
import {
  field,
  isServerSecret,
  maskString,
  MAX_SECRET_LENGTH,
  MIN_SECRET_LENGTH,
  requireToken,
  SECRET_SHAPE,
  secretLengthProblem,
  shapeError,
  type ApiCore,
} from './request.ts';
import { loginCredential, type OwnerCredential } from './owner.ts';

/** The platform API's resource id for "authorize for the platform API" (step 3 of the setup guide). */
export const PLATFORM_API_ID = '00000000-0000-0000-0000-000000000001';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;
/**
 * A registration id the run can use although it is not the documented UUID:
 * letters, digits and `_ . ~ : { } -` only (so it is inert in the log, a JSON
 * body and a URL), at most 128 characters.
 */
const REGISTRATION_ID = /^[\w.~:{}-]{1,128}$/u;
/** An OAuth client_id (RFC 6749 Appendix A.1, VSCHAR): printable ASCII, no line break; not padded with spaces. */
const OAUTH_CLIENT_ID = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/u;

/** Step 2's answer: the registration id and, with `?expand=credentials`, its OAuth credentials. */
export interface Registration {
  /** `clientId` of the response: the registration id, documented as a UUID (authorize uses it). */
  registrationId: string;
  /** `credentials` of the response. */
  credentials: { clientId: string; clientSecret: string };
}

/**
 * A create-registration failure where the platform made the registration but
 * its answer cannot be used to finish the run: carries whatever usable part
 * the answer had (the registration id, the OAuth client_id, the client secret,
 * already masked), so the run still sets them as outputs.
 */
export class UnusableRegistrationError extends ActionError {
  readonly registrationId: string | undefined;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  constructor(cause: ActionError, kept: { registrationId?: string; clientId?: string; clientSecret?: string }) {
    super(cause.details);
    this.name = 'UnusableRegistrationError';
    this.registrationId = kept.registrationId;
    this.clientId = kept.clientId;
    this.clientSecret = kept.clientSecret;
  }
}

/** The identity API client (steps 1–3), over the run's shared {@link ApiCore}. */
export class IdentityClient {
  readonly #core: ApiCore;

  constructor(core: ApiCore) {
    this.#core = core;
  }

  /**
   * Step 1 of the platform's setup guide: logs in as the Owner with email and
   * password (the login route takes no API key). Returns the credential of its
   * `accessToken` (valid 1 hour), masked.
   * @param organizationId sent as `organizationId` (the field the platform's SCIM overview shows in
   *   its login body) only when not '': which of the user's organizations to log in to.
   * @throws ActionError (step `login`).
   */
  async login(emailAddress: string, password: string, organizationId = ''): Promise<OwnerCredential> {
    const response = await this.#core.send({
      step: 'login',
      method: 'POST',
      path: '/api/identity/v1/userCredentials/login',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(
        organizationId === '' ? { emailAddress, password } : { emailAddress, password, organizationId },
      ),
      idempotent: true,
    });
    const body = this.#core.readJson('login', response, (json) =>
      maskString(this.#core.options.mask, field(json, 'accessToken')),
    );
    return loginCredential(requireToken('login', response.status, field(body, 'accessToken'), 'accessToken'));
  }

  /**
   * Step 2 of the setup guide: creates a client registration with `?expand=credentials`,
   * authenticated by `owner` (its login token or API key).
   * Not idempotent: sent again only when the connection was never made.
   * The client secret is masked on receipt, before anything about the answer is logged.
   * Lenient where the answer is still usable: a registration id that is not a
   * UUID but safe to use is taken with a warning.
   * @throws ActionError (step `create registration`) when the answer holds
   * nothing usable; {@link UnusableRegistrationError} when the platform made a
   * registration but the run cannot go on with it (no registration id, or
   * missing, null or unusable credentials), carrying what is usable of it.
   */
  async createRegistration(owner: OwnerCredential, name: string, description: string): Promise<Registration> {
    const step = 'create registration';
    const response = await this.#core.send({
      step,
      method: 'POST',
      path: '/api/identity/v1/clients?expand=credentials',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...owner.headers },
      auth: owner.auth,
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
    const status = response.status;
    // A 2xx from create means the platform most likely made the registration:
    // every validation error below says so, by client-name or registration id.
    const lookFor = `look for the registration named "${name}" in the platform before re-running (re-running creates another)`;
    let body: unknown;
    try {
      body = this.#core.readJson(step, response, (json) =>
        maskString(this.#core.options.mask, field(field(json, 'credentials'), 'clientSecret')),
      );
    } catch (error) {
      throw amend(error, { note: `a registration named "${name}" may have been created anyway`, fix: lookFor });
    }
    const credentials = field(body, 'credentials');
    const rawClientId = field(credentials, 'clientId');
    const rawSecret = field(credentials, 'clientSecret');
    // The client_id is logged and output: a line break in it would be read as a workflow command.
    // Bounded like the secrets: it goes to the log, an output and the step summary (GitHub's limit: 1 MiB).
    const clientId =
      typeof rawClientId === 'string' && rawClientId.length <= MAX_SECRET_LENGTH && OAUTH_CLIENT_ID.test(rawClientId)
        ? rawClientId
        : undefined;
    // A malformed secret (several lines, control characters, too long) was not masked and is never kept.
    const clientSecret = isServerSecret(rawSecret) ? rawSecret : undefined;
    const kept = keptOutputs(clientId, clientSecret);
    const rawId = field(body, 'clientId');
    const registrationId = typeof rawId === 'string' && REGISTRATION_ID.test(rawId) ? rawId : undefined;
    if (registrationId === undefined) {
      if (kept === undefined)
        throw shapeError(
          step,
          status,
          'clientId (the registration UUID)',
          `a registration named "${name}" may have been created`,
          lookFor,
        );
      throw new UnusableRegistrationError(
        shapeError(
          step,
          status,
          'clientId (the registration UUID)',
          `the registration named "${name}" was created but cannot be authorized (step 3) without it; ${kept}`,
          `find the registration named "${name}" in the platform and authorize it by hand (step 3 of the platform's setup guide), or remove it and re-run`,
        ),
        { clientId, clientSecret },
      );
    }
    if (!UUID.test(registrationId)) {
      this.#core.options.log.warning(
        `Create registration (HTTP ${status}): the registration id "${registrationId}" is not a UUID as documented; it is used as given`,
      );
    }
    const unusable = `registration ${registrationId} ("${name}") was created but cannot be used${kept === undefined ? '' : `; ${kept}`}`;
    if (credentials === null || credentials === undefined) {
      throw new UnusableRegistrationError(
        new ActionError({
          step,
          status,
          reason: `registration ${registrationId} was created but the response has credentials: null, so its client secret cannot be read (the request must carry ?expand=credentials)`,
          fix: 'check that no proxy strips the query string from requests to the platform, then re-run; the unusable registration can be removed in the platform',
        }),
        { registrationId },
      );
    }
    const removeIt = `remove registration ${registrationId} in the platform, check that base-url points at the Invicti Platform and not at a proxy, then re-run`;
    if (clientId === undefined) {
      throw new UnusableRegistrationError(
        shapeError(
          step,
          status,
          `credentials.clientId (a non-empty string of printable ASCII, at most ${MAX_SECRET_LENGTH} characters)`,
          unusable,
          removeIt,
        ),
        { registrationId, clientSecret },
      );
    }
    if (clientSecret === undefined) {
      // Too short to be a secret: said so (too long stays "no valid", as any other malformed secret).
      const length =
        typeof rawSecret === 'string' && rawSecret.length < MIN_SECRET_LENGTH
          ? secretLengthProblem(rawSecret, 'credentials.clientSecret')
          : undefined;
      throw new UnusableRegistrationError(
        length === undefined
          ? shapeError(step, status, `credentials.clientSecret (${SECRET_SHAPE})`, unusable, removeIt)
          : new ActionError({ step, status, reason: length, notes: [unusable], fix: removeIt }),
        { registrationId, clientId },
      );
    }
    return { registrationId, credentials: { clientId, clientSecret } };
  }

  /**
   * Step 3 of the setup guide: authorizes registration `registrationId` (the UUID, not
   * `credentials.clientId`) for the platform API, authenticated by `owner`. Idempotent.
   * @throws ActionError (step `authorize`).
   */
  async authorize(owner: OwnerCredential, registrationId: string): Promise<void> {
    const response = await this.#core.send({
      step: 'authorize',
      method: 'POST',
      path: `/api/identity/v1/apis/${PLATFORM_API_ID}/clients`,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...owner.headers },
      auth: owner.auth,
      body: JSON.stringify([{ clientId: registrationId }]),
      idempotent: true,
    });
    // The documented answer is the array of registrations now authorized: a 2xx
    // from a proxy or login page must not pass for an authorization.
    const body = this.#core.readJson('authorize', response);
    if (!Array.isArray(body))
      throw shapeError('authorize', response.status, 'list of authorized registrations (a JSON array)');
    // Elements are documented only as "registrations now authorized": accept the
    // UUID under any field name (clientId as in the request, or id).
    const listed = (item: unknown): boolean =>
      typeof item === 'object' &&
      item !== null &&
      Object.values(item).some((v) => typeof v === 'string' && v.toLowerCase() === registrationId.toLowerCase());
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

/** "its client-id and client-secret are in the step outputs", for what is known; undefined when nothing is. */
function keptOutputs(clientId: string | undefined, clientSecret: string | undefined): string | undefined {
  const names = [
    clientId === undefined ? '' : 'client-id',
    clientSecret === undefined ? '' : 'client-secret (masked)',
  ].filter((n) => n !== '');
  if (names.length === 0) return undefined;
  return `its ${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} in the step outputs`;
}
