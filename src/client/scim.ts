/**
 * The platform's SCIM 2.0 service (RFC 7644), read only: the SCIM check
 * reads what the directory will read, and never creates, changes or deletes
 * a user or group (`docs/platform-api.md`).
 */
import { ActionError, amend } from '../errors.ts';
import { field, platformErrorOf, type ApiCore } from './request.ts';

/** The RFC 7643 §5 schema URN a ServiceProviderConfig must list. */
export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';

/** The RFC 7644 §3.4.2 schema URN of a list answer (query results). */
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** A checked RFC 7644 §3.4.2 ListResponse: its counts, not its resources. */
export interface ScimList {
  /** `totalResults`: how many resources match the query (all pages). */
  totalResults: number;
  /** How many resources this page carries (`Resources` length; 0 when absent). */
  returned: number;
}

/** The list endpoints the check reads, and what the directory does with each. */
type ListResource = 'Users' | 'Groups';

/**
 * An RFC 7644 §3.4.2.2 filter `<attribute> eq "<value>"`, the value written as
 * a JSON string (quotes and backslashes escaped), as the filter grammar wants.
 */
export function equalityFilter(attribute: string, value: string): string {
  return `${attribute} eq ${JSON.stringify(value)}`;
}

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
    let response;
    try {
      response = await this.#core.send({
        step: 'SCIM check',
        method: 'GET',
        path: '/api/scim/v2/ServiceProviderConfig',
        headers: { accept: 'application/scim+json, application/json', authorization: `Bearer ${accessToken}` },
        idempotent: true,
      });
    } catch (error) {
      throw error instanceof ActionError && error.status === 404
        ? this.#notFound(error, 'GET /ServiceProviderConfig', 'the directory cannot discover what the server supports')
        : error;
    }
    const body = this.#core.readJson('SCIM check', response);
    const schemas = field(body, 'schemas');
    if (response.status !== 200 || !Array.isArray(schemas) || !schemas.includes(SERVICE_PROVIDER_CONFIG_SCHEMA)) {
      // A SCIM error body (RFC 7644 §3.12) on a 2xx is still the server's word: quote its `detail`.
      const { code, text } = platformErrorOf(response, this.#core.redact);
      const said = text === undefined ? '' : `; the platform answered "${text}"`;
      throw new ActionError({
        step: 'SCIM check',
        status: response.status,
        code,
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
  /**
   * The query Microsoft Entra ID's "Test connection" sends (RFC 7644 §3.4.2.2):
   * `GET /Users?filter=userName eq "<userName>"`, the filter percent-encoded as
   * RFC 3986 wants (a space is `%20`, never `+`).
   * @returns the ListResponse's counts; the caller judges them.
   * @throws ActionError (step `SCIM check`) saying what the directory will see: 401/403 → the
   *   token is not accepted for SCIM; 404 → the Tenant URL is wrong; not a ListResponse → not SCIM 2.0.
   */
  async findUsersByUserName(accessToken: string, userName: string): Promise<ScimList> {
    const filter = equalityFilter('userName', userName);
    return this.#readList(
      accessToken,
      'Users',
      `?filter=${encodeURIComponent(filter)}`,
      `GET /Users?filter=${filter}`,
      'the filter (no user or one matches it)',
    );
  }

  /**
   * Reads one group as the directory reads groups: `GET /Groups?count=1&excludedAttributes=members`
   * (RFC 7644 §3.4.2.4, §3.9). Platform teams are SCIM Groups.
   * @returns the ListResponse's counts.
   * @throws ActionError (step `SCIM check`), as {@link findUsersByUserName}.
   */
  async listGroups(accessToken: string): Promise<ScimList> {
    const query = '?count=1&excludedAttributes=members';
    return this.#readList(accessToken, 'Groups', query, `GET /Groups${query}`, 'count=1');
  }

  /**
   * One list read. `bound` is what in the query keeps the answer small (`count=1`, the filter):
   * an answer over the body limit is read once, not retried, and said to have ignored it.
   */
  async #readList(
    accessToken: string,
    resource: ListResource,
    query: string,
    request: string,
    bound: string,
  ): Promise<ScimList> {
    let response;
    try {
      response = await this.#core.send({
        step: 'SCIM check',
        method: 'GET',
        path: `/api/scim/v2/${resource}${query}`,
        headers: { accept: 'application/scim+json, application/json', authorization: `Bearer ${accessToken}` },
        idempotent: true,
        tooLarge: `the server ignored ${bound} of ${request} and answered more than the action reads, so the directory's reads of ${resource} will be as large`,
      });
    } catch (error) {
      throw this.#listError(error, resource, request);
    }
    const fail = (status: number, reason: string): ActionError =>
      new ActionError({
        step: 'SCIM check',
        status,
        reason,
        fix: 'check base-url: it must be the platform URL that serves /api/scim/v2',
      });
    if (response.status !== 200)
      throw fail(response.status, `expected HTTP 200 with a ListResponse, as the directory does (${request})`);
    let body: unknown;
    try {
      body = this.#core.readJson('SCIM check', response);
    } catch (error) {
      throw amend(error, { request });
    }
    const schemas = field(body, 'schemas');
    if (!Array.isArray(schemas) || !schemas.includes(LIST_RESPONSE_SCHEMA)) {
      throw fail(
        response.status,
        `${request} did not answer a SCIM ListResponse (schemas does not list ${LIST_RESPONSE_SCHEMA}), so the directory cannot read it: ${this.scimUrl} is not a SCIM 2.0 endpoint`,
      );
    }
    const total = field(body, 'totalResults');
    const resources = field(body, 'Resources');
    if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) {
      throw fail(
        response.status,
        `${request} answered a ListResponse without a valid totalResults (a whole number, RFC 7644 §3.4.2), so the directory cannot page through it`,
      );
    }
    if (resources !== undefined && !Array.isArray(resources)) {
      throw fail(response.status, `${request} answered a ListResponse whose Resources is not a list (RFC 7644 §3.4.2)`);
    }
    return { totalResults: total, returned: resources?.length ?? 0 };
  }

  /** An HTTP failure of a list read, said as what the directory will see and why. */
  #listError(error: unknown, resource: ListResource, request: string): unknown {
    if (!(error instanceof ActionError)) return error;
    const then = (lead: string, fix: string): ActionError =>
      new ActionError({
        step: 'SCIM check',
        status: error.status,
        code: error.code,
        reason: lead,
        notes: [error.why],
        fix,
      });
    const directory =
      resource === 'Users'
        ? 'Microsoft Entra ID\'s "Test connection" (this same query) will fail'
        : "the directory cannot read or provision groups (the platform's teams)";
    if (error.status === 401 || error.status === 403) {
      return then(
        `${request} was refused after ServiceProviderConfig was read, so ${directory}: the bearer token is not accepted for SCIM (a server may serve ServiceProviderConfig without checking it)`,
        "check that the registration was authorized for the platform API (step 3 of the platform's setup guide): mode provision does that for the registration it creates; for other credentials, authorize their registration id or provision new ones",
      );
    }
    if (error.status === 404) return this.#notFound(error, request, directory);
    return amend(error, { request });
  }

  /**
   * A SCIM read answered 404. The bearer token it carries came from the token endpoint at the same
   * base URL a moment before, so base-url is right: SCIM is likely not enabled for the account.
   */
  #notFound(error: ActionError, request: string, directory: string): ActionError {
    return new ActionError({
      step: 'SCIM check',
      status: error.status,
      code: error.code,
      reason: `${request} was not found at ${this.scimUrl}, although the token endpoint at the same base URL had just issued the bearer token: SCIM may not be enabled for this account, so ${directory}`,
      notes: [error.why],
      fix: "ask the platform's support or your account manager to enable SCIM provisioning for the account; if it is enabled, check any proxy in front of the platform (one that forwards only some paths gives this too)",
    });
  }
}
