/**
 * Network faults as a run meets them (issue 16 §1-§4), end to end: the entry
 * file under Node 24 (harness/runner.ts) against the simulator on loopback,
 * with real sockets. Each failure says what happened on the wire: whether the
 * request was sent, whether to retry, and which setting to change.
 */
import * as http from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createProxy } from 'proxy';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../../harness/runner.ts';
import { OWNER, PlatformSimulator } from '../../harness/simulator.ts';
import { makePrivateCa, makeWeakCertificate, type PrivateCa } from '../../harness/tls.ts';
import { writeHostsPreload, type HostsPreload } from '../support/hosts-preload.ts';
import { startBreakingMiddlebox } from '../support/middlebox.ts';

const PROVISION = { mode: 'provision', email: OWNER.email, password: OWNER.password };
/** A platform name the HTTP client does not treat as loopback, so proxy settings apply to it. */
const HOST = 'invicti.test';

const sims: PlatformSimulator[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.close();
});

async function simulator(options: Parameters<typeof PlatformSimulator.start>[0] = {}): Promise<PlatformSimulator> {
  const sim = await PlatformSimulator.start(options);
  sims.push(sim);
  return sim;
}

function errorsOf(run: ActionRun): string {
  return run.log.errors.join('\n');
}

let ca: PrivateCa;
let hosts: HostsPreload;
beforeAll(() => {
  ca = makePrivateCa();
  hosts = writeHostsPreload(HOST);
});
afterAll(() => {
  ca.cleanup();
  hosts.cleanup();
});

describe('a kept-alive connection the server closes right after the login answer', () => {
  it('step 2 goes on a new connection: the registration is created once, the run passes', async () => {
    const sim = await simulator();
    sim.fault('login', { closeAfter: true, times: 1 });
    const run = await runAction({ ...PROVISION, 'base-url': sim.baseUrl });
    expect(run.exitCode, errorsOf(run)).toBe(0);
    expect(sim.requests.filter((r) => r.route === 'create')).toHaveLength(1);
    expect(sim.registrations.size).toBe(1);
    // One connection for the login, one for everything after it.
    expect(sim.connections).toBe(2);
  });
});

