/**
 * The runner's request token goes over plain http only to a real loopback address
 * (src/client/github-oidc.ts with src/net/loopback.ts `isLoopback`): an IPv4 literal in
 * 127.0.0.0/8, `[::1]` or `localhost`. A host name that merely starts with `127.`
 * (`127.evil.example`) is a name resolved by DNS, anywhere: refused before anything is sent.
 */
import { describe, expect, it } from 'vitest';
import { ActionError } from '../../src/errors.ts';
import { requestOidcToken } from '../../src/client/github-oidc.ts';
import { isLoopback } from '../../src/net/loopback.ts';
import { json, scriptedCore } from '../support/scripted-transport.ts';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm8vbiJ9.c2lnbmF0dXJl';
const REQUEST_TOKEN = 'request-token-0123456789';

function env(url: string): Record<string, string> {
  return { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN };
}

describe('the OIDC request token over plain http', () => {
  it.each([
    'http://127.evil.example/oidc/token',
    'http://127.evil.example:8080/oidc/token?api-version=2.0',
    'http://127.0.0.1.evil.example/oidc/token',
    'http://127.0.0.1.nip.io:1/oidc/token',
    'http://localhost.evil.example/oidc/token',
    'http://127-0-0-1.evil.example/oidc/token',
    'http://[::2]:1/oidc/token',
  ])('is refused before sending for %s', async (url) => {
    const s = scriptedCore(() => json(200, { value: JWT }));
    const error = await requestOidcToken(s.core, env(url)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).step).toBe('Entra OIDC token');
    expect((error as ActionError).reason).toContain('only sent over HTTPS');
    expect(s.requests).toEqual([]);
  });

  it.each([
    ['http://127.0.0.1:1/oidc/token', 'http://127.0.0.1:1/oidc/token?audience=api%3A%2F%2FAzureADTokenExchange'],
    ['http://127.255.0.9:1/t', 'http://127.255.0.9:1/t?audience=api%3A%2F%2FAzureADTokenExchange'],
    ['http://localhost:1/t', 'http://localhost:1/t?audience=api%3A%2F%2FAzureADTokenExchange'],
    ['http://[::1]:1/t', 'http://[::1]:1/t?audience=api%3A%2F%2FAzureADTokenExchange'],
  ])('is allowed for %s', async (url, sent) => {
    const s = scriptedCore(() => json(200, { value: JWT }));
    const token = await requestOidcToken(s.core, env(url));
    expect(token.token).toBe(JWT);
    expect(s.requests.map((r) => r.url)).toEqual([sent]);
    expect(s.requests[0]?.headers['authorization']).toBe(`Bearer ${REQUEST_TOKEN}`);
  });

  it('https is allowed to any host, 127.evil.example among them', async () => {
    const s = scriptedCore(() => json(200, { value: JWT }));
    await requestOidcToken(s.core, env('https://127.evil.example/oidc/token'));
    expect(s.requests).toHaveLength(1);
  });
});

describe('isLoopback (src/net/loopback.ts)', () => {
  it.each(['127.0.0.1', '127.0.0.0', '127.255.255.255', '127.1.2.3', 'localhost', 'LOCALHOST', '[::1]', '::1'])(
    '%s is loopback',
    (host) => expect(isLoopback(host)).toBe(true),
  );

  it.each([
    '127.evil.example',
    '127.0.0.1.evil.example',
    '127.0.0.1.',
    '127.0.0.256',
    '127.0.0',
    '127.0.0.01x',
    '128.0.0.1',
    '0.0.0.0',
    'localhost.evil.example',
    'localhost.',
    '[::2]',
    '[::ffff:127.0.0.1]',
    '',
  ])('%s is not', (host) => expect(isLoopback(host)).toBe(false));
});
