/**
 * What the platform clients do with a failure classified by what happened on
 * the wire (src/client/request.ts, src/client/network-advice.ts), and how long
 * they wait when the server asks (src/net/retry.ts `serverWait`): a scripted
 * transport, an injected sleep that only records its waits, no network.
 */
import { describe, expect, it } from 'vitest';
import { loginCredential } from '../../src/client/owner.ts';
import { TransportError, type HttpResponse } from '../../src/net/http.ts';
import { classifyNetworkError } from '../../src/net/transport-error.ts';
import { parseRetryAfter, serverWait } from '../../src/net/retry.ts';
import { caught } from '../support/nock-platform.ts';
import { scriptedClients, type Scripted } from '../support/scripted-transport.ts';

const NOW = new Date('2025-01-01T00:00:00Z');
const NAME = 'Invicti SCIM credentials (octo-org/identity run 4242)';
const CREATED: HttpResponse = {
  status: 201,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    clientId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    name: NAME,
    credentials: { clientId: 'm2m-client-1', clientSecret: 'the-client-secret' },
  }),
};
const SPC: HttpResponse = {
  status: 200,
  headers: { 'content-type': 'application/scim+json' },
  body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'] }),
};

/** The platform clients over a scripted transport (`script` in order), with a registration and a SCIM read to make. */
function clients(script: Scripted[], maxAttempts = 3) {
  const { client, requests, sleeps } = scriptedClients(script, { maxAttempts, now: NOW });
  const create = (): Promise<unknown> =>
    client.identity.createRegistration(loginCredential('login-token'), NAME, 'made by a test');
  const scim = (): Promise<unknown> => client.scim.readServiceProviderConfig('bearer-token');
  return { create, scim, requests, sleeps };
}

const failureOf = caught;

describe('creating a registration after a failure that sent nothing', () => {
  it.each<[string, TransportError]>([
    ['a connect timeout (SYNs unanswered)', new TransportError('refused', 'no connection within 30 s', 'ETIMEDOUT')],
    [
      'a reset of a reused connection before any byte of the request was written',
      classifyNetworkError(
        Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' }),
        undefined,
        true,
        {
          established: true,
          unwritten: true,
        },
      ),
    ],
    [
      'a TLS handshake that never finished',
      classifyNetworkError(new Error('Request timeout: /api/identity/v1/clients'), undefined, false, {
        established: false,
      }),
    ],
  ])('%s: is sent again, and the error never says a registration may exist', async (_name, failure) => {
    const h = clients([failure, failure, failure]);
    const error = await failureOf(h.create());
    expect(h.requests).toHaveLength(3);
    expect(error.message).not.toContain('may have');
    expect(error.howToFix).not.toContain('look for that registration');
  });

  it('a connect timeout says so and that nothing was sent', async () => {
    const h = clients([new TransportError('refused', 'no connection within 30 s', 'ETIMEDOUT')], 1);
    const error = await failureOf(h.create());
    expect(error.message).toContain(
      'could not connect to platform.example.test: no connection within the 30 s limit (connect timeout), so nothing was sent',
    );
  });

  it('a connection that got through after a connect timeout creates the registration', async () => {
    const h = clients([new TransportError('refused', 'no connection within 30 s', 'ETIMEDOUT'), CREATED]);
    await h.create();
    expect(h.requests).toHaveLength(2);
  });
});

describe('creating a registration when TLS broke after the request was written', () => {
  it('is not sent again; the error says the registration may exist and names it', async () => {
    const broken = classifyNetworkError(
      Object.assign(new Error('decryption failed or bad record mac'), {
        code: 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC',
      }),
      undefined,
      false,
      { established: true },
    );
    const h = clients([broken, CREATED]);
    const error = await failureOf(h.create());
    expect(h.requests).toHaveLength(1);
    expect(error.message).toContain('the connection was reset: its TLS stream broke after the request was sent');
    expect(error.message).toContain(`may have created a registration named "${NAME}"`);
    expect(error.howToFix).toContain('look for that registration');
  });
});

