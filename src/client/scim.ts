/**
 * The platform's SCIM 2.0 service (RFC 7644), read only: the SCIM check
 * reads what the directory will read, and never creates, changes or deletes
 * a user or group (`docs/platform-api.md`).
 */
import { ActionError } from '../errors.ts';
import { field, platformErrorOf, type ApiCore } from './core.ts';

/** The RFC 7643 §5 schema URN a ServiceProviderConfig must list. */
export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';

/** What an RFC 7643 §5 ServiceProviderConfig says the server supports. */
export interface ScimFeatures {
  patch: boolean | undefined;
  bulk: boolean | undefined;
  filter: boolean | undefined;
  sort: boolean | undefined;
  etag: boolean | undefined;
  changePassword: boolean | undefined;
}

/** The SCIM client, over the run's shared {@link ApiCore}. */
export class ScimClient {
  readonly #core: ApiCore;

  constructor(core: ApiCore) {
    this.#core = core;
  }

  /** `<base-url>/api/scim/v2`: the SCIM base, Entra ID's "Tenant URL". */
  get scimUrl(): string {
    return `${this.#core.options.baseUrl}/api/scim/v2`;
  }

  /**
   * RFC 7644 §4: reads `/api/scim/v2/ServiceProviderConfig` with a bearer token.
   * Passes when the status is 200 and `schemas` lists {@link SERVICE_PROVIDER_CONFIG_SCHEMA}.
   * @returns the features the server says it supports (RFC 7643 §5).
   * @throws ActionError (step `SCIM check`) with the SCIM error `detail` (RFC 7644 §3.12).
   */
  async readServiceProviderConfig(accessToken: string): Promise<ScimFeatures> {
    const response = await this.#core.send({
      step: 'SCIM check',
      method: 'GET',
      path: '/api/scim/v2/ServiceProviderConfig',
      headers: { accept: 'application/scim+json, application/json', authorization: `Bearer ${accessToken}` },
      idempotent: true,
    });
    const body = this.#core.readJson('SCIM check', response);
    const schemas = field(body, 'schemas');
    if (response.status !== 200 || !Array.isArray(schemas) || !schemas.includes(SERVICE_PROVIDER_CONFIG_SCHEMA)) {
      // A SCIM error body (RFC 7644 §3.12) on a 2xx is still the server's word: quote its `detail`.
      const { code, text } = platformErrorOf(response, this.#core.redact);
      const said = text === undefined ? '' : `; the platform answered "${text}"`;
      throw new ActionError({
        step: 'SCIM check',
        status: response.status,
        platformError: code,
        reason:
          response.status !== 200
            ? `expected HTTP 200 with a ServiceProviderConfig${said}`
            : `the response is not a ServiceProviderConfig (schemas does not list ${SERVICE_PROVIDER_CONFIG_SCHEMA})${said}`,
        fix: 'check base-url: it must be the platform URL that serves /api/scim/v2',
      });
    }
    const supported = (name: string): boolean | undefined => {
      const value = field(field(body, name), 'supported');
      return typeof value === 'boolean' ? value : undefined;
    };
    return {
      patch: supported('patch'),
      bulk: supported('bulk'),
      filter: supported('filter'),
      sort: supported('sort'),
      etag: supported('etag'),
      changePassword: supported('changePassword'),
    };
  }
}
