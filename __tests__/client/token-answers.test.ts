/**
 * Step 4's answers, and the fix each gives (issue 16 §3, §5; issue 17's
 * survivors): every message points at what really happened, not at base-url.
 */
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { MAX_SECRET_LENGTH } from '../../src/client/request.ts';
import { JSON_TYPE, BASE, makeClient, caught, withNock } from '../support/nock-platform.ts';

withNock();

const token = (): nock.Interceptor => nock(BASE).post('/oauth/token').query(true);

describe('400 invalid_client with the audience input set', () => {
  it('puts the client credentials first (swapped, old secret, deleted registration), then the audience', async () => {
    token().reply(400, { error: 'invalid_client', error_description: 'Client authentication failed.' }, JSON_TYPE);
    const { client } = makeClient({ audience: 'https://api.example.test' });
    const error = await caught(client.oauth.requestToken('m2m-a', 'secret-b'));
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_client');
    expect(error.fix).toMatch(
      /^check the client credentials first: a client-id and client-secret swapped, an old client-secret/u,
    );
    expect(error.fix).toContain('a registration that was deleted');
    expect(error.howToFix).toMatch(/; if they are right, check the audience input \(https:\/\/api\.example\.test\)/u);
    expect(error.howToFix.indexOf('client-secret')).toBeLessThan(error.howToFix.indexOf('audience input'));
  });

  it('another 400 with the audience set still names the audience input alone', async () => {
    token().reply(400, { error: 'invalid_request', error_description: 'Service not found.' }, JSON_TYPE);
    const error = await caught(
      makeClient({ audience: 'https://api.example.test' }).client.oauth.requestToken('m2m-a', 'secret-b'),
    );
    expect(error.howToFix).toMatch(/^check the audience input \(https:\/\/api\.example\.test\)/u);
  });
});

describe('a 200 whose body is an OAuth error', () => {
  it('quotes the error and points at the credentials, not at base-url', async () => {
    token().reply(200, { error: 'invalid_client', error_description: 'Client secret expired.' }, JSON_TYPE);
    const error = await caught(makeClient().client.oauth.requestToken('m2m-a', 'secret-b'));
    expect(error.status).toBe(200);
    expect(error.code).toBe('invalid_client');
    expect(error.reason).toBe(
      'the token endpoint answered HTTP 200 with an OAuth error instead of a token: "invalid_client: Client secret expired."',
    );
    expect(error.fix).toContain('check the client-id and client-secret inputs');
    expect(error.message).not.toContain('base-url points at');
  });

  it('an unknown OAuth error is quoted with a fix about the grant, not base-url', async () => {
    token().reply(200, { error: 'temporarily_unavailable' }, JSON_TYPE);
    const error = await caught(makeClient().client.oauth.requestToken('m2m-a', 'secret-b'));
    expect(error.reason).toContain('"temporarily_unavailable"');
    expect(error.howToFix).not.toContain('base-url');
  });
});

describe('the access_token length', () => {
  it('a token over the limit is said to be too long, with the limit, not "check base-url"', async () => {
    token().reply(200, { access_token: 'A'.repeat(MAX_SECRET_LENGTH + 5), expires_in: 60 }, JSON_TYPE);
    const made = makeClient();
    const error = await caught(made.client.oauth.requestToken('m2m-a', 'secret-b'));
    expect(error.reason).toBe(
      `the response's access_token is too long: ${MAX_SECRET_LENGTH + 5} characters, over the action's limit of ${MAX_SECRET_LENGTH} (the request-header line limit of common servers)`,
    );
    expect(error.howToFix).not.toContain('base-url');
    expect(made.mask.mock.calls.map(([secret]) => secret)).toEqual([]);
  });

  it.each(['e', 'ab', 'xyz'])('a token of %j is refused as malformed and never masked', async (value) => {
    token().reply(200, { access_token: value, token_type: 'Bearer', expires_in: 60 }, JSON_TYPE);
    const made = makeClient();
    const error = await caught(made.client.oauth.requestToken('m2m-a', 'secret-b'));
    expect(error.reason).toContain(`access_token is malformed: ${value.length} character`);
    expect(error.reason).toContain('too short to be a secret (at least 4)');
    expect(error.message).not.toContain(`"${value}"`);
    expect(made.mask.mock.calls.map(([secret]) => secret)).toEqual([]);
  });

  it('a token of 4 characters is accepted', async () => {
    token().reply(200, { access_token: 'abcd', token_type: 'Bearer', expires_in: 60 }, JSON_TYPE);
    expect((await makeClient().client.oauth.requestToken('m2m-a', 'secret-b')).accessToken).toBe('abcd');
  });
});

describe('expires_in', () => {
  it.each([-3600, '-3600', -0.5])('%j is refused, so expires-at never lies in the past', async (expiresIn) => {
    token().reply(200, { access_token: 'tok-abcd', token_type: 'Bearer', expires_in: expiresIn }, JSON_TYPE);
    const error = await caught(makeClient().client.oauth.requestToken('m2m-a', 'secret-b'));
    expect(error.step).toBe('token');
    expect(error.reason).toContain('no valid expires_in');
  });
});
