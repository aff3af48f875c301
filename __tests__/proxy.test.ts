/**
 * End to end through an `https_proxy`, in both modes: dist/index.js under
 * Node 24 reaches a platform host that is not loopback (`@actions/http-client`
 * bypasses proxies for loopback hosts) only through a CONNECT proxy that
 * asks for credentials. This is the action's whole proxy path
 * (`@actions/http-client` → `tunnel` → node:https): it proves the bundle
 * carries all of it, and that it never reaches the stub standing in for
 * undici (scripts/bundle.ts), which would fail the run with
 * ERR_UNDICI_NOT_BUNDLED.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectProxy } from './support/proxy.ts';
import { runAction, type ActionRun } from './support/runner.ts';
import { OWNER, PlatformSimulator } from './support/simulator.ts';
import { makeLoopbackCertificate, type LoopbackCertificate } from './support/tls.ts';

/** A platform host that is not loopback; only the proxy knows where it is (no DNS). */
const HOST = 'platform.invicti.test';
const PROXY_USER = { user: 'runner', password: 'proxy-pass-8a1f' };

let cert: LoopbackCertificate;
let sim: PlatformSimulator;
let proxy: ConnectProxy;
let target: string;
let env: Record<string, string>;
beforeAll(async () => {
  cert = makeLoopbackCertificate([HOST]);
  sim = await PlatformSimulator.start({ tls: { key: cert.key, cert: cert.cert }, host: HOST });
  const port = Number(new URL(sim.baseUrl).port);
  target = `${HOST}:${port}`;
  proxy = await ConnectProxy.start({ [target]: port }, PROXY_USER);
  env = { ...cert.env, https_proxy: `http://${PROXY_USER.user}:${PROXY_USER.password}@127.0.0.1:${proxy.port}` };
});
afterAll(async () => {
  await proxy.close();
  await sim.close();
  cert.cleanup();
});
beforeEach(() => {
  sim.reset();
  proxy.reset();
});

/** Every connection to the platform went through the proxy, and undici was never needed. */
function expectProxiedRun(run: ActionRun, requests: number): void {
  expect(run.log.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(`${run.stdout}${run.stderr}`).not.toContain('ERR_UNDICI_NOT_BUNDLED');
  expect(proxy.refused).toEqual([]);
  expect(proxy.tunnels.length).toBeGreaterThan(0);
  expect(new Set(proxy.tunnels)).toEqual(new Set([target]));
  expect(sim.connections).toBe(proxy.tunnels.length);
  expect(sim.requests).toHaveLength(requests);
  expect(`${run.log.text}${run.stderr}${run.summary}`).not.toContain(PROXY_USER.password);
}

describe('through an https_proxy (CONNECT, with credentials)', () => {
  it('mode provision: login, create, authorize and token all go through the proxy', async () => {
    const run = await runAction({ mode: 'provision', 'base-url': sim.baseUrl, email: OWNER.email, password: OWNER.password }, { env });
    expectProxiedRun(run, 4);
    const [registration] = [...sim.registrations.values()];
    expect(registration?.authorized).toBe(true);
    expect(run.outputs['client-id']).toBe(registration?.clientId);
    expect(sim.accessTokens.has(run.outputs['access-token'] ?? '')).toBe(true);
  });

  it('mode token, with the SCIM check: all 4 requests (token, ServiceProviderConfig, /Users, /Groups) go through the proxy', async () => {
    const registration = sim.seedRegistration();
    const run = await runAction(
      { mode: 'token', 'base-url': sim.baseUrl, 'client-id': registration.clientId, 'client-secret': registration.clientSecret, 'scim-check': 'true' },
      { env },
    );
    expectProxiedRun(run, 4);
    expect(sim.accessTokens.has(run.outputs['access-token'] ?? '')).toBe(true);
  });
});
