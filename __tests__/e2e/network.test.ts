/**
 * Networks, end to end (connections, errors that give the right advice,
 * `ca-certificate`): the entry file under Node 24 against the
 * platform simulator, with what real networks do: IPv6 literals, compressed
 * answers, kept-alive connections that a NAT dropped while the action waited,
 * certificates from a private CA, and every way a certificate check fails.
 * No run here has NODE_EXTRA_CA_CERTS: trust comes from `ca-certificate` only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction, runnerEnv, type ActionRun } from '../../harness/runner.ts';
import { OWNER, PlatformSimulator, ROUTES } from '../../harness/simulator.ts';
import { makeLoopbackCertificate, makePrivateCa, type PrivateCa } from '../../harness/tls.ts';

const PROVISION = { mode: 'provision', email: OWNER.email, password: OWNER.password };

function errorsOf(run: ActionRun): string {
  return run.log.errors.join('\n');
}

/** Starts a simulator with `options`, runs `fn`, always closes it. */
async function withSimulator<T>(
  options: Parameters<typeof PlatformSimulator.start>[0],
  fn: (sim: PlatformSimulator) => Promise<T>,
): Promise<T> {
  const sim = await PlatformSimulator.start(options);
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

describe('IPv6 literals in base-url', () => {
  it('provision + verify works against http://[::1]:PORT (4 requests on 1 connection)', async () => {
    await withSimulator({ listen: '::1' }, async (sim) => {
      expect(sim.baseUrl).toMatch(/^http:\/\/\[::1\]:\d+$/u);
      const run = await runAction({ ...PROVISION, 'base-url': sim.baseUrl });
      expect(run.exitCode, errorsOf(run)).toBe(0);
      expect(run.outputs['access-token']).toBeTruthy();
      expect(sim.requests.map((r) => r.route)).toEqual(['login', 'create', 'authorize', 'token']);
      // The Host header carries the brackets, as RFC 9110 §7.2 wants.
      expect(sim.requests[0]?.headers.host).toBe(new URL(sim.baseUrl).host);
      expect(sim.connections).toBe(1);
      expect(new URL(run.outputs['token-url'] ?? '').searchParams.get('audience')).toBe(`${sim.baseUrl}/api`);
    });
  });

  it('https://[::1]:PORT checks the certificate against the address (IP:::1 in its names)', async () => {
    const ca = makePrivateCa();
    try {
      await withSimulator(
        { listen: '::1', tls: { key: ca.leaf.key, cert: ca.leaf.cert + ca.intermediate } },
        async (sim) => {
          const run = await runAction({ ...PROVISION, 'base-url': sim.baseUrl, 'ca-certificate': ca.root });
          expect(run.exitCode, errorsOf(run)).toBe(0);
          expect(sim.connections).toBe(1);
        },
      );
      const other = ca.issue('DNS:localhost,IP:127.0.0.1');
      await withSimulator(
        { listen: '::1', tls: { key: other.key, cert: other.cert + ca.intermediate } },
        async (sim) => {
          const run = await runAction({ ...PROVISION, 'base-url': sim.baseUrl, 'ca-certificate': ca.root });
          expect(errorsOf(run)).toMatch(
            /the certificate of \[::1\]:\d+ is not valid for \[::1\] \(ERR_TLS_CERT_ALTNAME_INVALID; it is for DNS:localhost, IP Address:127\.0\.0\.1\)/u,
          );
        },
      );
    } finally {
      ca.cleanup();
    }
  });
});

describe('compressed answers the action did not ask for', () => {
  it.each(['gzip', 'deflate', 'br'] as const)(
    'decodes Content-Encoding %s on every call of a provision run',
    async (encoding) => {
      await withSimulator({}, async (sim) => {
        for (const route of ROUTES) sim.fault(route, { encoding });
        const run = await runAction({ ...PROVISION, 'base-url': sim.baseUrl, 'scim-check': 'true' });
        expect(run.exitCode, errorsOf(run)).toBe(0);
        const [registration] = [...sim.registrations.values()];
        expect(run.outputs['client-secret']).toBe(registration?.clientSecret);
        expect(sim.accessTokens.has(run.outputs['access-token'] ?? '')).toBe(true);
        // What the action accepts is said on every request: no compression.
        expect(sim.requests.map((r) => r.headers['accept-encoding'])).toEqual(Array(ROUTES.length).fill('identity'));
      });
    },
  );
});

describe('a kept-alive connection dropped while the action waited to retry', () => {
  it('max-attempts 2: a 503 with Retry-After: 1, then a dead idle connection, still gets a token', async () => {
    await withSimulator({}, async (sim) => {
      const registration = sim.seedRegistration();
      sim.fault('token', {
        times: 1,
        status: 503,
        headers: { 'retry-after': '1' },
        body: '{"message":"busy"}',
        staleAfter: true,
      });
      const run = await runAction({
        mode: 'token',
        'base-url': sim.baseUrl,
        'client-id': registration.clientId,
        'client-secret': registration.clientSecret,
        'max-attempts': '2',
      });
      expect(run.exitCode, errorsOf(run)).toBe(0);
      expect(sim.accessTokens.has(run.outputs['access-token'] ?? '')).toBe(true);
      // 503, then the reset on the dead connection (status 0), then the answer on a new one.
      expect(sim.requestsTo('token').map((r) => r.status)).toEqual([503, 0, 200]);
      expect(sim.connections).toBe(2);
      expect(run.log.text).toMatch(
        /token: the kept-alive connection, idle since the previous call, was reset before any response; sent again at once on a new connection/u,
      );
    });
  });

  it('creating a registration is not sent again on a dead kept-alive connection: its outcome is unknown', async () => {
    await withSimulator({}, async (sim) => {
      // Login answers and leaves its connection dead: the create request that reuses it is reset.
      sim.fault('login', { times: 1, staleAfter: true });
      const run = await runAction({ ...PROVISION, 'base-url': sim.baseUrl });
      expect(run.exitCode).toBe(1);
      expect(sim.requestsTo('create')).toHaveLength(1);
      expect(errorsOf(run)).toMatch(
        /Create registration failed: the connection was reset before any byte of a response \(ECONNRESET on a kept-alive connection reused after being idle\).*not sent again.*look for that registration/u,
      );
    });
  });
});

describe('certificate checks that fail are permanent and say which check, for which host', () => {
  let ca: PrivateCa;
  beforeAll(() => {
    ca = makePrivateCa();
  });
  afterAll(() => ca.cleanup());

  /** Runs token mode (max-attempts 3) against an HTTPS simulator serving `tls`; expects one connection and this error. */
  async function expectTlsFailure(
    tls: { key: string; cert: string },
    inputs: Record<string, string>,
    pattern: RegExp,
  ): Promise<void> {
    await withSimulator({ tls }, async (sim) => {
      const run = await runAction({
        mode: 'token',
        'base-url': sim.baseUrl,
        'client-id': 'id',
        'client-secret': 'not-a-real-secret',
        ...inputs,
      });
      expect(run.exitCode).toBe(1);
      const error = errorsOf(run);
      expect(error).toMatch(pattern);
      expect(error).toContain(new URL(sim.baseUrl).host);
      expect(error).not.toMatch(/re-run the job/u);
      // Failed at once: no second attempt, and no request reached the platform.
      expect(sim.connections).toBe(1);
      expect(sim.requests).toHaveLength(0);
    });
  }

  it('a self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT) names ca-certificate', async () => {
    const cert = makeLoopbackCertificate();
    try {
      await expectTlsFailure(
        cert,
        {},
        /Token failed: the certificate of .* is self-signed and not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\).*Fix: .*ca-certificate/u,
      );
    } finally {
      cert.cleanup();
    }
  });

  it('a chain under a private root the runner lacks (UNABLE_TO_GET_ISSUER_CERT_LOCALLY) names ca-certificate', async () => {
    await expectTlsFailure(
      { key: ca.leaf.key, cert: ca.leaf.cert + ca.intermediate },
      {},
      /issued by a CA the runner does not trust \(UNABLE_TO_GET_ISSUER_CERT_LOCALLY\).*Fix: .*ca-certificate/u,
    );
  });

  it('a chain that ends in an untrusted root the server sent (SELF_SIGNED_CERT_IN_CHAIN) names ca-certificate', async () => {
    await expectTlsFailure(
      { key: ca.leaf.key, cert: ca.leaf.cert + ca.intermediate + ca.root },
      {},
      /ends in a root CA the runner does not trust \(SELF_SIGNED_CERT_IN_CHAIN\).*Fix: .*ca-certificate/u,
    );
  });

  it('an expired certificate (CERT_HAS_EXPIRED) says so, even with its CA trusted', async () => {
    const expired = ca.issue('DNS:localhost,IP:127.0.0.1', -1);
    await expectTlsFailure(
      { key: expired.key, cert: expired.cert + ca.intermediate },
      { 'ca-certificate': ca.root },
      /the certificate of .* has expired \(CERT_HAS_EXPIRED\).*Fix: .*renew/u,
    );
  });

  it('a certificate for another host (ERR_TLS_CERT_ALTNAME_INVALID) names the host and the names it is for', async () => {
    const other = ca.issue('DNS:platform.other.test');
    await expectTlsFailure(
      { key: other.key, cert: other.cert + ca.intermediate },
      { 'ca-certificate': ca.root },
      /the certificate of 127\.0\.0\.1:\d+ is not valid for 127\.0\.0\.1 \(ERR_TLS_CERT_ALTNAME_INVALID; it is for DNS:platform\.other\.test\).*Fix: .*base-url/u,
    );
  });

  it('https:// to a port that speaks plain HTTP fails at once with advice (EPROTO)', async () => {
    await withSimulator({}, async (sim) => {
      const base = sim.baseUrl.replace('http://', 'https://');
      const run = await runAction({
        mode: 'token',
        'base-url': base,
        'client-id': 'id',
        'client-secret': 'not-a-real-secret',
      });
      expect(run.exitCode).toBe(1);
      expect(errorsOf(run)).toMatch(/Token failed: 127\.0\.0\.1:\d+ answered in plain HTTP, not TLS.*Fix: .*port/u);
      expect(sim.connections).toBe(1);
    });
  });
});

