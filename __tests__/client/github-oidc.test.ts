/**
 * The GitHub OIDC token request (src/client/github-oidc.ts) over a scripted transport: the URL
 * with the Entra audience, the request token as Bearer, masking of both tokens before anything
 * else, the subject read from the JWT, and the errors without id-token permission.
 */
import { describe, expect, it } from 'vitest';
import { ActionError } from '../../src/errors.ts';
import { requestOidcToken, subjectOf } from '../../src/client/github-oidc.ts';
import { json, scriptedCore } from '../support/scripted-transport.ts';

const SUBJECT = 'repo:octo-org/identity:environment:invicti-rotation';
const JWT = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: SUBJECT, aud: 'api://AzureADTokenExchange' })).toString('base64url')}.c2lnbmF0dXJl`;
const REQUEST_TOKEN = 'request-token-0123456789';

function env(url = 'https://pipelines.actions.example.test/oidc/token?api-version=2.0'): Record<string, string> {
  return { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN };
}

describe('requestOidcToken', () => {
  it('GETs the request URL with &audience=api%3A%2F%2FAzureADTokenExchange and the request token as Bearer', async () => {
    const s = scriptedCore(() => json(200, { value: JWT }));
    const token = await requestOidcToken(s.core, env());
    expect(token).toEqual({ token: JWT, subject: SUBJECT });
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]?.method).toBe('GET');
    expect(s.requests[0]?.url).toBe(
      'https://pipelines.actions.example.test/oidc/token?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange',
    );
    expect(s.requests[0]?.headers['authorization']).toBe(`Bearer ${REQUEST_TOKEN}`);
  });

  it('appends the audience with ? when the URL has no query', async () => {
    const s = scriptedCore(() => json(200, { value: JWT }));
    await requestOidcToken(s.core, env('http://127.0.0.1:8080/oidc'));
    expect(s.requests[0]?.url).toBe('http://127.0.0.1:8080/oidc?audience=api%3A%2F%2FAzureADTokenExchange');
  });

  it('masks the request token before sending and the JWT on receipt', async () => {
    const s = scriptedCore((request) => {
      // The request token was masked before the request left.
      expect(s.secrets).toContain(REQUEST_TOKEN);
      expect(s.secrets).not.toContain(JWT);
      expect(request.url).toContain('audience=');
      return json(200, { value: JWT });
    });
    await requestOidcToken(s.core, env());
    expect(s.secrets).toContain(JWT);
  });

  it.each([
    [{}, 'ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set'],
    [{ ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x.test/t' }, 'ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set'],
  ])('without id-token: write (%o) names the permission and sends nothing', async (given, reason) => {
    const s = scriptedCore(() => json(200, { value: JWT }));
    const error = await requestOidcToken(s.core, given).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).step).toBe('Entra OIDC token');
    expect((error as ActionError).message).toContain(reason);
    expect((error as ActionError).fix).toContain('permissions: id-token: write');
    expect(s.requests).toEqual([]);
  });

  it('refuses to send the request token over plain http to a host that is not loopback', async () => {
    const s = scriptedCore(() => json(200, { value: JWT }));
    const error = await requestOidcToken(s.core, env('http://token.example.test/oidc')).catch((e: unknown) => e);
    expect((error as ActionError).reason).toContain('only sent over HTTPS');
    expect(s.requests).toEqual([]);
  });

  it('a redirect is not followed and the error names the OIDC step', async () => {
    const s = scriptedCore(() => ({ status: 302, headers: { location: 'https://evil.example.test/steal' }, body: '' }));
    const error = (await requestOidcToken(s.core, env()).catch((e: unknown) => e)) as ActionError;
    expect(error.step).toBe('Entra OIDC token');
    expect(error.reason).toContain('redirected to evil.example.test');
    expect(s.requests).toHaveLength(1);
  });

  it('an answer without a value fails the step', async () => {
    const s = scriptedCore(() => json(200, { count: 1 }));
    const error = (await requestOidcToken(s.core, env()).catch((e: unknown) => e)) as ActionError;
    expect(error.step).toBe('Entra OIDC token');
    expect(error.reason).toContain('value');
  });
});

describe('subjectOf', () => {
  it('reads sub from the payload without checking the signature', () => {
    expect(subjectOf(JWT)).toBe(SUBJECT);
  });
  it.each(['', 'a.b', 'a.!!.c', `a.${Buffer.from('{"iss":"x"}').toString('base64url')}.c`])(
    'is undefined for %j',
    (jwt) => {
      expect(subjectOf(jwt)).toBeUndefined();
    },
  );
  it('puts a subject with line breaks on one line', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'repo:a/b\n::error::x' })).toString('base64url');
    expect(subjectOf(`h.${payload}.s`)).toBe('repo:a/b ::error::x');
  });
});
