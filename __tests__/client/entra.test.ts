/**
 * The Entra sign-in (src/client/entra.ts) over a scripted transport: the form body of the
 * client-credentials grant with a federated assertion, the Graph token masked, and a fix for
 * each AADSTS code the preflight names.
 */
import { describe, expect, it } from 'vitest';
import { ActionError } from '../../src/errors.ts';
import { aadstsCodes, requestGraphToken } from '../../src/client/entra.ts';
import { json, scriptedCore } from '../support/scripted-transport.ts';

const LOGIN = 'https://login.example.test';
const REQUEST = {
  tenantId: 'contoso.onmicrosoft.com',
  clientId: '11111111-2222-3333-4444-555555555555',
  assertion: 'header.payload.signature',
  subject: 'repo:octo-org/identity:environment:invicti-rotation',
  graphUrl: 'https://graph.example.test',
};
const GRAPH_TOKEN = 'graph-token-abcdefghijklmnop';

function entraError(status: number, code: number, error = 'invalid_client'): ReturnType<typeof json> {
  return json(status, {
    error,
    error_description: `AADSTS${code}: something went wrong.\r\nTrace ID: 0000`,
    error_codes: [code],
    trace_id: '0000',
  });
}

describe('requestGraphToken', () => {
  it('POSTs the federated client-credentials form to <login>/<tenant>/oauth2/v2.0/token', async () => {
    const s = scriptedCore(() => json(200, { token_type: 'Bearer', expires_in: 3599, access_token: GRAPH_TOKEN }));
    const token = await requestGraphToken(s.core, LOGIN, REQUEST);
    expect(token).toEqual({ accessToken: GRAPH_TOKEN, expiresIn: 3599 });
    const [request] = s.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(`${LOGIN}/contoso.onmicrosoft.com/oauth2/v2.0/token`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body ?? ''))).toEqual({
      client_id: REQUEST.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: REQUEST.assertion,
      scope: 'https://graph.example.test/.default',
      grant_type: 'client_credentials',
    });
    expect(s.secrets).toContain(GRAPH_TOKEN);
  });

  it('700213: the fix quotes the subject the federated credential must trust', async () => {
    const s = scriptedCore(() => entraError(400, 700213));
    const error = (await requestGraphToken(s.core, LOGIN, REQUEST).catch((e: unknown) => e)) as ActionError;
    expect(error).toBeInstanceOf(ActionError);
    expect(error.step).toBe('Entra sign-in');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(
      /^Entra sign-in failed \(HTTP 400\): Microsoft Entra ID answered "invalid_client: AADSTS700213/u,
    );
    expect(error.fix).toContain(`subject "${REQUEST.subject}"`);
    expect(error.fix).toContain('https://token.actions.githubusercontent.com');
    expect(error.fix).toContain('api://AzureADTokenExchange');
    // Not retried: a 400 does not change with time.
    expect(s.requests).toHaveLength(1);
    // One line: the description's line break is gone.
    expect(error.message).not.toMatch(/[\r\n]/u);
  });

  it.each([
    [90002, 'invalid_request', 'check entra-tenant-id (contoso.onmicrosoft.com)'],
    [700016, 'unauthorized_client', `check entra-client-id (${REQUEST.clientId})`],
    [70011, 'invalid_scope', 'check entra-graph-url (https://graph.example.test)'],
  ])('AADSTS%i: the fix names the input to check', async (code, error, fix) => {
    const s = scriptedCore(() => entraError(400, code, error));
    const caught = (await requestGraphToken(s.core, LOGIN, REQUEST).catch((e: unknown) => e)) as ActionError;
    expect(caught.fix).toContain(fix);
  });

  it('429 with Retry-After is retried after the time it asks', async () => {
    const s = scriptedCore((_request, index) =>
      index === 0
        ? json(429, { error: 'temporarily_unavailable' }, { 'retry-after': '7' })
        : json(200, { token_type: 'Bearer', access_token: GRAPH_TOKEN }),
    );
    await requestGraphToken(s.core, LOGIN, REQUEST);
    expect(s.sleeps).toEqual([7000]);
    expect(s.requests).toHaveLength(2);
  });

  it('a token type other than Bearer fails the sign-in', async () => {
    const s = scriptedCore(() => json(200, { token_type: 'pop', access_token: GRAPH_TOKEN }));
    const error = (await requestGraphToken(s.core, LOGIN, REQUEST).catch((e: unknown) => e)) as ActionError;
    expect(error.reason).toContain('not Bearer');
  });
});

describe('aadstsCodes', () => {
  it('reads error_codes, else the code the description starts with', () => {
    expect(aadstsCodes({ error_codes: [700213, 'x'] })).toEqual([700213]);
    expect(aadstsCodes({ error_description: 'AADSTS90002: Tenant not found.' })).toEqual([90002]);
    expect(aadstsCodes({ error: 'invalid_client' })).toEqual([]);
    expect(aadstsCodes(undefined)).toEqual([]);
  });
});
