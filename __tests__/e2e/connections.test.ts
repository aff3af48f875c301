/**
 * Connection reuse and prompt exit, end to end: the entry file under
 * Node 24 against the platform simulator, over plain HTTP and over HTTPS with
 * a run-time self-signed certificate trusted through NODE_EXTRA_CA_CERTS.
 *
 * Every run must send all its calls over ONE kept-alive connection (one TCP
 * connect, one TLS handshake) and exit as soon as the last response is in:
 * the simulator keeps idle connections open for 30 s, so a socket left open
 * by the action would show as a run that ends ~30 s after its last response.
 * (Node unreferences idle kept-alive sockets by itself; what the action's
 * `transport.dispose()` adds is freeing a socket still in use, e.g. after a
 * timeout on a response that never ends: the drip-server case below.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { OWNER, PlatformSimulator, type Route } from '../../harness/simulator.ts';
import { makeLoopbackCertificate, type LoopbackCertificate } from '../../harness/tls.ts';

/** How long the simulator keeps an idle connection open (Node's default is 5 s). */
const SERVER_KEEP_ALIVE_MS = 30_000;
/** Upper bound for "exits as soon as the last response is in" (loaded CI machines included). */
const EXIT_AFTER_LAST_RESPONSE_MS = 2_000;

interface Transport {
  name: 'http' | 'https';
  tls: boolean;
}