describe('permanent failures: one attempt', () => {
  it('a certificate Node refuses as too weak: its reason quoted, the fix about the certificate', async () => {
    const weak = classifyNetworkError(
      Object.assign(new Error('EE certificate key too weak'), { code: 'UNSPECIFIED' }),
      undefined,
      false,
      { established: false },
    );
    const h = clients([weak, SPC]);
    const error = await failureOf(h.scim());
    expect(h.requests).toHaveLength(1);
    expect(error.message).toContain(
      'the certificate of platform.example.test was refused by Node as too weak ("EE certificate key too weak", UNSPECIFIED)',
    );
    expect(error.howToFix).toContain("have the platform's administrators replace the certificate");
    expect(error.message).not.toContain('may have');
  });

  it('response headers over Node’s limit: not retried, says the headers were too large', async () => {
    const overflow = classifyNetworkError(
      Object.assign(new Error('Parse Error: Header overflow'), { code: 'HPE_HEADER_OVERFLOW' }),
    );
    const h = clients([overflow, SPC]);
    const error = await failureOf(h.scim());
    expect(h.requests).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
    expect(error.message).toMatch(
      /the response headers are larger than Node's limit of \d+ bytes \(HPE_HEADER_OVERFLOW\)/u,
    );
    expect(error.howToFix).toContain('--max-http-header-size');
  });
});

describe('a TLS failure while https_proxy is in force', () => {
  it('names the proxy and the issuer of the certificate seen', async () => {
    const failure = classifyNetworkError(
      Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
      'proxy.corp:3128',
      false,
      { established: false, issuer: 'CN=Corp TLS Inspection CA, O=Corp' },
    );
    const h = clients([failure]);
    const error = await failureOf(h.scim());
    expect(error.message).toContain(
      'the connection went through the proxy proxy.corp:3128 (https_proxy) and the certificate seen was issued by CN=Corp TLS Inspection CA, O=Corp',
    );
    expect(error.howToFix).toContain(
      "re-signs with its own CA: pass that CA's certificate in the ca-certificate input",
    );
  });
});

describe('waiting as the server asks', () => {
  const date = (offsetMs: number): string => new Date(NOW.getTime() + offsetMs).toUTCString();

  it("measures a Retry-After date against the response's Date, not the runner's clock", () => {
    // The server's clock is 2 minutes behind the runner's: it asks for 20 s.
    expect(parseRetryAfter(date(-100_000), NOW, date(-120_000))).toBe(20_000);
    // 2 minutes ahead: still 20 s, not 140 s.
    expect(parseRetryAfter(date(140_000), NOW, date(120_000))).toBe(20_000);
    // No (or no valid) Date: the runner's clock.
    expect(parseRetryAfter(date(20_000), NOW)).toBe(20_000);
    expect(parseRetryAfter(date(20_000), NOW, 'yesterday')).toBe(20_000);
  });

  it('the clients wait what a Retry-After date says against the Date of a server 2 minutes behind', async () => {
    const busy: HttpResponse = {
      status: 503,
      headers: { 'retry-after': date(-110_000), date: date(-120_000) },
      body: '',
    };
    const h = clients([busy, SPC]);
    await h.scim();
    expect(h.sleeps).toEqual([10_000]);
  });

  it.each(['ratelimit-reset', 'x-ratelimit-reset'])(
    '429 or 503 without Retry-After but with %s (seconds) waits that long, within the same cap',
    (name) => {
      expect(serverWait(429, { [name]: '7' }, NOW)).toMatchObject({ ms: 7000 });
      expect(serverWait(503, { [name]: '7' }, NOW)).toMatchObject({ ms: 7000 });
      // Retry-After wins; other statuses do not read rate-limit headers.
      expect(serverWait(429, { [name]: '7', 'retry-after': '2' }, NOW)).toEqual({ ms: 2000, header: 'Retry-After' });
      expect(serverWait(500, { [name]: '7' }, NOW)).toBeUndefined();
      // A Unix time (as some APIs send X-RateLimit-Reset) is measured like a date.
      expect(serverWait(429, { [name]: String(NOW.getTime() / 1000 + 9) }, NOW)).toMatchObject({ ms: 9000 });
    },
  );

  it('the clients wait RateLimit-Reset on a 429, capped at 60 s', async () => {
    const limited = (reset: string): HttpResponse => ({ status: 429, headers: { 'ratelimit-reset': reset }, body: '' });
    const h = clients([limited('5'), limited('600'), SPC]);
    await h.scim();
    expect(h.sleeps).toEqual([5000, 60_000]);
  });
});
