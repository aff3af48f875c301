/**
 * The run's report: what each step found, filled in by the flows as they go,
 * and turned into step outputs (and the step summary) at the end, on success
 * and on failure alike, so nothing a run made is lost.
 */
import type { Mode, Region } from './inputs.ts';
import type { OwnerAuth } from '../client/owner.ts';
import type { ScimFeatures } from '../client/scim.ts';
import type { KeyNames } from '../client/graph.ts';

/** The result of one of Entra's connection tests (`validateCredentials`). */
export type EntraTest = 'passed' | 'failed' | 'not run';

/**
 * The save of the new values (`PUT …/secrets`): `not sent`; `sent` (no answer yet, or the answer
 * was lost: Entra may hold the old or the new values); `saved` (2xx); `refused` (an HTTP error
 * that proves nothing was saved: 4xx).
 */
export type EntraSave = 'not sent' | 'sent' | 'saved' | 'refused';

/** What the Microsoft Entra ID hand-off (or `entra-check`) learned and did. */
export interface EntraReport {
  tenantId: string;
  /** `entra-client-id`: the app registration that signs in. */
  appClientId: string;
  /** `entra-service-principal-id`: the enterprise application updated. */
  servicePrincipalId: string;
  /** The GitHub OIDC token's `sub` (not a secret). */
  subject?: string;
  /** The SCIM provisioning job, once found. */
  jobId?: string;
  /** Its `status.code`, as Graph gave it. */
  jobStatus?: string;
  /** The job was in quarantine when the run read it. */
  quarantined?: boolean;
  quarantineReason?: string;
  /** The key names the app holds for the form's fields. */
  keys?: KeyNames;
  /** The client id Entra held before the hand-off (the clear value of its client-id key). */
  previousClientId?: string;
  /** Names of the keys whose value the hand-off changes (never values). */
  changedKeys?: string[];
  /** Entra's test of the new values, before saving. */
  newTest: EntraTest;
  save: EntraSave;
  /** Entra's test of the saved values (after saving; in entra-check the only test). */
  savedTest: EntraTest;
  /** The quarantine: `lifted` by the run, or `not lifted` (the run ended first or the restart failed). */
  quarantine?: 'lifted' | 'not lifted';
  /** Entra saved the new values and its test of the saved values passed. */
  updated: boolean;
}

/**
 * What Microsoft Entra ID holds after a hand-off that failed or was cancelled, in one clause
 * (for the `::error::` and the summary); undefined when no hand-off was under way.
 */
export function entraHolds(entra: EntraReport | undefined): string | undefined {
  if (entra === undefined) return undefined;
  switch (entra.save) {
    case 'saved':
      return 'Microsoft Entra ID holds the new values';
    case 'sent':
      return 'Microsoft Entra ID may hold the old or the new values (the save was sent, and its outcome is unknown: no answer, or a server error after a try that may have saved); run mode entra-check before re-running, to see whether the values it holds work';
    default:
      return 'Microsoft Entra ID still holds its old values (nothing was saved)';
  }
}
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
  /** The Microsoft Entra ID hand-off (or mode `entra-check`), when the Entra inputs are given. */
  entra?: EntraReport;
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
  | 'token-url'
  | 'entra-updated'
  | 'entra-job-id';

/**
 * The outputs a report yields: only the values it knows (a failed run sets
 * what it got before failing). Input-error runs have no report and no outputs.
 */
export function outputsOf(report: Report): Partial<Record<OutputName, string>> {
  // Mode entra-check does not use the platform: no platform URLs.
  const out: Partial<Record<OutputName, string>> =
    report.mode === 'entra-check' ? {} : { 'scim-url': report.scimUrl, 'token-url': report.tokenUrl };
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
  const entra = report.entra;
  if (entra) {
    out['entra-updated'] = String(entra.updated);
    if (entra.jobId !== undefined) out['entra-job-id'] = entra.jobId;
  }
  return out;
}
