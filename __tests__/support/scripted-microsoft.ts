/**
 * A scripted Microsoft side for the Entra flow tests: GitHub's OIDC token service, Entra's token
 * endpoint and Graph's synchronization routes answered from a small state, over the scripted
 * transport (no network, no real time).
 */
import { TransportError, type HttpRequest, type HttpResponse } from '../../src/net/http.ts';
import { newEntraReport, type EntraContext } from '../../src/flows/entra-handoff.ts';
import type { EntraInputs } from '../../src/runner/entra-inputs.ts';
import { empty, json, scriptedCore, type ScriptedCore } from './scripted-transport.ts';

export { newEntraReport };

export const SUB = 'repo:octo-org/identity:environment:invicti-rotation';
export const JWT = `h.${Buffer.from(JSON.stringify({ sub: SUB })).toString('base64url')}.s`;
export const INPUTS: EntraInputs = {
  tenantId: 'contoso.onmicrosoft.com',
  clientId: '11111111-2222-3333-4444-555555555555',
  servicePrincipalId: '99999999-8888-7777-6666-555555555555',
  loginUrl: 'https://login.example.test',
  graphUrl: 'https://graph.example.test',
};
export const ENV = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example.test/t',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'rt-123456',
};
export const VALUES = {
  clientId: 'new-client-id',
  clientSecret: 'new-client-secret-xyz',
  scimUrl: 'https://p.test/api/scim/v2',
  tokenUrl: 'https://p.test/oauth/token?audience=https://p.test/api',
};
export const OAUTH2_KEYS = [
  { key: 'BaseAddress', value: 'https://p.test/api/scim/v2' },
  { key: 'AuthenticationType', value: 'OAuth2ClientCredentialsGrant' },
  { key: 'Oauth2TokenExchangeUri', value: 'https://p.test/oauth/token?audience=https://p.test/api' },
  { key: 'Oauth2ClientId', value: 'old-client-id' },
  { key: 'Oauth2ClientSecret', value: '*' },
  { key: 'Oauth2AccessToken', value: '*' },
];

/** The Microsoft side's state and the answers it gives, by route. */
export interface Microsoft {
  jobs: unknown[];
  secrets: Array<{ key: string; value: string }>;
  /** Answers to validateCredentials in turn (the last one repeats); default 204. */
  validate: HttpResponse[];
  /** The answer to the save, or answers in turn (the last one repeats). */
  save: HttpResponse | TransportError | Array<HttpResponse | TransportError>;
  restart: HttpResponse;
}

export function microsoft(
  overrides: Partial<Microsoft> = {},
  maxAttempts = 1,
): {
  ms: Microsoft;
  s: ScriptedCore;
  context: EntraContext;
} {
  const ms: Microsoft = {
    jobs: [{ id: 'scim.0a1b', templateId: 'scim', status: { code: 'Active', quarantine: null } }],
    secrets: OAUTH2_KEYS,
    validate: [],
    save: empty(),
    restart: empty(),
    ...overrides,
  };
  let validations = 0;
  let saves = 0;
  const answer = (request: HttpRequest): HttpResponse | TransportError => {
    const url = new URL(request.url);
    if (url.host === 'oidc.example.test') return json(200, { value: JWT });
    if (url.host === 'login.example.test') return json(200, { token_type: 'Bearer', access_token: 'graph-token-1' });
    if (url.pathname.endsWith('/jobs')) return json(200, { value: ms.jobs });
    if (url.pathname.endsWith('/secrets') && request.method === 'GET') return json(200, { value: ms.secrets });
    if (url.pathname.endsWith('/secrets') && request.method === 'PUT') {
      const answers = Array.isArray(ms.save) ? ms.save : [ms.save];
      const next = answers[Math.min(saves, answers.length - 1)] ?? empty();
      saves += 1;
      return next;
    }
    if (url.pathname.endsWith('/validateCredentials')) {
      const next = ms.validate[Math.min(validations, ms.validate.length - 1)] ?? empty();
      validations += 1;
      return next;
    }
    if (url.pathname.endsWith('/restart')) return ms.restart;
    throw new Error(`unscripted ${request.method} ${request.url}`);
  };
  const s = scriptedCore(answer, maxAttempts);
  return { ms, s, context: { core: s.core, env: ENV, log: s.log, sleep: s.core.options.sleep } };
}

export const graphCalls = (s: ScriptedCore): string[] =>
  s.requests
    .filter((request) => request.url.startsWith('https://graph.example.test'))
    .map((request) => {
      const path = new URL(request.url).pathname.replace(/^.*\/synchronization/u, '');
      const body = request.body ? (JSON.parse(request.body) as Record<string, unknown>) : undefined;
      const saved = body?.['useSavedCredentials'];
      return `${request.method} ${path}${saved === undefined ? '' : ` saved=${String(saved)}`}`;
    });

export const testFailed = json(400, {
  error: { code: 'CredentialValidationUnavailable', message: 'Token request failed' },
});
