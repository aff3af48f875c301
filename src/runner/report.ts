/**
 * The run's report: what each step found, filled in by the flows as they go,
 * and turned into step outputs (and the step summary) at the end, on success
 * and on failure alike, so nothing a run made is lost.
 */
import type { Mode, Region } from './inputs.ts';
import type { OwnerAuth } from '../client/owner.ts';
import type { ScimFeatures } from '../client/scim.ts';

/** One read of the check, as the summary lists it. */
export interface ScimCheckResult {
  /** The request, e.g. `GET /ServiceProviderConfig`. */
  check: string;
  result: 'passed' | 'failed' | 'not run';
  /** What it found, or why it failed (short; no secret). */
  detail: string;
}

/** Everything a run learned. Secrets in it were masked when received. */
export interface Report {
  mode: Mode;
  baseUrl: string;
  region: Region | undefined;
  scimUrl: string;
  tokenUrl: string;
  /** The `audience` input, when it overrides `<base-url>/api` (it is in `tokenUrl` either way). */
  audience?: string;
  /** Provision: the `organization-id` input, when set (sent as `organizationId` at login). */
  organizationId?: string;
  /** Provision: how the run authenticated as the Owner (API key, or email and password). */
  ownerAuth?: OwnerAuth;
  /** Provision: the registration, once step 2 answered. */
  registration?: {
    /** The registration id (documented as a UUID), when the answer gave a usable one. */
    id?: string;
    name: string;
    /** `credentials.clientId`, when returned. */
    clientId?: string;
    /** `credentials.clientSecret`, when returned (masked). */
    clientSecret?: string;
    authorized: boolean;
  };
  /** Token mode, or provision with verify: the client-credentials grant's answer. */
  token?: {
    accessToken: string;
    tokenType: string;
    /** Seconds, as the server said. */
    expiresIn: number | undefined;
    /** ISO 8601 UTC. */
    expiresAt: string | undefined;
  };
  /** Provision: step 4 with the new credentials succeeded. */
  verified: boolean;
  /** Token mode: the `client-id` input (not a secret: the directory's Client Identifier). */
  clientId?: string;
  /** What the inputs asked for, so the summary can tell "not requested" from "not reached". */
  requested?: { verify: boolean; scimCheck: boolean };
  /** The features the ServiceProviderConfig states, once the SCIM check read it. */
  scim?: ScimFeatures;
  /** The SCIM check's reads in order, each passed, failed or not run (set when the check starts). */
  scimChecks?: ScimCheckResult[];
}

/** The step outputs of action.yml, by name. */
export type OutputName =
  | 'registration-id'
  | 'client-id'
  | 'client-secret'
  | 'access-token'
  | 'token-type'
  | 'expires-in'
  | 'expires-at'
  | 'scim-url'
  | 'token-url';

/**
 * The outputs a report yields: only the values it knows (a failed run sets
 * what it got before failing). Input-error runs have no report and no outputs.
 */
export function outputsOf(report: Report): Partial<Record<OutputName, string>> {
  const out: Partial<Record<OutputName, string>> = { 'scim-url': report.scimUrl, 'token-url': report.tokenUrl };
  const registration = report.registration;
  if (registration) {
    if (registration.id !== undefined) out['registration-id'] = registration.id;
    if (registration.clientId !== undefined) out['client-id'] = registration.clientId;
    if (registration.clientSecret !== undefined) out['client-secret'] = registration.clientSecret;
  }
  const token = report.token;
  if (token) {
    out['access-token'] = token.accessToken;
    out['token-type'] = token.tokenType;
    if (token.expiresIn !== undefined) out['expires-in'] = String(token.expiresIn);
    if (token.expiresAt !== undefined) out['expires-at'] = token.expiresAt;
  }
  return out;
}