describe.each<Transport>([
  { name: 'http', tls: false },
  { name: 'https', tls: true },
])('over $name', ({ tls }) => {
  let sim: PlatformSimulator;
  let cert: LoopbackCertificate | undefined;
  let env: Record<string, string> = {};
  /** performance.now() when the simulator finished sending its last response. */
  let lastResponseAt = 0;
  /** TLS handshakes completed (HTTPS only). */
  let handshakes = 0;

  beforeAll(async () => {
    cert = tls ? makeLoopbackCertificate() : undefined;
    env = cert?.env ?? {};
    sim = await PlatformSimulator.start(cert ? { tls: { key: cert.key, cert: cert.cert } } : {});
    sim.server.keepAliveTimeout = SERVER_KEEP_ALIVE_MS;
    sim.server.on('request', (_req, res) => res.on('finish', () => (lastResponseAt = performance.now())));
    sim.server.on('secureConnection', () => (handshakes += 1));
  });
  afterAll(async () => {
    await sim.close();
    cert?.cleanup();
  });
  beforeEach(() => {
    sim.reset();
    handshakes = 0;
  });

  /** Runs the action; returns the run and how long after the last response the process was gone. */
  async function run(inputs: Record<string, string>): Promise<{ result: ActionRun; exitGapMs: number }> {
    const result = await runAction({ 'base-url': sim.baseUrl, ...inputs }, { env, killAfterMs: 20_000 });
    const exitGapMs = performance.now() - lastResponseAt;
    return { result, exitGapMs };
  }

  function expectOneConnection(routes: Route[]): void {
    expect(sim.requests.map((r) => r.route)).toEqual(routes);
    expect(sim.requests.every((r) => r.status >= 200 && r.status < 300)).toBe(true);
    expect(sim.connections).toBe(1);
    if (tls) expect(handshakes).toBe(1);
  }

  async function provisionCredentials(): Promise<{ 'client-id': string; 'client-secret': string }> {
    const { result } = await run({ mode: 'provision', email: OWNER.email, password: OWNER.password, verify: 'false' });
    expect(result.exitCode).toBe(0);
    const credentials = {
      'client-id': result.outputs['client-id'] ?? '',
      'client-secret': result.outputs['client-secret'] ?? '',
    };
    sim.requests.length = 0;
    sim.connections = 0;
    handshakes = 0;
    return credentials;
  }

  it('provision + verify: 4 requests on 1 connection, exits right after the last response', async () => {
    const { result, exitGapMs } = await run({ mode: 'provision', email: OWNER.email, password: OWNER.password });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.outputs['access-token']).toBeTruthy();
    expectOneConnection(['login', 'create', 'authorize', 'token']);
    expect(exitGapMs).toBeLessThan(EXIT_AFTER_LAST_RESPONSE_MS);
  });

  it('provision + verify + scim-check: 7 requests on 1 connection', async () => {
    const { result, exitGapMs } = await run({
      mode: 'provision',
      email: OWNER.email,
      password: OWNER.password,
      'scim-check': 'true',
    });
    expect(result.exitCode, result.stdout).toBe(0);
    expectOneConnection(['login', 'create', 'authorize', 'token', 'scim', 'users', 'groups']);
    expect(exitGapMs).toBeLessThan(EXIT_AFTER_LAST_RESPONSE_MS);
  });

  it('provision with api-key + verify + scim-check: 6 requests on 1 connection (no login)', async () => {
    const { result, exitGapMs } = await run({ mode: 'provision', 'api-key': OWNER.apiKey ?? '', 'scim-check': 'true' });
    expect(result.exitCode, result.stdout).toBe(0);
    expectOneConnection(['create', 'authorize', 'token', 'scim', 'users', 'groups']);
    expect(exitGapMs).toBeLessThan(EXIT_AFTER_LAST_RESPONSE_MS);
  });

  it('provision without verify: 3 requests on 1 connection', async () => {
    const { result, exitGapMs } = await run({
      mode: 'provision',
      email: OWNER.email,
      password: OWNER.password,
      verify: 'false',
    });
    expect(result.exitCode, result.stdout).toBe(0);
    expectOneConnection(['login', 'create', 'authorize']);
    expect(exitGapMs).toBeLessThan(EXIT_AFTER_LAST_RESPONSE_MS);
  });

  it('token: 1 request on 1 connection, exits right after the response', async () => {
    const credentials = await provisionCredentials();
    const { result, exitGapMs } = await run({ mode: 'token', ...credentials });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(sim.accessTokens.has(result.outputs['access-token'] ?? '')).toBe(true);
    expectOneConnection(['token']);
    expect(exitGapMs).toBeLessThan(EXIT_AFTER_LAST_RESPONSE_MS);
  });

  it('token + scim-check: 4 requests on 1 connection', async () => {
    const credentials = await provisionCredentials();
    const { result, exitGapMs } = await run({ mode: 'token', ...credentials, 'scim-check': 'true' });
    expect(result.exitCode, result.stdout).toBe(0);
    expectOneConnection(['token', 'scim', 'users', 'groups']);
    expect(exitGapMs).toBeLessThan(EXIT_AFTER_LAST_RESPONSE_MS);
  });

  it('a failed run also exits right after its last response (the connection is released on failure too)', async () => {
    const { result, exitGapMs } = await run({ mode: 'provision', email: OWNER.email, password: 'wrong password' });
    expect(result.exitCode).toBe(1);
    expect(result.log.errors.join('\n')).toMatch(/Login failed \(HTTP 401\)/u);
    expect(sim.requests.map((r) => r.route)).toEqual(['login']);
    expect(sim.connections).toBe(1);
    expect(exitGapMs).toBeLessThan(EXIT_AFTER_LAST_RESPONSE_MS);
  });

  it('a response that never ends does not keep the process alive once the timeout fails the run', async () => {
    // Headers at once, then one byte every 200 ms for 20 s: the socket is never
    // idle, so only the run's own deadline (timeout-seconds) ends the call, and
    // only disposing of the client frees the socket still in use.
    const drips = new Set<NodeJS.Timeout>();
    const handler = (_req: http.IncomingMessage, res: http.ServerResponse): void => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      const drip = setInterval(() => res.write(' '), 200);
      drips.add(drip);
      setTimeout(() => clearInterval(drip), 20_000).unref();
      res.on('close', () => clearInterval(drip));
    };
    const server = cert ? https.createServer({ key: cert.key, cert: cert.cert }, handler) : http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const result = await runAction(
        {
          mode: 'token',
          'base-url': base,
          'client-id': 'id',
          'client-secret': 'not-a-real-secret',
          'timeout-seconds': '1',
          'max-attempts': '1',
        },
        { env, killAfterMs: 20_000 },
      );
      expect(result.exitCode).toBe(1);
      expect(result.log.errors.join('\n')).toMatch(/Token failed: no response .* within the 1 s limit/u);
      // 1 s limit + start-up, far below the 20 s the response would take.
      expect(result.durationMs).toBeLessThan(1_000 + 5_000);
    } finally {
      for (const drip of drips) clearInterval(drip);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the exit-time measurement', () => {
  it('does catch a process that leaves a connection open (control)', async () => {
    // A stand-in for a broken action: one kept-alive request whose response is
    // never read, so its socket stays in use and keeps Node alive until the
    // server drops the idle connection (30 s) or the harness kills it (3.5 s).
    const dir = mkdtempSync(join(tmpdir(), 'linger-'));
    const script = join(dir, 'linger.mjs');
    writeFileSync(
      script,
      "import http from 'node:http';\n" +
        "const url = new URL('/api/scim/v2/ServiceProviderConfig', process.env['INPUT_BASE-URL']);\n" +
        'http.get(url, { agent: new http.Agent({ keepAlive: true }) }, () => {});\n',
    );
    const sim = await PlatformSimulator.start();
    sim.server.keepAliveTimeout = SERVER_KEEP_ALIVE_MS;
    let lastResponseAt = 0;
    sim.server.on('request', (_req, res) => res.on('finish', () => (lastResponseAt = performance.now())));
    try {
      await runAction({ mode: 'token', 'base-url': sim.baseUrl }, { script, killAfterMs: 3_500 });
      expect(sim.requests).toHaveLength(1);
      expect(performance.now() - lastResponseAt).toBeGreaterThan(EXIT_AFTER_LAST_RESPONSE_MS);
    } finally {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('HTTPS trust', () => {
  it("refuses the simulator's certificate when it is not trusted (no NODE_EXTRA_CA_CERTS)", async () => {
    const cert = makeLoopbackCertificate();
    const sim = await PlatformSimulator.start({ tls: { key: cert.key, cert: cert.cert } });
    try {
      const result = await runAction(
        { mode: 'token', 'base-url': sim.baseUrl, 'client-id': 'x', 'client-secret': 'y', 'max-attempts': '1' },
        { killAfterMs: 20_000 },
      );
      expect(result.exitCode).toBe(1);
      expect(sim.requests).toHaveLength(0);
    } finally {
      await sim.close();
      cert.cleanup();
    }
  });
});
