/**
 * The platform clients of one run, one per remote API (identity, OAuth,
 * SCIM), sharing one request/retry core and so one connection.
 */
import { ApiCore, type ClientOptions } from './request.ts';
import { IdentityClient } from './identity.ts';
import { OAuthClient } from './oauth.ts';
import { ScimClient } from './scim.ts';

export type { ClientOptions } from './request.ts';

/** The clients a run's flows use. */
export interface PlatformClients {
  identity: IdentityClient;
  oauth: OAuthClient;
  scim: ScimClient;
}

/** Makes the three clients over one shared {@link ApiCore} built from `options`. */
export function createPlatformClients(options: ClientOptions): PlatformClients {
  const core = new ApiCore(options);
  return { identity: new IdentityClient(core), oauth: new OAuthClient(core), scim: new ScimClient(core) };
}