describe('response headers over Node’s limit', () => {
  it('are not retried: one attempt, and the error says the headers were too large', async () => {
    const sim = await simulator();
    sim.fault('login', { headers: { 'set-cookie': `session=${'a'.repeat(20_000)}` } });
    const run = await runAction({ ...PROVISION, 'base-url': sim.baseUrl, 'max-attempts': '3' });
    expect(run.exitCode).toBe(1);
    expect(sim.requests.filter((r) => r.route === 'login')).toHaveLength(1);
    expect(errorsOf(run)).toMatch(/Login failed: the response headers are larger than Node's limit of \d+ bytes/u);
    expect(errorsOf(run)).toContain('--max-http-header-size');
  });
});

describe('waiting as the server asks', () => {
  it("a Retry-After date is measured against the response's Date: a server 2 minutes behind that asks for 1 s gets 1 s", async () => {
    const sim = await simulator();
    const serverNow = Date.now() - 120_000;
    sim.fault('login', {
      status: 503,
      times: 1,
      headers: {
        date: new Date(serverNow).toUTCString(),
        'retry-after': new Date(serverNow + 1000).toUTCString(),
      },
    });
    const run = await runAction({ ...PROVISION, 'base-url': sim.baseUrl, 'max-attempts': '2' });
    expect(run.exitCode, errorsOf(run)).toBe(0);
    expect(run.log.text).toContain('login: attempt 1 of 2 failed (HTTP 503 with Retry-After); retrying in 1.0 s');
  });

  it('a 429 without it but with RateLimit-Reset (seconds) waits that long', async () => {
    const sim = await simulator();
    sim.fault('login', { status: 429, times: 1, headers: { 'ratelimit-reset': '1' } });
    const run = await runAction({ ...PROVISION, 'base-url': sim.baseUrl, 'max-attempts': '2' });
    expect(run.exitCode, errorsOf(run)).toBe(0);
    expect(run.log.text).toContain('login: attempt 1 of 2 failed (HTTP 429 with RateLimit-Reset); retrying in 1.0 s');
  });
});

describe('a TLS stream broken after step 2 was written', () => {
  it('may have reached the platform: not sent again, and the error names the registration to look for', async () => {
    const sim = await simulator({
      tls: { key: ca.leaf.key, cert: ca.leaf.cert + ca.intermediate, maxVersion: 'TLSv1.2' },
    });
    const simPort = Number(new URL(sim.baseUrl).port);
    // A middlebox that breaks the second answer (step 2's): the login answer passes.
    const middlebox = await startBreakingMiddlebox(simPort, 2);
    try {
      const port = middlebox.port;
      const run = await runAction({
        ...PROVISION,
        'base-url': `https://127.0.0.1:${port}`,
        'ca-certificate': ca.root,
        'max-attempts': '3',
      });
      expect(run.exitCode).toBe(1);
      expect(sim.requests.filter((r) => r.route === 'create')).toHaveLength(1);
      expect(sim.registrations.size).toBe(1);
      const error = errorsOf(run);
      expect(error).toContain('the connection was reset: its TLS stream broke after the request was sent');
      expect(error).toMatch(/may have created a registration named "Invicti SCIM credentials \(octo-org\/identity/u);
      expect(error).toContain('look for that registration');
    } finally {
      await middlebox.close();
    }
  });
});

describe('a certificate Node refuses as too weak', () => {
  it('fails at once with its reason quoted and a fix about the certificate; nothing reaches the platform', async () => {
    const { key, cert } = makeWeakCertificate();
    const sim = await simulator({ tls: { key, cert, ciphers: 'DEFAULT:@SECLEVEL=0' } });
    const run = await runAction({
      ...PROVISION,
      'base-url': sim.baseUrl,
      'ca-certificate': cert,
      'max-attempts': '3',
    });
    expect(run.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(sim.connections).toBe(1);
    expect(errorsOf(run)).toContain('was refused by Node as too weak ("EE certificate key too weak", UNSPECIFIED)');
    expect(errorsOf(run)).toContain("have the platform's administrators replace the certificate");
  });
});

/** A TCP listener that counts connections (it stands for a proxy the run should have used). */
async function countingListener(): Promise<{ port: number; connections: () => number; server: Server }> {
  let connections = 0;
  const sockets: Socket[] = [];
  const server = createNetServer((socket) => {
    connections += 1;
    sockets.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterEach(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return { port: (server.address() as AddressInfo).port, connections: () => connections, server };
}

describe('https_proxy values the HTTP client ignores', () => {
  it.each([
    ['without a scheme (localhost:PORT)', (port: number) => `localhost:${port}`, 'it has no scheme'],
    [
      'with a bare % in the password',
      (port: number) => `http://runner:50%off@localhost:${port}`,
      'Write each % in the credentials as %25',
    ],
  ])('%s: the run warns that requests go direct, and why', async (_name, value, why) => {
    const proxy = await countingListener();
    const sim = await simulator({ tls: { key: ca.leaf.key, cert: ca.leaf.cert + ca.intermediate }, host: HOST });
    const run = await runAction(
      { ...PROVISION, 'base-url': sim.baseUrl, 'ca-certificate': ca.root },
      { env: { https_proxy: value(proxy.port), NODE_OPTIONS: hosts.nodeOptions } },
    );
    expect(run.exitCode, errorsOf(run)).toBe(0);
    expect(proxy.connections()).toBe(0);
    const warning = run.log.warnings.find((line) => line.includes('https_proxy')) ?? '';
    expect(warning).toContain(
      `https_proxy (localhost:${proxy.port}) is ignored by the HTTP client, so every request goes directly to the platform`,
    );
    expect(warning).toContain(why);
    expect(run.log.text).not.toContain('50%off');
  });
});

describe('a TLS failure while https_proxy is in force', () => {
  it('names the proxy and the issuer of the certificate the action saw', async () => {
    const sim = await simulator({ tls: { key: ca.leaf.key, cert: ca.leaf.cert + ca.intermediate }, host: HOST });
    const proxyServer = http.createServer();
    // The proxy resolves the platform's name, as a corporate proxy does.
    proxyServer.prependListener('connect', (req: http.IncomingMessage) => {
      if (req.url?.startsWith(`${HOST}:`)) req.url = req.url.replace(HOST, '127.0.0.1');
    });
    createProxy(proxyServer);
    await new Promise<void>((resolve) => proxyServer.listen(0, '127.0.0.1', resolve));
    const proxyPort = (proxyServer.address() as AddressInfo).port;
    try {
      // No ca-certificate: the private CA is not trusted.
      const run = await runAction(
        { ...PROVISION, 'base-url': sim.baseUrl },
        { env: { https_proxy: `http://127.0.0.1:${proxyPort}` } },
      );
      expect(run.exitCode).toBe(1);
      expect(errorsOf(run)).toContain('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
      expect(errorsOf(run)).toContain(
        `the connection went through the proxy 127.0.0.1:${proxyPort} (https_proxy) and the certificate seen was issued by CN=Test Private Issuing CA`,
      );
      expect(errorsOf(run)).toContain('re-signs with its own CA');
    } finally {
      proxyServer.closeAllConnections();
      await new Promise((resolve) => proxyServer.close(resolve));
    }
  });
});
