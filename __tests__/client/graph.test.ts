/**
 * The Graph synchronization client (src/client/graph.ts) over a scripted transport: the paths,
 * bodies and Bearer header of each call, the job and key parsing, masking of a secret shown in
 * clear, and the fixes for 403 (permissions) and 404 (Object ID).
 */
import { describe, expect, it } from 'vitest';
import { ActionError } from '../../src/errors.ts';
import { GraphClient, isScimJob, keyNamesOf } from '../../src/client/graph.ts';
import { empty, json, scriptedCore, type ScriptedCore } from '../support/scripted-transport.ts';

const SP = '99999999-8888-7777-6666-555555555555';
const APP = '11111111-2222-3333-4444-555555555555';
const TOKEN = 'graph-token-abcdefghijklmnop';
const BASE = `https://graph.example.test/v1.0/servicePrincipals/${SP}/synchronization`;

function client(s: ScriptedCore): GraphClient {
  return new GraphClient(s.core, {
    graphUrl: 'https://graph.example.test',
    servicePrincipalId: SP,
    clientId: APP,
    accessToken: TOKEN,
  });
}

describe('GraphClient', () => {
  it('lists jobs with the Bearer token and reads their quarantine', async () => {
    const s = scriptedCore(() =>
      json(200, {
        value: [
          { id: 'scim.abc', templateId: 'scim', status: { code: 'Active', quarantine: null } },
          {
            id: 'other.1',
            templateId: 'gallery',
            status: { code: 'Quarantine', quarantine: { reason: 'EncounteredQuarantineException' } },
          },
          { templateId: 'no id' },
        ],
      }),
    );
    const jobs = await client(s).listJobs();
    expect(s.requests[0]?.url).toBe(`${BASE}/jobs`);
    expect(s.requests[0]?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(jobs).toEqual([
      { id: 'scim.abc', templateId: 'scim', statusCode: 'Active', quarantined: false, quarantineReason: undefined },
      {
        id: 'other.1',
        templateId: 'gallery',
        statusCode: 'Quarantine',
        quarantined: true,
        quarantineReason: 'EncounteredQuarantineException',
      },
    ]);
    expect(jobs.map(isScimJob)).toEqual([true, false]);
  });

  it('403: names Application.ReadWrite.OwnedBy with ownership, or Synchronization.ReadWrite.All; not retried', async () => {
    const s = scriptedCore(() =>
      json(403, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges.' } }),
    );
    const error = (await client(s)
      .listJobs()
      .catch((e: unknown) => e)) as ActionError;
    expect(error.message).toMatch(
      /^Entra find job failed \(HTTP 403\): Microsoft Graph answered "Authorization_RequestDenied: Insufficient privileges\."/u,
    );
    expect(error.fix).toContain('Application.ReadWrite.OwnedBy');
    expect(error.fix).toContain(`owner of the Invicti enterprise application ${SP}`);
    expect(error.fix).toContain('Synchronization.ReadWrite.All');
    expect(error.code).toBe('Authorization_RequestDenied');
    expect(s.requests).toHaveLength(1);
  });

  it('404 on the jobs: the fix names entra-service-principal-id', async () => {
    const s = scriptedCore(() => json(404, { error: { code: 'Request_ResourceNotFound', message: 'not found' } }));
    const error = (await client(s)
      .listJobs()
      .catch((e: unknown) => e)) as ActionError;
    expect(error.fix).toContain(`check entra-service-principal-id (${SP})`);
  });

  it('reads the saved keys and masks a secret-like value shown in clear, not a hidden one', async () => {
    const s = scriptedCore(() =>
      json(200, {
        value: [
          { key: 'BaseAddress', value: 'https://p.test/api/scim/v2' },
          { key: 'Oauth2ClientSecret', value: '*' },
          { key: 'SecretToken', value: 'clear-secret-token-123' },
          { key: 'SyncAll', value: 'false' },
          { value: 'no key' },
        ],
      }),
    );
    const secrets = await client(s).readSecrets();
    expect(s.requests[0]?.url).toBe(`${BASE}/secrets`);
    expect(secrets.map((secret) => secret.key)).toEqual([
      'BaseAddress',
      'Oauth2ClientSecret',
      'SecretToken',
      'SyncAll',
    ]);
    expect(s.secrets).toContain('clear-secret-token-123');
    expect(s.secrets).not.toContain('*');
    expect(s.secrets).not.toContain('false');
  });

  it('validateCredentials sends the new set, or useSavedCredentials: true', async () => {
    const s = scriptedCore(() => empty());
    const graph = client(s);
    await graph.validateCredentials('Entra test new credentials', 'scim.abc', [{ key: 'BaseAddress', value: 'x' }]);
    await graph.validateCredentials('Entra test saved credentials', 'scim.abc');
    expect(s.requests.map((request) => [request.method, request.url, JSON.parse(request.body ?? '')])).toEqual([
      [
        'POST',
        `${BASE}/jobs/scim.abc/validateCredentials`,
        { useSavedCredentials: false, credentials: [{ key: 'BaseAddress', value: 'x' }] },
      ],
      ['POST', `${BASE}/jobs/scim.abc/validateCredentials`, { useSavedCredentials: true }],
    ]);
    expect(s.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('saves with PUT {"value": [...]} and lifts a quarantine with resetScope QuarantineState only', async () => {
    const s = scriptedCore(() => empty());
    const graph = client(s);
    await graph.saveSecrets([{ key: 'Oauth2ClientId', value: 'new-id' }]);
    await graph.liftQuarantine('scim.abc');
    expect(s.requests.map((request) => [request.method, request.url, JSON.parse(request.body ?? '')])).toEqual([
      ['PUT', `${BASE}/secrets`, { value: [{ key: 'Oauth2ClientId', value: 'new-id' }] }],
      ['POST', `${BASE}/jobs/scim.abc/restart`, { criteria: { resetScope: 'QuarantineState' } }],
    ]);
  });

  it('never saves a hidden value', async () => {
    const s = scriptedCore(() => empty());
    const error = await client(s)
      .saveSecrets([{ key: 'Oauth2ClientSecret', value: '*' }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(s.requests).toEqual([]);
  });
});

describe('keyNamesOf', () => {
  const keys = (...names: string[]) => names.map((key) => ({ key, value: '*' }));
  it('finds both key-name styles', () => {
    expect(keyNamesOf(keys('BaseAddress', 'Oauth2TokenExchangeUri', 'Oauth2ClientId', 'Oauth2ClientSecret'))).toEqual({
      clientId: 'Oauth2ClientId',
      clientSecret: 'Oauth2ClientSecret',
      tokenUrl: 'Oauth2TokenExchangeUri',
      baseAddress: 'BaseAddress',
      secretToken: false,
    });
    expect(keyNamesOf(keys('ClientIdentifier', 'ClientSecret', 'SecretToken'))).toMatchObject({
      clientId: 'ClientIdentifier',
      clientSecret: 'ClientSecret',
      tokenUrl: undefined,
      baseAddress: undefined,
      secretToken: true,
    });
  });
  it('compares names case-sensitively', () => {
    expect(keyNamesOf(keys('oauth2clientid', 'baseaddress'))).toMatchObject({
      clientId: undefined,
      baseAddress: undefined,
    });
  });
});
