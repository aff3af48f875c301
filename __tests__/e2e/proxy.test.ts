/**
 * Proxies, proven end to end: the entry file under Node 24,
 * with `https_proxy` as a runner gives it, through a real CONNECT proxy on
 * loopback (the npm package `proxy`, not our own), to an HTTPS simulator whose
 * certificate comes from a private CA (`ca-certificate`).
 *
 * The http-client sends loopback hosts (localhost, 127.*, [::1]) direct,
 * whatever https_proxy says, so the platform is `invicti.test` (a reserved
 * name, RFC 6761, that no DNS resolves). The proxy resolves it the way a
 * corporate proxy resolves names the runner cannot: a `connect` listener that
 * runs before the package's own maps `invicti.test` to 127.0.0.1. For the one
 * run that must go direct (`no_proxy`), the action's process gets the same
 * name from a two-line `dns.lookup` preload (what /etc/hosts would do on a
 * runner); the bundle itself is unchanged.
 *
 * This is also the regression guard for the bundle's proxy path (http-client →
 * `tunnel` → node:https): every request of both modes goes through it, so a
 * bundle that lacked `tunnel` or reached the stub standing in for undici
 * (scripts/bundle.ts) fails here, with `ERR_UNDICI_NOT_BUNDLED` if it is the stub.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProxy } from 'proxy';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { OWNER, PlatformSimulator } from '../../harness/simulator.ts';
import { makePrivateCa, type PrivateCa } from '../../harness/tls.ts';

const HOST = 'invicti.test';
const PROXY_USER = 'runner';
const PROXY_PASSWORD = 'proxy-pässword-51c2';

/** What the proxy saw. */
interface ProxyLog {
  /** CONNECT targets as asked (`host:port`), in order. */
  connects: string[];
  /** Requests other than CONNECT (plain HTTP through the proxy): must stay empty. */
  plainRequests: string[];
  /** Status of each CONNECT refused by the package (407). */
  refusals: number[];
  /** The bytes each tunnel carried from the action, one entry per tunnel. */
  tunnels: Buffer[][];
}

let ca: PrivateCa;
let sim: PlatformSimulator;
let proxyServer: http.Server;
let proxyPort = 0;
let seen: ProxyLog;
let hostsPreload: string;
let preloadDir: string;

