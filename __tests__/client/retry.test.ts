/**
 * The retry loop of the platform clients (src/client/request.ts) with a
 * scripted fake Transport and an injected sleep that only records its waits:
 * no real time passes and nothing touches the network. The suite's scripted
 * transport (support/scripted-transport.ts; see __tests__/README.md for why not nock): it hands
 * the loop each TransportError kind as the transport classifies it (refused,
 * reset, stale kept-alive, timeout, tls, proxy) and advances a virtual clock
 * by each timeout and wait.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActionError } from '../../src/errors.ts';
import { TransportError, type HttpResponse, type TransportFailure } from '../../src/net/http.ts';
import { json, scriptedClients, type Scripted, type ScriptedClients } from '../support/scripted-transport.ts';
import { loginCredential } from '../../src/client/owner.ts';
import { DEFAULT_BACKOFF } from '../../src/net/retry.ts';

const NOW = new Date('2025-01-01T00:00:00Z');
const REGISTRATION_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const CLIENT_NAME = 'Invicti SCIM credentials (octo-org/identity run 4242)';

function failure(kind: TransportFailure, code?: string): TransportError {
  const messages: Record<TransportFailure, string> = {
    refused: `could not connect (${code ?? 'ECONNREFUSED'})`,
    timeout: 'no response within 30 s',
    reset: `the connection was reset (${code ?? 'ECONNRESET'})`,
    network: `network error (${code ?? 'EPROTO'})`,
    stale: `the connection was reset before any byte of a response (${code ?? 'ECONNRESET'} on a kept-alive connection reused after being idle)`,
    tls: `the certificate check failed (${code ?? 'CERT_HAS_EXPIRED'})`,
    proxy: 'the proxy answered HTTP 407 to CONNECT',
  };
  return new TransportError(
    kind,
    messages[kind],
    code ?? (kind === 'refused' ? 'ECONNREFUSED' : kind === 'reset' ? 'ECONNRESET' : undefined),
  );
}

const OK = {
  login: (): HttpResponse => json(200, { accessToken: 'login-token' }),
  create: (): HttpResponse =>
    json(201, {
      clientId: REGISTRATION_ID,
      name: CLIENT_NAME,
      credentials: { clientId: 'm2m-1', clientSecret: 'the-secret' },
    }),
  authorize: (): HttpResponse => json(201, [{ clientId: REGISTRATION_ID, name: CLIENT_NAME }]),
  token: (): HttpResponse => json(200, { access_token: 'bearer-token', token_type: 'Bearer', expires_in: 3600 }),
  scim: (): HttpResponse =>
    json(200, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'], patch: { supported: true } }),
};
type Call = keyof typeof OK;

type Harness = ScriptedClients;

const harness = (
  script: Scripted[],
  options: { maxAttempts?: number; random?: () => number; timeoutMs?: number } = {},
): Harness => scriptedClients(script, { ...options, now: NOW });

function invoke(h: Harness, call: Call): Promise<unknown> {
  switch (call) {
    case 'login':
      return h.client.identity.login('owner@example.com', 'pw');
    case 'create':
      return h.client.identity.createRegistration(loginCredential('login-token'), CLIENT_NAME, 'made by a test');
    case 'authorize':
      return h.client.identity.authorize(loginCredential('login-token'), REGISTRATION_ID);
    case 'token':
      return h.client.oauth.requestToken('m2m-1', 'the-secret');
    case 'scim':
      return h.client.scim.readServiceProviderConfig('bearer-token');
  }
}

const STEP: Record<Call, string> = {
  login: 'login',
  create: 'create registration',
  authorize: 'authorize',
  token: 'token',
  scim: 'SCIM check',
};

async function failureOf(promise: Promise<unknown>): Promise<ActionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionError);
  return error as ActionError;
}

describe('Platform clients retry loop: what is retried', () => {
  const idempotent: Call[] = ['login', 'authorize', 'token', 'scim'];

  describe.each(idempotent)('idempotent call %s', (call) => {
    it.each([408, 429, 500, 502, 503, 504])('retries HTTP %i, then succeeds', async (status) => {
      const h = harness([json(status, { message: 'busy' }), OK[call]()]);
      await invoke(h, call);
      expect(h.requests).toHaveLength(2);
      expect(h.sleeps).toEqual([500]);
      expect(h.info).toEqual([`${STEP[call]}: attempt 1 of 3 failed (HTTP ${status}); retrying in 0.5 s`]);
    });

    it.each([400, 401, 403, 404, 405, 409, 415, 422, 501, 505])('never retries HTTP %i', async (status) => {
      const h = harness([json(status, { message: 'no' })]);
      const error = await failureOf(invoke(h, call));
      expect(error.status).toBe(status);
      expect(h.requests).toHaveLength(1);
      expect(h.sleeps).toEqual([]);
      expect(h.info).toEqual([]);
    });

    it.each<[TransportFailure, string | undefined]>([
      ['refused', 'ECONNREFUSED'],
      ['refused', 'ENOTFOUND'],
      ['timeout', undefined],
      ['reset', 'ECONNRESET'],
      ['reset', 'EPIPE'],
      ['network', 'EPROTO'],
    ])('retries a network failure (%s %s), then succeeds', async (kind, code) => {
      const h = harness([failure(kind, code), OK[call]()]);
      await invoke(h, call);
      expect(h.requests).toHaveLength(2);
      expect(h.sleeps).toEqual([500]);
      expect(h.info).toHaveLength(1);
      expect(h.info[0]).toMatch(
        new RegExp(`^${STEP[call]}: attempt 1 of 3 failed \\(.+\\); retrying in 0\\.5 s$`, 'u'),
      );
    });

    it.each<[string, TransportError]>([
      ['an untrusted certificate', failure('tls', 'DEPTH_ZERO_SELF_SIGNED_CERT')],
      ['https:// to a plain-HTTP port', failure('tls', 'ERR_SSL_WRONG_VERSION_NUMBER')],
      [
        'a proxy answering 407',
        new TransportError('proxy', 'x', undefined, { proxy: 'proxy.corp:3128', proxyStatus: 407 }),
      ],
      [
        'a proxy answering 403',
        new TransportError('proxy', 'x', undefined, { proxy: 'proxy.corp:3128', proxyStatus: 403 }),
      ],
    ])('never retries %s', async (_name, answer) => {
      const h = harness([answer]);
      await failureOf(invoke(h, call));
      expect(h.requests).toHaveLength(1);
      expect(h.sleeps).toEqual([]);
    });

    it('sends again at once, without using up an attempt, when the kept-alive connection was found dead', async () => {
      const h = harness([failure('stale', 'ECONNRESET'), OK[call]()], { maxAttempts: 1 });
      await invoke(h, call);
      expect(h.requests).toHaveLength(2);
      expect(h.sleeps).toEqual([]);
      expect(h.info).toEqual([
        `${STEP[call]}: the kept-alive connection, idle since the previous call, was reset before any response; sent again at once on a new connection`,
      ]);
    });

    it('sends again on a dead connection once per call: a second one counts as a failed attempt', async () => {
      const h = harness([failure('stale'), failure('stale'), OK[call]()], { maxAttempts: 2 });
      await invoke(h, call);
      expect(h.requests).toHaveLength(3);
      expect(h.sleeps).toEqual([500]);
      const only = harness([failure('stale'), failure('stale')], { maxAttempts: 1 });
      const error = await failureOf(invoke(only, call));
      expect(error.message).toMatch(
        /reset before any byte of a response \(ECONNRESET on a kept-alive connection reused after being idle\)/u,
      );
    });

    it('never retries a 2xx, even with a body it cannot use', async () => {
      const h = harness([{ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>login</html>' }]);
      const error = await failureOf(invoke(h, call));
      expect(error.message).toContain('not JSON');
      expect(h.requests).toHaveLength(1);
    });

    it('never retries a redirect', async () => {
      const h = harness([{ status: 307, headers: { location: 'https://elsewhere.example/x' }, body: '' }]);
      const error = await failureOf(invoke(h, call));
      expect(error.message).toContain('elsewhere.example');
      expect(h.requests).toHaveLength(1);
    });
  });

  describe('create registration (not idempotent)', () => {
    it('is sent again after connection refused: the request provably never reached the server', async () => {
      const h = harness([failure('refused', 'ECONNREFUSED'), failure('refused', 'EHOSTUNREACH'), OK.create()]);
      const registration = await h.client.identity.createRegistration(loginCredential('login-token'), CLIENT_NAME, 'd');
      expect(registration.registrationId).toBe(REGISTRATION_ID);
      expect(h.requests).toHaveLength(3);
      expect(h.sleeps).toEqual([500, 1000]);
      expect(h.info).toEqual([
        'create registration: attempt 1 of 3 failed (could not connect (ECONNREFUSED)); retrying in 0.5 s',
        'create registration: attempt 2 of 3 failed (could not connect (EHOSTUNREACH)); retrying in 1.0 s',
      ]);
    });

    it('is sent again when the proxy could not be reached or answered 502-504: the platform never saw it', async () => {
      const unreachable = new TransportError('proxy', 'could not reach the proxy', 'ECONNREFUSED', {
        proxy: '127.0.0.1:9',
      });
      const busy = new TransportError('proxy', 'x', undefined, { proxy: 'p:1', proxyStatus: 503 });
      const h = harness([unreachable, busy, OK.create()]);
      await h.client.identity.createRegistration(loginCredential('login-token'), CLIENT_NAME, 'd');
      expect(h.requests).toHaveLength(3);
    });

    it('is not sent again on a dead kept-alive connection: no byte of a response does not prove the platform did nothing', async () => {
      const h = harness([failure('stale')]);
      const error = await failureOf(invoke(h, 'create'));
      expect(h.requests).toHaveLength(1);
      expect(error.message).toContain(`may have created a registration named "${CLIENT_NAME}"`);
      expect(error.howToFix).toContain('look for that registration');
    });

    it.each<[string, TransportError]>([
      ['a certificate failure', failure('tls', 'CERT_HAS_EXPIRED')],
      ['a proxy answering 407', new TransportError('proxy', 'x', undefined, { proxy: 'p:1', proxyStatus: 407 })],
    ])(
      'after %s, the error does not say a registration may exist (the request never reached the platform)',
      async (_name, answer) => {
        const h = harness([answer]);
        const error = await failureOf(invoke(h, 'create'));
        expect(error.message).not.toContain('may have');
      },
    );

    it('fails after max-attempts refused connections, without saying a registration may exist', async () => {
      const h = harness([failure('refused'), failure('refused'), failure('refused')]);
      const error = await failureOf(invoke(h, 'create'));
      expect(h.requests).toHaveLength(3);
      expect(error.message).toContain('after 3 attempts');
      expect(error.message).not.toContain('may have');
    });

    it.each<[string, Scripted]>([
      ['a timeout', failure('timeout')],
      ['a reset', failure('reset', 'ECONNRESET')],
      ['a socket hang-up', new TransportError('reset', 'the connection was closed before a response (socket hang up)')],
      ['another network error', failure('network', 'EPROTO')],
      ['HTTP 500', json(500, { message: 'Internal error' })],
      ['HTTP 502', json(502, {})],
      ['HTTP 503 with Retry-After', json(503, {}, { 'retry-after': '0' })],
      ['HTTP 504', json(504, {})],
    ])('is never sent again after %s, and the error names client-name', async (_, answer) => {
      const h = harness([answer]);
      const error = await failureOf(invoke(h, 'create'));
      expect(h.requests).toHaveLength(1);
      expect(h.sleeps).toEqual([]);
      expect(h.info).toEqual([]);
      expect(error.step).toBe('create registration');
      expect(error.message).toContain(`may have created a registration named "${CLIENT_NAME}"`);
      expect(error.message).toContain('not sent again');
      expect(error.howToFix).toContain('look for that registration');
    });

    it.each([408, 429])('is not sent again after HTTP %i either', async (status) => {
      const h = harness([json(status, { message: 'slow down' }, { 'retry-after': '0' })]);
      const error = await failureOf(invoke(h, 'create'));
      expect(h.requests).toHaveLength(1);
      expect(error.status).toBe(status);
      expect(error.fix).not.toContain('max-attempts');
    });

    it.each<[string, HttpResponse, string]>([
      [
        'HTML',
        { status: 201, headers: { 'content-type': 'text/html' }, body: '<html></html>' },
        `named "${CLIENT_NAME}"`,
      ],
      [
        'truncated JSON',
        { status: 201, headers: { 'content-type': 'application/json' }, body: '{"clientId":"7c9e' },
        `named "${CLIENT_NAME}"`,
      ],
      ['no clientId', json(201, { credentials: { clientId: 'a', clientSecret: 'b' } }), `named "${CLIENT_NAME}"`],
      [
        'a clientId that cannot be used (not a UUID, has a space)',
        json(201, { clientId: 'a b', credentials: { clientId: 'a', clientSecret: 'b' } }),
        `named "${CLIENT_NAME}"`,
      ],
      [
        'a numeric credentials.clientSecret',
        json(201, { clientId: REGISTRATION_ID, credentials: { clientId: 'a', clientSecret: 42 } }),
        REGISTRATION_ID,
      ],
      [
        'an empty credentials.clientId',
        json(201, { clientId: REGISTRATION_ID, credentials: { clientId: '', clientSecret: 'b' } }),
        REGISTRATION_ID,
      ],
      ['credentials as a string', json(201, { clientId: REGISTRATION_ID, credentials: 'secret' }), REGISTRATION_ID],
    ])('a 2xx with %s is never sent again; the error names the registration', async (_, answer, named) => {
      const h = harness([answer]);
      const error = await failureOf(invoke(h, 'create'));
      expect(h.requests).toHaveLength(1);
      expect(error.message).toContain(named);
    });
  });
});

describe('Platform clients retry loop: attempts, waits and log lines', () => {
  it('stops after max-attempts and says how many were made', async () => {
    const h = harness([json(503, {}), json(503, {}), json(503, {})]);
    const error = await failureOf(invoke(h, 'token'));
    expect(h.requests).toHaveLength(3);
    expect(h.sleeps).toEqual([500, 1000]);
    expect(error.status).toBe(503);
    expect(error.message).toContain('after 3 attempts');
    expect(h.info).toEqual([
      'token: attempt 1 of 3 failed (HTTP 503); retrying in 0.5 s',
      'token: attempt 2 of 3 failed (HTTP 503); retrying in 1.0 s',
    ]);
  });

  it('max-attempts 1 turns retries off', async () => {
    const h = harness([json(503, {}), OK.login()], { maxAttempts: 1 });
    const error = await failureOf(invoke(h, 'login'));
    expect(error.status).toBe(503);
    expect(error.message).not.toContain('attempts');
    expect(h.requests).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
    expect(h.info).toEqual([]);
  });

  it('max-attempts 1 also turns off the refused-connection retry of create', async () => {
    const h = harness([failure('refused'), OK.create()], { maxAttempts: 1 });
    await failureOf(invoke(h, 'create'));
    expect(h.requests).toHaveLength(1);
  });

  it('backs off exponentially with full jitter (injected random)', async () => {
    const script = [json(500, {}), json(502, {}), failure('reset'), json(504, {}), OK.authorize()];
    const h = harness(script, { maxAttempts: 5, random: () => 0.75 });
    await invoke(h, 'authorize');
    expect(h.sleeps).toEqual([750, 1500, 3000, 6000]);
    expect(h.info.map((line) => /attempt (\d) of (\d)/u.exec(line)?.slice(1).join('/'))).toEqual([
      '1/5',
      '2/5',
      '3/5',
      '4/5',
    ]);
    expect(h.info[2]).toBe(
      'authorize: attempt 3 of 5 failed (the connection was reset (ECONNRESET)); retrying in 3.0 s',
    );
  });

  it('caps the computed backoff at 10 s', async () => {
    const script = Array.from({ length: 7 }, () => json(503, {}));
    const h = harness([...script, OK.login()], { maxAttempts: 8, random: () => 0.999_999 });
    await invoke(h, 'login');
    expect(h.sleeps).toEqual([999, 1999, 3999, 7999, 9999, 9999, 9999]);
  });

  it('waits what Retry-After says (seconds) instead of backing off', async () => {
    const h = harness([json(429, {}, { 'retry-after': '7' }), OK.token()]);
    await invoke(h, 'token');
    expect(h.sleeps).toEqual([7000]);
    expect(h.info).toEqual(['token: attempt 1 of 3 failed (HTTP 429 with Retry-After); retrying in 7.0 s']);
  });

  it('waits until a Retry-After HTTP-date, measured with the injected clock', async () => {
    const h = harness([json(503, {}, { 'retry-after': 'Wed, 01 Jan 2025 00:00:12 GMT' }), OK.scim()]);
    await invoke(h, 'scim');
    expect(h.sleeps).toEqual([12_000]);
  });

  it('caps Retry-After at 60 s', async () => {
    const h = harness([
      json(503, {}, { 'retry-after': '3600' }),
      json(429, {}, { 'retry-after': 'Thu, 02 Jan 2025 00:00:00 GMT' }),
      OK.login(),
    ]);
    await invoke(h, 'login');
    expect(h.sleeps).toEqual([60_000, 60_000]);
    expect(h.info[0]).toBe('login: attempt 1 of 3 failed (HTTP 503 with Retry-After); retrying in 60.0 s');
  });

  it('falls back to backoff when Retry-After is unusable', async () => {
    const h = harness([json(503, {}, { 'retry-after': 'later' }), OK.login()]);
    await invoke(h, 'login');
    expect(h.sleeps).toEqual([500]);
    expect(h.info[0]).toContain('(HTTP 503)');
  });

  it('Retry-After: 0 retries at once', async () => {
    const h = harness([json(503, {}, { 'retry-after': '0' }), OK.login()]);
    await invoke(h, 'login');
    expect(h.sleeps).toEqual([0]);
    expect(h.info[0]).toMatch(/retrying in 0\.0 s$/u);
  });

  it('a timeout error names the step and the limit', async () => {
    const h = harness([failure('timeout'), failure('timeout')], { maxAttempts: 2, timeoutMs: 5000 });
    const error = await failureOf(invoke(h, 'authorize'));
    expect(error.message).toMatch(
      /^Authorize failed: no response from platform\.example\.test within the 5 s limit \(timeout-seconds\) after 2 attempts\./u,
    );
  });

  it('bounds a call by attempts × timeout + capped waits, whatever the server does', () => {
    const answers = fc.oneof(
      fc.constant<Scripted>(failure('timeout')),
      fc.constant<Scripted>(failure('reset')),
      fc.constantFrom(408, 429, 500, 502, 503, 504).map((s) => json(s, {})),
      fc
        .tuple(
          fc.constantFrom(429, 503),
          fc.oneof(fc.nat({ max: 100_000 }).map(String), fc.constant('Fri, 31 Dec 2100 00:00:00 GMT')),
        )
        .map(([s, ra]) => json(s, {}, { 'retry-after': ra })),
    );
    return fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 600 }),
        fc.array(answers, { minLength: 10, maxLength: 10 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        async (maxAttempts, timeoutSeconds, script, r) => {
          const timeoutMs = timeoutSeconds * 1000;
          const h = harness(script, { maxAttempts, timeoutMs, random: () => r });
          await failureOf(invoke(h, 'token'));
          expect(h.requests).toHaveLength(maxAttempts);
          expect(h.clock.ms).toBeLessThanOrEqual(
            maxAttempts * timeoutMs + (maxAttempts - 1) * DEFAULT_BACKOFF.retryAfterCapMs,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
