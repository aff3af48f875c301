/**
 * Server text that the clients show in errors, the log and outputs
 * (Content-Type, a redirect's Location host, token_type) is redacted before it
 * is reshaped (lower-cased, decoded, shortened): the clients over the real
 * transport with nock answering.
 */
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/runner/mask.ts';
import type { PlatformClients } from '../../src/client/index.ts';
import { BASE, caught, makeClient, withNock } from '../support/nock-platform.ts';

describe('other server text shown in errors, the log and outputs is redacted before it is reshaped', () => {
  // Upper case: a lower-cased copy would no longer match the runner's mask.
  const ECHOED = 'CS-Upper-SECRET-0123';
  withNock();

  const client = (): PlatformClients =>
    makeClient({ redact: (text, options) => redact(text, [ECHOED], options) }).client;
  const failureOf = async (promise: Promise<unknown>): Promise<string> => (await caught(promise)).message;

  it('a Content-Type carrying a secret (lower-cased for the error)', async () => {
    nock(BASE)
      .post('/oauth/token')
      .query(true)
      .reply(401, 'x', { 'content-type': `text/${ECHOED}` });
    const message = await failureOf(client().oauth.requestToken('m2m-1', ECHOED));
    expect(message).toContain('the response is text/***');
    expect(message.toLowerCase()).not.toContain(ECHOED.toLowerCase());
  });

  it('a redirect whose Location host carries a secret (URL parsing lower-cases hosts)', async () => {
    nock(BASE)
      .post('/oauth/token')
      .query(true)
      .reply(302, '', { location: `https://${ECHOED}.evil.example/x` });
    const message = await failureOf(client().oauth.requestToken('m2m-1', ECHOED));
    expect(message).toContain('redirected to ');
    expect(message.toLowerCase()).not.toContain(ECHOED.toLowerCase());
  });

  it('a redirect whose Location host carries a secret percent-encoded or in another case (the URL parser decodes and lower-cases hosts)', async () => {
    const locations = [
      `https://%43S-Upper-SECRET-0123.evil.example/`,
      `https://${ECHOED.toLowerCase()}.evil.example/`,
      `https://user:${ECHOED}@${ECHOED}.evil.example/`,
    ];
    for (const location of locations) {
      nock(BASE).post('/oauth/token').query(true).reply(302, '', { location });
      const message = await failureOf(client().oauth.requestToken('m2m-1', ECHOED));
      expect(message).toContain('redirected to ');
      expect(message).toContain('redirected to ***.evil.example');
      expect(message.toLowerCase()).not.toContain(ECHOED.toLowerCase());
    }
  });

  it('a token_type carrying a secret (shortened to 40 characters, shown and output unmasked)', async () => {
    const tokenType = `${'t'.repeat(30)}${ECHOED}`;
    nock(BASE)
      .post('/oauth/token')
      .query(true)
      .reply(
        200,
        { access_token: 'bearer-1', token_type: tokenType, expires_in: 60 },
        { 'content-type': 'application/json' },
      );
    const answer = await client().oauth.requestToken('m2m-1', ECHOED);
    expect(answer.tokenType).toBe(`${'t'.repeat(30)}***`);
  });
});
