/**
 * What Microsoft Graph cannot make the action do (src/client/graph.ts): choose what the runner
 * masks (short clear values of secret keys), make messages huge (thousands of keys), smuggle a
 * key name or job id that is not Graph's own spelling into a request, pass its own trouble (5xx)
 * off as a failed test, or point a fix at the wrong setting.
 */
import { describe, expect, it } from 'vitest';
import type { ActionError } from '../../src/errors.ts';
import { GraphClient, isSecretKey, isTestFailureStatus, MAX_KEYS } from '../../src/client/graph.ts';
import { json, scriptedCore, type ScriptedCore } from '../support/scripted-transport.ts';

const SP = '99999999-8888-7777-6666-555555555555';

function client(s: ScriptedCore): GraphClient {
  return new GraphClient(s.core, {
    graphUrl: 'https://graph.example.test',
    servicePrincipalId: SP,
    clientId: '11111111-2222-3333-4444-555555555555',
    accessToken: 'graph-token-abcdefghijklmnop',
  });
}

async function failure(promise: Promise<unknown>): Promise<ActionError> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as ActionError,
  );
}

describe('secret keys shown in clear', () => {
  it('are told by their name in any case', () => {
    for (const key of [
      'Oauth2ClientSecret',
      'oauth2clientsecret',
      'SecretToken',
      'AppKey',
      'ConsumerSecret',
      'Password',
    ])
      expect(isSecretKey(key), key).toBe(true);
    for (const key of [
      'Oauth2ClientId',
      'ClientIdentifier',
      'BaseAddress',
      'Oauth2TokenExchangeUri',
      'AuthenticationType',
    ])
      expect(isSecretKey(key), key).toBe(false);
  });

  it('a long clear value is masked; a short one (a word Graph chose) is not, so it cannot erase the log', async () => {
    const long = 'a-real-looking-secret-value-1234';
    const s = scriptedCore(() =>
      json(200, {
        value: [
          { key: 'SecretToken', value: 'Entra' },
          { key: 'Password', value: 'Fix:' },
          { key: 'AppKey', value: long },
          { key: 'Oauth2ClientSecret', value: '*' },
        ],
      }),
    );
    await client(s).readSecrets();
    expect(s.secrets).toContain(long);
    expect(s.secrets).not.toContain('Entra');
    expect(s.secrets).not.toContain('Fix:');
    expect(s.secrets).not.toContain('*');
  });
});

describe('bounded lists and Graph-spelled names', () => {
  it(`more than ${MAX_KEYS} saved keys: refused, the message stays short`, async () => {
    const value = Array.from({ length: 20_000 }, (_, i) => ({ key: `Key${i}`, value: 'x' }));
    const error = await failure(client(scriptedCore(() => json(200, { value }))).readSecrets());
    expect(error.step).toBe('Entra read keys');
    expect(error.why).toContain(`it lists 20000, over ${MAX_KEYS}`);
    expect(error.message.length).toBeLessThan(600);
  });

  it.each(['Bad Key', 'Key/../x', '::error::x', `K${'e'.repeat(80)}`])(
    'a key named %j is refused, never sent back',
    async (key) => {
      const error = await failure(
        client(scriptedCore(() => json(200, { value: [{ key, value: 'v' }] }))).readSecrets(),
      );
      expect(error.why).toContain('value[].key');
    },
  );

  it.each(['..', '.', 'scim/../x', ' scim.1', `scim.${'1'.repeat(300)}`])(
    'a job id %j is refused before it is put in a path',
    async (id) => {
      const s = scriptedCore(() => json(200, { value: [{ id, templateId: 'scim' }] }));
      const error = await failure(client(s).listJobs());
      expect(error.why).toContain('value[].id');
      expect(s.requests).toHaveLength(1);
    },
  );
});

describe("Entra's test connection", () => {
  it('a 4xx test result is the test failing; 5xx, 401, 403, 404, 408 and 429 are not', () => {
    expect([400, 409, 422].map(isTestFailureStatus)).toEqual([true, true, true]);
    expect([401, 403, 404, 408, 429, 500, 503].map(isTestFailureStatus)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('a failed test points at the test, not at entra-graph-url (which just worked)', async () => {
    const s = scriptedCore(() =>
      json(400, { error: { code: 'BadRequest', message: 'The token endpoint answered HTTP 401.' } }),
    );
    const error = await failure(client(s).validateCredentials('Entra test new credentials', 'scim.1', []));
    expect(error.howToFix).toContain("Entra's provisioning service ran its test connection");
    expect(error.howToFix).not.toContain('entra-graph-url');
  });

  it('a sign-in or Graph answer that is no token names the Microsoft setting, not base-url', async () => {
    const s = scriptedCore(() => json(200, { value: 'not-a-list' }));
    const error = await failure(client(s).listJobs());
    expect(error.howToFix).toContain('entra-graph-url');
    expect(error.howToFix).not.toContain('base-url');
  });
});

describe('fixes for a malformed token name the service it came from', () => {
  it('a short or missing token from Entra ID points at entra-login-url, not base-url', async () => {
    const { requireToken } = await import('../../src/client/answer.ts');
    const words = { name: 'Microsoft Entra ID', urlSetting: 'entra-login-url' };
    for (const value of ['abc', undefined]) {
      let error: ActionError | undefined;
      try {
        requireToken('Entra sign-in', 200, value, 'access_token', words);
      } catch (caught) {
        error = caught as ActionError;
      }
      expect(error?.howToFix).toContain('entra-login-url');
      expect(error?.howToFix).not.toContain('base-url');
    }
  });
});

describe('a short clear value of a secret key', () => {
  it('is read as hidden, so it is never sent back in a test or a save (where an echo would show it)', async () => {
    const s = scriptedCore(() =>
      json(200, {
        value: [
          { key: 'SecretToken', value: 'Entra' },
          { key: 'AppKey', value: 'a-real-looking-secret-value-1234' },
          { key: 'BaseAddress', value: 'https://x.test/api/scim/v2' },
        ],
      }),
    );
    expect(await client(s).readSecrets()).toEqual([
      { key: 'SecretToken', value: '*' },
      { key: 'AppKey', value: 'a-real-looking-secret-value-1234' },
      { key: 'BaseAddress', value: 'https://x.test/api/scim/v2' },
    ]);
  });
});