describe('NODE_TLS_REJECT_UNAUTHORIZED=0', () => {
  it('warns that certificate checks are off and credentials would go to any server', async () => {
    await withSimulator({}, async (sim) => {
      const run = await runAction(
        { ...PROVISION, 'base-url': sim.baseUrl },
        { env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' } },
      );
      expect(run.exitCode, errorsOf(run)).toBe(0);
      expect(run.log.warnings.join('\n')).toMatch(
        /NODE_TLS_REJECT_UNAUTHORIZED=0 .*certificate checks are off.*ca-certificate/u,
      );
    });
  });

  it('says nothing when it is not set to 0', async () => {
    await withSimulator({}, async (sim) => {
      const run = await runAction(
        { ...PROVISION, 'base-url': sim.baseUrl },
        { env: { NODE_TLS_REJECT_UNAUTHORIZED: '1' } },
      );
      expect(run.exitCode).toBe(0);
      expect(run.log.warnings).toEqual([]);
    });
  });
});

describe('ca-certificate: trust a private CA (root → intermediate → leaf)', () => {
  let ca: PrivateCa;
  beforeAll(() => {
    ca = makePrivateCa();
  });
  afterAll(() => ca.cleanup());

  async function provisionWith(
    served: string,
    inputs: Record<string, string>,
    env: Record<string, string> = {},
  ): Promise<{ run: ActionRun; sim: PlatformSimulator }> {
    const sim = await PlatformSimulator.start({ tls: { key: ca.leaf.key, cert: served } });
    try {
      const run = await runAction({ ...PROVISION, 'base-url': sim.baseUrl, 'scim-check': 'true', ...inputs }, { env });
      return { run, sim };
    } finally {
      await sim.close();
    }
  }

  it('fails without it (the runner has no NODE_EXTRA_CA_CERTS)', async () => {
    // runAction gives the action a runner's environment, without this machine's NODE_EXTRA_CA_CERTS.
    expect(runnerEnv('/tmp', '/tmp/o', '/tmp/s', {})).not.toHaveProperty('NODE_EXTRA_CA_CERTS');
    const { run, sim } = await provisionWith(ca.leaf.cert + ca.intermediate, {});
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toMatch(/Login failed: .*UNABLE_TO_GET_ISSUER_CERT_LOCALLY/u);
    expect(sim.requests).toHaveLength(0);
  });

  it('passes with the root alone, as PEM text (the server sends the intermediate)', async () => {
    const { run, sim } = await provisionWith(ca.leaf.cert + ca.intermediate, { 'ca-certificate': ca.root });
    expect(run.exitCode, errorsOf(run)).toBe(0);
    expect(sim.requests.map((r) => r.route)).toEqual(ROUTES);
    expect(sim.connections).toBe(1);
    expect(run.log.text).toMatch(/Trusting 1 CA certificate from ca-certificate/u);
  });

  it('passes with root + intermediate from a file relative to GITHUB_WORKSPACE (the server sends the leaf alone)', async () => {
    const workspace = ca.file('bundle.pem', ca.root + ca.intermediate).replace(/\/bundle\.pem$/u, '');
    const { run } = await provisionWith(
      ca.leaf.cert,
      { 'ca-certificate': 'bundle.pem' },
      { GITHUB_WORKSPACE: workspace },
    );
    expect(run.exitCode, errorsOf(run)).toBe(0);
    expect(run.log.text).toMatch(/Trusting 2 CA certificates from ca-certificate/u);
  });

  it.each([
    [
      'text that is not PEM',
      () => 'MIIBkTCB+wIJAKHBfpegPjMCMA0GCSqGSIb3DQEBBQUAMBExDzANBgNVBAMMBnVu\ndXNlZDAeFw0yNjExMzAwOTEzMDVa',
      /input "ca-certificate" is not PEM/u,
    ],
    [
      'a file that is not PEM',
      () => ca.file('der.bin', 'MIIB not pem'),
      /input "ca-certificate" names the file .*der\.bin, which is not PEM/u,
    ],
    [
      'PEM without a certificate',
      () => '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----',
      /input "ca-certificate" holds no certificate/u,
    ],
    [
      'a file that cannot be read',
      () => 'missing/ca.pem',
      /input "ca-certificate" names the file .*missing\/ca\.pem, which cannot be read/u,
    ],
  ])('%s is an input error before any request', async (_name, value, pattern) => {
    await withSimulator({}, async (sim) => {
      const run = await runAction({ ...PROVISION, 'base-url': sim.baseUrl, 'ca-certificate': value() });
      expect(run.exitCode).toBe(1);
      expect(errorsOf(run)).toMatch(/^Invalid input: /u);
      expect(errorsOf(run)).toMatch(pattern);
      expect(sim.requests).toHaveLength(0);
    });
  });
});
