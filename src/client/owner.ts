/**
 * The Owner credential that steps 2 and 3 of the platform's setup guide send:
 * either the bearer token from step 1's password login, or a user's API key in
 * the `X-Auth` header (the platform's pages "Use the Invicti Platform API",
 * "Authenticate" and "Manage your API key"; `docs/platform-api.md`, "the API
 * key"). The identity client asks it for headers, so no caller branches on
 * how the run authenticated.
 */

/**
 * How the run authenticated as the Owner: `api-key` (input `api-key`, sent as
 * `X-Auth`; step 1 skipped) or `password` (inputs `email` + `password`, step 1's login).
 */
export type OwnerAuth = 'api-key' | 'password';

/** An Owner credential for the identity API (steps 2–3). Holds a secret that was masked before it got here. */
export interface OwnerCredential {
  readonly auth: OwnerAuth;
  /** Request headers that authenticate as the Owner: `authorization` or `x-auth`, never both. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The credential step 1 yields: `Authorization: Bearer <accessToken>` (the setup guide, steps 2–3). */
export function loginCredential(accessToken: string): OwnerCredential {
  return { auth: 'password', headers: { authorization: `Bearer ${accessToken}` } };
}

/**
 * The credential an API key yields: `X-Auth: <apiKey>` and no Authorization
 * header (the platform's page "Authenticate"). `apiKey` must already be
 * masked and be header-safe (`BEARER_TOKEN` of request.ts; runner/inputs.ts checks both).
 */
export function apiKeyCredential(apiKey: string): OwnerCredential {
  return { auth: 'api-key', headers: { 'x-auth': apiKey } };
}

/** How the log and the step summary name a way of authenticating (never the secret itself). */
export function describeOwnerAuth(auth: OwnerAuth): string {
  return auth === 'api-key'
    ? 'API key (input api-key, sent as the X-Auth header; step 1, the password login, skipped)'
    : 'email and password (inputs email and password, exchanged for a login token by step 1)';
}
