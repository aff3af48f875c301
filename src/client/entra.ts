/**
 * Microsoft Entra ID's token endpoint (`<entra-login-url>/<tenant>/oauth2/v2.0/token`): the
 * client-credentials grant with a federated client assertion (the job's GitHub OIDC token), for
 * a Microsoft Graph token, so the hand-off needs no stored secret (`docs/entra-graph-api.md`,
 * "A Graph token without a stored secret"; [MS] v2-oauth2-client-creds-grant-flow, third case).
 */
import { ActionError, sanitize } from '../errors.ts';
import { ENTRA_AUDIENCE } from './github-oidc.ts';
import { field, maskString, requireToken } from './answer.ts';
import type { ApiCore, Service, ServiceError } from './request.ts';

const STEP = 'Entra sign-in';

/** The issuer of GitHub's OIDC tokens, as a federated credential names it [MS + GitHub]. */
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/** What the sign-in needs. */
export interface EntraSignIn {
  /** `entra-tenant-id` (UUID or domain name). */
  tenantId: string;
  /** `entra-client-id`: the app registration with the federated credential. */
  clientId: string;
  /** The GitHub OIDC token (masked), sent as `client_assertion`. */
  assertion: string;
  /** The token's `sub`, quoted when no federated credential matches it. */
  subject: string | undefined;
  /** `entra-graph-url`: the scope is `<graph-url>/.default`. */
  graphUrl: string;
}

/** The Graph token (masked). */
export interface GraphToken {
  accessToken: string;
  /** Lifetime in seconds, when given. */
  expiresIn: number | undefined;
}

/** The AADSTS codes of an Entra error body: `error_codes` [MS], else the `AADSTS<n>:` its description starts with. */
export function aadstsCodes(body: unknown): number[] {
  const codes = field(body, 'error_codes');
  if (Array.isArray(codes)) return codes.filter((code): code is number => Number.isInteger(code));
  const description = field(body, 'error_description');
  const match = typeof description === 'string' ? /^AADSTS(\d+)/u.exec(description) : null;
  return match ? [Number(match[1])] : [];
}

/**
 * The fix for a refused sign-in, by AADSTS code (`docs/entra-graph-api.md`): 700213 no federated
 * credential matches the token's subject; 90002 tenant not found; 700016 application not found;
 * 70011 invalid scope (a wrong `entra-graph-url`); 7000215/7000222 a client secret was expected.
 */
export function signInFix(status: number, error: ServiceError, request: Omit<EntraSignIn, 'assertion'>): string {
  const codes = aadstsCodes(error.body);
  const has = (code: number): boolean => codes.includes(code);
  const subject = request.subject === undefined ? "this job's subject" : `"${request.subject}"`;
  if (has(700213) || has(70021)) {
    return (
      `in app registration ${request.clientId}, add a federated credential (Certificates & secrets → Federated credentials → GitHub Actions) with issuer ${GITHUB_ISSUER}, audience ${ENTRA_AUDIENCE} ` +
      `and subject ${subject}, exactly the subject this job's token carries (it names the repository and the job's environment, branch or tag)`
    );
  }
  if (has(90002) || has(90023))
    return `check entra-tenant-id (${request.tenantId}): use the Directory (tenant) ID from Entra ID → Overview, or a domain of the tenant; for a national cloud also set entra-login-url`;
  if (has(700016))
    return `check entra-client-id (${request.clientId}): it must be the Application (client) ID of an app registration in tenant ${request.tenantId}`;
  if (has(70011) || has(1002012) || error.code === 'invalid_scope')
    return `check entra-graph-url (${request.graphUrl}): the scope is <entra-graph-url>/.default and must name Microsoft Graph of the tenant's cloud`;
  if (has(7000215) || has(7000222) || has(7000112))
    return `check app registration ${request.clientId}: it must be enabled and trust this repository through a federated credential (no client secret is sent)`;
  if (status === 429) return 'Microsoft Entra ID is throttling; wait and re-run, or raise max-attempts';
  if (status >= 500) return 'Microsoft Entra ID had a server error; re-run the job later';
  return `check entra-tenant-id, entra-client-id and the federated credential of app registration ${request.clientId} (subject ${subject})`;
}

/** How error messages name Microsoft Entra ID's token endpoint. */
const ENTRA: Service = {
  name: 'Microsoft Entra ID',
  urlSetting: 'entra-login-url',
  fixFor: (_step, status) =>
    status >= 500 || status === 429
      ? 'Microsoft Entra ID is busy or failing; re-run the job later'
      : 'check entra-login-url, entra-tenant-id and entra-client-id',
  redirectFix:
    "set entra-login-url to Microsoft Entra ID's own sign-in URL (https://login.microsoftonline.com, or a national cloud's), not one that redirects",
};

/**
 * Signs in as the app registration with the GitHub OIDC token as client assertion, for a Graph
 * token (scope `<graph-url>/.default`). The token is masked on receipt.
 * @param core a request core of the run (its base URL is replaced by `loginUrl`).
 * @param loginUrl `entra-login-url`, without trailing slash.
 * @throws ActionError (step `Entra sign-in`) whose fix names the cause by AADSTS code ({@link signInFix}).
 */
export async function requestGraphToken(core: ApiCore, loginUrl: string, request: EntraSignIn): Promise<GraphToken> {
  const entra = core.withBase(loginUrl, ENTRA);
  const response = await entra.send({
    step: STEP,
    method: 'POST',
    path: `/${encodeURIComponent(request.tenantId)}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      client_id: request.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: request.assertion,
      scope: `${request.graphUrl}/.default`,
      grant_type: 'client_credentials',
    }).toString(),
    idempotent: true,
    fix: (status, error) => signInFix(status, error, request),
  });
  const body = entra.readJson(STEP, response, (json) => maskString(core.options.mask, field(json, 'access_token')));
  const accessToken = requireToken(STEP, response.status, field(body, 'access_token'), 'access_token', ENTRA);
  const tokenType = field(body, 'token_type');
  if (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer') {
    throw new ActionError({
      step: STEP,
      status: response.status,
      reason: `the token is of type "${sanitize(core.redact(tokenType), 40)}", not Bearer`,
      fix: 'check entra-login-url: it must be Microsoft Entra ID, not a proxy or another service',
    });
  }
  const expiresIn = field(body, 'expires_in');
  return { accessToken, expiresIn: typeof expiresIn === 'number' ? Math.floor(expiresIn) : undefined };
}