beforeAll(async () => {
  ca = makePrivateCa();
  sim = await PlatformSimulator.start({ tls: { key: ca.leaf.key, cert: ca.leaf.cert + ca.intermediate }, host: HOST });
  proxyServer = http.createServer();
  // Before the package's own listeners: record, and resolve invicti.test for the proxy.
  proxyServer.prependListener('connect', (req: http.IncomingMessage, socket: Socket) => {
    seen.connects.push(req.url ?? '');
    const chunks: Buffer[] = [];
    seen.tunnels.push(chunks);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    if (req.url?.startsWith(`${HOST}:`)) req.url = req.url.replace(HOST, '127.0.0.1');
  });
  proxyServer.prependListener('request', (req: http.IncomingMessage) =>
    seen.plainRequests.push(`${req.method} ${req.url}`),
  );
  createProxy(proxyServer);
  const expected = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`;
  (proxyServer as http.Server & { authenticate: (req: http.IncomingMessage) => boolean }).authenticate = (req) => {
    const ok = req.headers['proxy-authorization'] === expected;
    if (!ok) seen.refusals.push(407);
    return ok;
  };
  await new Promise<void>((resolve) => proxyServer.listen(0, '127.0.0.1', resolve));
  proxyPort = (proxyServer.address() as AddressInfo).port;
  preloadDir = mkdtempSync(join(tmpdir(), 'hosts-'));
  hostsPreload = join(preloadDir, 'hosts.mjs');
  writeFileSync(
    hostsPreload,
    "import dns from 'node:dns';\nconst lookup = dns.lookup;\n" +
      `dns.lookup = function (host, ...rest) { return lookup.call(this, host === ${JSON.stringify(HOST)} ? '127.0.0.1' : host, ...rest); };\n`,
  );
});
afterAll(async () => {
  proxyServer.closeAllConnections();
  await new Promise((resolve) => proxyServer.close(resolve));
  await sim.close();
  ca.cleanup();
  rmSync(preloadDir, { recursive: true, force: true });
});
beforeEach(() => {
  sim.reset();
  seen = { connects: [], plainRequests: [], refusals: [], tunnels: [] };
});

function proxyUrl(user = PROXY_USER, password = PROXY_PASSWORD, port = proxyPort): string {
  return `http://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
}

const PROVISION = { mode: 'provision', 'base-url': '', email: OWNER.email, password: OWNER.password };

function errorsOf(run: ActionRun): string {
  return run.log.errors.join('\n');
}

/** Every request went through the proxy, each in its own CONNECT tunnel, carrying TLS only. */
function expectProxied(run: ActionRun, requests: number, secrets: string[]): void {
  expect(run.exitCode, errorsOf(run)).toBe(0);
  expect(`${run.stdout}${run.stderr}`).not.toContain('ERR_UNDICI_NOT_BUNDLED');
  expect(seen.plainRequests).toEqual([]);
  expect(seen.refusals).toEqual([]);
  expect(seen.connects).toEqual(Array(requests).fill(`${HOST}:${new URL(sim.baseUrl).port}`));
  expect(sim.requests).toHaveLength(requests);
  expect(sim.connections).toBe(requests);
  for (const tunnel of seen.tunnels) {
    const bytes = Buffer.concat(tunnel);
    // A TLS handshake record (ContentType 22) opens each tunnel: the session is end to end.
    expect(bytes[0]).toBe(0x16);
    for (const secret of secrets) expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
  }
  expect(`${run.log.text}${run.stderr}${run.summary}`).not.toContain(PROXY_PASSWORD);
}

describe('through an https_proxy (CONNECT, with proxy credentials, private CA)', () => {
  it('mode provision (+ verify + scim-check): all 7 requests go through the proxy; it never sees the password', async () => {
    const run = await runAction(
      { ...PROVISION, 'base-url': sim.baseUrl, 'scim-check': 'true', 'ca-certificate': ca.root },
      { env: { https_proxy: proxyUrl() } },
    );
    const [registration] = [...sim.registrations.values()];
    expectProxied(run, 7, [
      OWNER.password,
      OWNER.email,
      registration?.clientSecret ?? '-',
      run.outputs['access-token'] ?? '-',
    ]);
    expect(sim.requests.map((r) => r.route)).toEqual([
      'login',
      'create',
      'authorize',
      'token',
      'scim',
      'users',
      'groups',
    ]);
    expect(registration?.authorized).toBe(true);
    expect(sim.accessTokens.has(run.outputs['access-token'] ?? '')).toBe(true);
  });

  it('mode token (+ scim-check): all 4 requests go through the proxy (HTTPS_PROXY in capitals)', async () => {
    const registration = sim.seedRegistration();
    const run = await runAction(
      {
        mode: 'token',
        'base-url': sim.baseUrl,
        'client-id': registration.clientId,
        'client-secret': registration.clientSecret,
        'scim-check': 'true',
        'ca-certificate': ca.root,
      },
      { env: { HTTPS_PROXY: proxyUrl() } },
    );
    expectProxied(run, 4, [registration.clientSecret, run.outputs['access-token'] ?? '-']);
  });

  it('ca-certificate holds inside the tunnel: without it the same run fails the certificate check', async () => {
    const run = await runAction(
      { ...PROVISION, 'base-url': sim.baseUrl, 'max-attempts': '1' },
      { env: { https_proxy: proxyUrl() } },
    );
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toMatch(
      /Login failed: the certificate of invicti\.test:\d+ is issued by a CA the runner does not trust \(UNABLE_TO_GET_ISSUER_CERT_LOCALLY\)/u,
    );
    expect(seen.connects).toHaveLength(1);
    expect(sim.requests).toEqual([]);
  });
});

describe('no_proxy', () => {
  it('sends a matching host direct: the proxy sees nothing', async () => {
    const run = await runAction(
      { ...PROVISION, 'base-url': sim.baseUrl, 'ca-certificate': ca.root },
      { env: { https_proxy: proxyUrl(), no_proxy: `example.com, ${HOST}`, NODE_OPTIONS: `--import=${hostsPreload}` } },
    );
    expect(run.exitCode, errorsOf(run)).toBe(0);
    expect(seen.connects).toEqual([]);
    expect(sim.requests.map((r) => r.route)).toEqual(['login', 'create', 'authorize', 'token']);
    // Direct, the run is back to one kept-alive connection.
    expect(sim.connections).toBe(1);
  });

  it("a leading dot matches subdomains only (the http-client's rule, unlike curl): .invicti.test still goes through the proxy", async () => {
    const run = await runAction(
      { ...PROVISION, 'base-url': sim.baseUrl, 'ca-certificate': ca.root, verify: 'false' },
      { env: { https_proxy: proxyUrl(), no_proxy: `.${HOST}`, NODE_OPTIONS: `--import=${hostsPreload}` } },
    );
    expect(run.exitCode, errorsOf(run)).toBe(0);
    expect(seen.connects).toHaveLength(3);
  });
});

describe('a proxy that refuses', () => {
  it('407 (wrong proxy credentials): fails at once, naming the proxy (never its credentials) and its status', async () => {
    const run = await runAction(
      { ...PROVISION, 'base-url': sim.baseUrl, 'ca-certificate': ca.root },
      { env: { https_proxy: proxyUrl(PROXY_USER, 'wrong-proxy-secret') } },
    );
    expect(run.exitCode).toBe(1);
    const error = errorsOf(run);
    expect(error).toMatch(
      new RegExp(
        `^Login failed: the proxy 127\\.0\\.0\\.1:${proxyPort} refused to open a tunnel to invicti\\.test:\\d+: HTTP 407 Proxy Authentication Required\\. Fix: .*https_proxy`,
        'u',
      ),
    );
    expect(`${run.log.text}${run.stderr}${run.summary}`).not.toMatch(/wrong-proxy-secret|runner:/u);
    // Not retried (max-attempts 3): a refusal is permanent. The platform saw nothing.
    expect(seen.refusals).toEqual([407]);
    expect(sim.requests).toEqual([]);
  });

  it('connection refused: names the proxy, not the platform, as what could not be reached', async () => {
    const closed = createNetServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const run = await runAction(
      { ...PROVISION, 'base-url': sim.baseUrl, 'ca-certificate': ca.root, 'max-attempts': '1' },
      { env: { https_proxy: proxyUrl(PROXY_USER, PROXY_PASSWORD, port) } },
    );
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toMatch(
      new RegExp(
        `^Login failed: could not reach the proxy 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\) on the way to invicti\\.test:\\d+\\. Fix: check the runner's https_proxy`,
        'u',
      ),
    );
    expect(`${run.log.text}${run.stderr}`).not.toContain(PROXY_PASSWORD);
    expect(sim.requests).toEqual([]);
  });
});
