/**
 * A server that echoes a secret in its error text: the action shortens and
 * reflows that text for the error line, which would break the runner's mask
 * (it only hides exact registered forms). Secrets are redacted first.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport, type Transport } from '../../src/net/http.ts';
import { redact } from '../../src/runner/mask.ts';
import { platformErrorOf } from '../../src/client/request.ts';
import { createPlatformClients, type PlatformClients } from '../../src/client/index.ts';
import { runAction } from '../../harness/runner.ts';
import { PlatformSimulator } from '../../harness/simulator.ts';

// Double spaces (collapsed by sanitize) and a length that straddles its 200-character cut.
const SECRET = 'Qx7  vP2  aa91  ZZ-kk  ' + 'w'.repeat(40);

describe('redact', () => {
  it('replaces every form, longest first', () => {
    expect(redact('a SECRET and SECRET-2 b', ['SECRET', 'SECRET-2'])).toBe('a *** and *** b');
    expect(redact('nothing here', [''])).toBe('nothing here');
  });

  it('runs before the platform error text is shortened', () => {
    const body = JSON.stringify({
      error: 'invalid_client',
      error_description: `${'x'.repeat(170)} secret was ${SECRET}`,
    });
    const response = { status: 401, headers: { 'content-type': 'application/json' }, body };
    const plain = platformErrorOf(response).text ?? '';
    expect(plain).toContain('Qx7 vP2'); // without redaction a reflowed, cut piece survives
    const redacted = platformErrorOf(response, (text) => redact(text, [SECRET])).text ?? '';
    expect(redacted).not.toContain('Qx7');
    expect(redacted).toContain('***');
  });
});

describe('end to end: a server echoing the client secret in error_description', () => {
  let sim: PlatformSimulator;
  beforeAll(async () => {
    sim = await PlatformSimulator.start();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('shows no piece of the secret in the error line or the summary', async () => {
    sim.fault('token', {
      status: 401,
      body: JSON.stringify({ error: 'invalid_client', error_description: `${'x'.repeat(170)} secret was ${SECRET}` }),
    });
    const run = await runAction({
      mode: 'token',
      'base-url': sim.baseUrl,
      'client-id': 'm2m-1',
      'client-secret': SECRET,
    });
    expect(run.exitCode).toBe(1);
    expect(run.log.errors).toHaveLength(1);
    expect(run.log.errors[0]).toContain('invalid_client');
    for (const text of [run.log.text, run.summary]) {
      expect(text).not.toContain('Qx7');
      expect(text).not.toContain('ZZ-kk');
    }
  });
});

describe('other server text shown in errors, the log and outputs is redacted before it is reshaped', () => {
  // Upper case: a lower-cased copy would no longer match the runner's mask.
  const ECHOED = 'CS-Upper-SECRET-0123';
  const BASE = 'https://platform.example.test';
  const transports: Transport[] = [];
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    for (const transport of transports.splice(0)) transport.dispose();
    nock.cleanAll();
  });
  afterAll(() => nock.enableNetConnect());

  function client(): PlatformClients {
    const transport = createHttpTransport('scim-action-test/1', 5000);
    transports.push(transport);
    return createPlatformClients({
      baseUrl: BASE,
      transport,
      timeoutMs: 5000,
      maxAttempts: 1,
      sleep: async () => undefined,
      random: () => 0,
      now: () => new Date(0),
      log: { info: () => undefined, debug: () => undefined, warning: () => undefined },
      mask: (secret) => secret,
      redact: (text, options) => redact(text, [ECHOED], options),
    });
  }
  const failureOf = async (promise: Promise<unknown>): Promise<string> => {
    try {
      await promise;
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected a failure');
  };

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
