/**
 * GitHub's OIDC token service, as a job with `permissions: id-token: write` reaches it: a GET of
 * `ACTIONS_ID_TOKEN_REQUEST_URL` with `audience` appended, the job's request token as a Bearer
 * header, answered by `{"value": "<JWT>"}` (`docs/entra-graph-api.md`, "A Graph token without a
 * stored secret"). Sent through the run's own transport, which never follows a redirect:
 * `@actions/core` `getIDToken` would follow one with the request token to any host.
 */
import { ActionError, sanitize } from '../errors.ts';
import { isLoopback } from '../net/loopback.ts';
import { BEARER_TOKEN, field, maskString, requireToken } from './answer.ts';
import type { ApiCore, Service } from './request.ts';

/** The audience Microsoft Entra ID expects in a federated client assertion [MS: workload identity federation]. */
export const ENTRA_AUDIENCE = 'api://AzureADTokenExchange';

const STEP = 'Entra OIDC token';

/** How error messages name GitHub's token service, and what they advise. */
const GITHUB_OIDC: Service = {
  name: "GitHub's OIDC token service",
  urlSetting: 'ACTIONS_ID_TOKEN_REQUEST_URL (set by the runner)',
  fixFor: (_step, status) =>
    status === 401 || status === 403
      ? "the runner's request token was refused; re-run the job (the token lives only as long as the job), and check that the job has permissions: id-token: write"
      : status === 429 || status >= 500
        ? "GitHub's token service is busy or failing; re-run the job later, or raise max-attempts"
        : 're-run the job; if it persists, check githubstatus.com',
  redirectFix: 're-run the job; the request token is never sent to a redirect target',
};

/** The token and the subject a federated credential must trust. */
export interface OidcToken {
  /** The JWT (masked). */
  token: string;
  /** Its `sub` claim (e.g. `repo:owner/name:environment:prod`), when the payload could be read; not a secret. */
  subject: string | undefined;
}

/**
 * The error when the runner gave the job no way to request a token: both variables are absent
 * unless the job (or workflow) has `permissions: id-token: write` (`docs/entra-graph-api.md`).
 */
function noPermission(missing: string[]): ActionError {
  return new ActionError({
    step: STEP,
    reason: `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set, so this job cannot get a GitHub OIDC token to sign in to Microsoft Entra ID; the runner sets them only for a job with permission id-token: write`,
    fix: 'add "permissions: id-token: write" (with the other permissions the job needs, e.g. contents: read) to the job or the workflow; pull requests from forks never get it',
  });
}

/**
 * Gets the job's GitHub OIDC token for {@link ENTRA_AUDIENCE}. The request token is masked as
 * soon as it is read, the JWT as soon as it arrives (before anything about the answer is logged).
 * @param core a request core of the run (its base URL is replaced by the token service's origin).
 * @param env the runner environment: `ACTIONS_ID_TOKEN_REQUEST_URL`, `ACTIONS_ID_TOKEN_REQUEST_TOKEN`.
 * @throws ActionError (step `Entra OIDC token`): variables missing (no `id-token: write`), a URL that is not
 * HTTPS (outside loopback), an HTTP error, or an answer without a usable `value`.
 */
export async function requestOidcToken(
  core: ApiCore,
  env: Readonly<Record<string, string | undefined>>,
): Promise<OidcToken> {
  const requestToken = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] ?? '';
  if (requestToken !== '') core.options.mask(requestToken);
  const requestUrl = env['ACTIONS_ID_TOKEN_REQUEST_URL'] ?? '';
  const missing = Object.entries({
    ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
  })
    .filter(([, value]) => value === '')
    .map(([name]) => name);
  if (missing.length > 0) throw noPermission(missing);
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    throw new ActionError({
      step: STEP,
      reason: 'ACTIONS_ID_TOKEN_REQUEST_URL is not an absolute URL',
      fix: 'run the action on a GitHub Actions runner, which sets it; do not set it yourself',
    });
  }
  // Plain http:// only to a loopback address (net/loopback.ts): `127.evil.example` is a DNS name.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new ActionError({
      step: STEP,
      reason: `ACTIONS_ID_TOKEN_REQUEST_URL uses ${url.protocol.replace(':', '')} to ${url.hostname}, and the request token is only sent over HTTPS`,
      fix: 'run the action on a GitHub Actions runner, which sets an https:// URL; do not set it yourself',
    });
  }
  if (!BEARER_TOKEN.test(requestToken)) {
    throw new ActionError({
      step: STEP,
      reason: 'ACTIONS_ID_TOKEN_REQUEST_TOKEN is not a token an Authorization header can carry',
      fix: 'run the action on a GitHub Actions runner, which sets it; do not set it yourself',
    });
  }
  const audience = `audience=${encodeURIComponent(ENTRA_AUDIENCE)}`;
  const query = url.search === '' ? `?${audience}` : `${url.search}&${audience}`;
  const oidc = core.withBase(url.origin, GITHUB_OIDC);
  const response = await oidc.send({
    step: STEP,
    method: 'GET',
    path: `${url.pathname}${query}`,
    headers: { authorization: `Bearer ${requestToken}`, accept: 'application/json' },
    idempotent: true,
  });
  const body = oidc.readJson(STEP, response, (json) => maskString(core.options.mask, field(json, 'value')));
  const token = requireToken(STEP, response.status, field(body, 'value'), 'value (the GitHub OIDC token)', GITHUB_OIDC);
  return { token, subject: subjectOf(token) };
}

/**
 * The `sub` claim of a JWT (RFC 7519 §4.1.2), read from its payload without checking the
 * signature (only quoted in messages, never trusted), or undefined when it cannot be read.
 */
export function subjectOf(jwt: string): string | undefined {
  const payload = jwt.split('.')[1];
  if (payload === undefined || !/^[A-Za-z0-9_-]+$/u.test(payload)) return undefined;
  try {
    const sub = field(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown, 'sub');
    return typeof sub === 'string' && sub.trim() !== '' ? sanitize(sub, 300) : undefined;
  } catch {
    return undefined;
  }
}
