/**
 * The platform clients of one run, one per remote API (identity, OAuth,
 * SCIM), sharing one request/retry core and so one connection.
 */
import { ApiCore, type ClientOptions } from './request.ts';
import { IdentityClient } from './identity.ts';
import { OAuthClient } from './oauth.ts';
import { ScimClient } from './scim.ts';

export type { ApiCore, ClientOptions } from './request.ts';

/** The clients a run's flows use. */
export interface PlatformClients {
  /** The run's request core: other servers' clients are made over it (`ApiCore.withBase`), on the same transport. */
  core: ApiCore;
  identity: IdentityClient;
  oauth: OAuthClient;
  scim: ScimClient;
}

/** Makes the three clients over one shared {@link ApiCore} built from `options`. */
export function createPlatformClients(options: ClientOptions): PlatformClients {
  const core = new ApiCore(options);
  return { core, identity: new IdentityClient(core), oauth: new OAuthClient(core), scim: new ScimClient(core) };
}
