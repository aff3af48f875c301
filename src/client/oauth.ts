/**
 * The platform's OAuth 2.0 token endpoint, step 4 of the platform's setup
 * guide: the client-credentials grant (RFC 6749 §4.4) with the platform API
 * as `audience` (`<base-url>/api`, or the `audience` input; `docs/platform-api.md`).
 */
import { ActionError, amend, sanitize } from '../errors.ts';
import { fixFor } from './fixes.ts';
import { field, maskString, platformErrorOf, requireToken, shapeError, type ApiCore } from './request.ts';

/** RFC 6749 §5.1 access token response, checked. */
export interface TokenResponse {
  accessToken: string;
  tokenType: string;
  /** Lifetime in seconds, when the server gave one. */
  expiresIn: number | undefined;
  /** `now` + `expiresIn`, ISO 8601 UTC, when `expiresIn` is known. */
  expiresAt: string | undefined;
}

/** RFC 6749 §5.2 error codes whose fix does not depend on the status (`fixes.ts`). */
const KNOWN_TOKEN_ERRORS: ReadonlySet<string> = new Set(['invalid_client', 'access_denied', 'unauthorized_client']);

/** The OAuth token endpoint client, over the run's shared {@link ApiCore}. */
export class OAuthClient {
  readonly #core: ApiCore;

  constructor(core: ApiCore) {
    this.#core = core;
  }

  /** The token audience: the `audience` option, else `<base-url>/api` (step 4 of the setup guide). */
  get audience(): string {
    return this.#core.options.audience ?? `${this.#core.options.baseUrl}/api`;
  }

  /** The token endpoint with its {@link audience}, as the guide writes it (step 4 of the setup guide). */
  get tokenUrl(): string {
    return `${this.#core.options.baseUrl}/oauth/token?audience=${encodeQueryValue(this.audience)}`;
  }

  /**
   * Step 4 of the setup guide / RFC 6749 §4.4: client-credentials grant. `access_token` is
   * masked on receipt; `expires_in` may be a number or a numeric string (seconds).
   * @throws ActionError (step `token`), mapping RFC 6749 §5.2 errors to fixes.
   */
  async requestToken(clientId: string, clientSecret: string): Promise<TokenResponse> {
    let response;
    try {
      response = await this.#core.send({
        step: 'token',
        method: 'POST',
        path: this.tokenUrl.slice(this.#core.options.baseUrl.length),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        }).toString(),
        idempotent: true,
      });
    } catch (error) {
      // A 400 is most often an audience the token server does not know: name the input that set it.
      const custom = this.#core.options.audience;
      if (custom === undefined || !(error instanceof ActionError) || error.status !== 400) throw error;
      const audienceFix = `check the audience input (${custom}): it must be the platform API's identifier on this platform; leave it unset for <base-url>/api`;
      // invalid_client names the client, not the audience: the credentials are the likelier cause.
      if (error.code === 'invalid_client') {
        throw amend(error, {
          fix: `check the client credentials first: a client-id and client-secret swapped, an old client-secret (replaced by a newer run), or a registration that was deleted all give invalid_client; ${error.fix}`,
          fixNote: `if they are right, ${audienceFix}`,
        });
      }
      throw amend(error, { fix: audienceFix });
    }
    const body = this.#core.readJson('token', response, (json) =>
      maskString(this.#core.options.mask, field(json, 'access_token')),
    );
    if (field(body, 'access_token') === undefined && typeof field(body, 'error') === 'string') {
      // An OAuth error (RFC 6749 §5.2) under a success status: the server's word, not a wrong base-url.
      const { code, text } = platformErrorOf(response, this.#core.redact);
      throw new ActionError({
        step: 'token',
        status: response.status,
        code,
        reason: `the token endpoint answered HTTP ${response.status} with an OAuth error instead of a token: "${text ?? code ?? ''}"`,
        fix: KNOWN_TOKEN_ERRORS.has(code ?? '')
          ? fixFor('token', response.status, code, new URL(this.#core.options.baseUrl).host)
          : 'the token server refused the client-credentials grant with this OAuth error (RFC 6749 §5.2); check the client-id and client-secret inputs, then re-run',
      });
    }
    const checked = requireToken('token', response.status, field(body, 'access_token'), 'access_token');
    const tokenType = field(body, 'token_type');
    // Absent (or null) is allowed (RFC 6749 §5.1 says RECOMMENDED); present, it must be seconds.
    const rawExpiresIn = field(body, 'expires_in');
    const expiresIn = parseExpiresIn(rawExpiresIn);
    const expiry =
      expiresIn === undefined ? undefined : new Date(this.#core.options.now().getTime() + expiresIn * 1000);
    if (
      (rawExpiresIn !== undefined && rawExpiresIn !== null && expiresIn === undefined) ||
      (expiry !== undefined && Number.isNaN(expiry.getTime()))
    ) {
      throw shapeError('token', response.status, 'expires_in (a number of seconds, or a string of digits)');
    }
    return {
      accessToken: checked,
      // Shown in the log, the summary and the unmasked token-type output: a secret
      // echoed here is redacted before it is shortened.
      tokenType: typeof tokenType === 'string' ? sanitize(this.#core.redact(tokenType), 40) : '',
      expiresIn,
      expiresAt: expiry?.toISOString(),
    };
  }
}

/** Encodes a query value as the guide writes it: reserved characters escaped except `:` and `/`. */
function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gu, ':').replace(/%2F/gu, '/');
}

function parseExpiresIn(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.floor(value);
  if (typeof value === 'string' && /^\d+(\.\d+)?$/u.test(value.trim())) return Math.floor(Number(value));
  return undefined;
}
