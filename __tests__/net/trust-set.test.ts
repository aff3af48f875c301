/**
 * The transport's trust is an explicit value (src/net/trust.ts
 * `trustedContext`, given to its agents by src/net/http.ts): the default CAs
 * plus the run's own, for that transport only. Building a transport changes
 * nothing for the rest of the process, and under `--use-openssl-ca` (or with
 * NODE_EXTRA_CA_CERTS) the run's CAs add to Node's trust instead of replacing it.
 */
import { execFile } from 'node:child_process';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE24, ROOT } from '../../harness/runner.ts';
import { makeLoopbackCertificate, type LoopbackCertificate } from '../../harness/tls.ts';
import { createHttpTransport, TransportError } from '../../src/net/http.ts';

/** Two servers, each with its own self-signed certificate: `a` stands for the runner's CA, `b` for ca-certificate. */
let a: LoopbackCertificate;
let b: LoopbackCertificate;
const servers: https.Server[] = [];
const urls: { a: string; b: string } = { a: '', b: '' };

async function serve(identity: LoopbackCertificate): Promise<string> {
  const server = https.createServer({ key: identity.key, cert: identity.cert }, (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
}

beforeAll(async () => {
  a = makeLoopbackCertificate();
  b = makeLoopbackCertificate();
  urls.a = await serve(a);
  urls.b = await serve(b);
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  a.cleanup();
  b.cleanup();
});

async function status(url: string, caCertificates: readonly string[]): Promise<number | string> {
  const transport = createHttpTransport('test/1', 5000, caCertificates);
  try {
    return (await transport.send({ method: 'GET', url, headers: {} }, 5000)).status;
  } catch (error) {
    return error instanceof TransportError ? (error.code ?? error.kind) : String(error);
  } finally {
    transport.dispose();
  }
}

describe('the trust of one transport', () => {
  it("adds the run's CAs for that transport only: the process's default CA list is unchanged", async () => {
    const before = tls.getCACertificates('default');
    expect(await status(urls.b, [b.cert])).toBe(200);
    expect(tls.getCACertificates('default')).toEqual(before);
    // A transport built afterwards, without them, does not trust that server.
    expect(await status(urls.b, [])).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });
});

/**
 * Runs a transport with ca-certificate `b` in a fresh Node 24 with `env`, against both servers;
 * returns each server's status or error code.
 */
async function inChild(env: Record<string, string>): Promise<{ a: number | string; b: number | string }> {
  const script = `
    import { createHttpTransport } from ${JSON.stringify(`${ROOT}/src/net/http.ts`)};
    const transport = createHttpTransport('test/1', 5000, [process.env.B_PEM]);
    const result = {};
    for (const [name, url] of [['a', process.env.A_URL], ['b', process.env.B_URL]]) {
      try {
        result[name] = (await transport.send({ method: 'GET', url, headers: {} }, 5000)).status;
      } catch (error) {
        result[name] = error.code ?? error.kind;
      }
    }
    transport.dispose();
    console.log(JSON.stringify(result));`;
  const { stdout } = await promisify(execFile)(NODE24, ['--input-type=module', '-e', script], {
    env: { PATH: process.env['PATH'] ?? '', B_PEM: b.cert, A_URL: urls.a, B_URL: urls.b, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as { a: number | string; b: number | string };
}

describe('ca-certificate adds to the trust Node was started with', () => {
  it("with NODE_OPTIONS=--use-openssl-ca, OpenSSL's store (here SSL_CERT_FILE) still holds", async () => {
    expect(await inChild({ NODE_OPTIONS: '--use-openssl-ca', SSL_CERT_FILE: a.caFile })).toEqual({ a: 200, b: 200 });
  });

  it('with NODE_EXTRA_CA_CERTS, its CAs still hold', async () => {
    expect(await inChild({ NODE_EXTRA_CA_CERTS: a.caFile })).toEqual({ a: 200, b: 200 });
  });

  it('without either, only the added CA is trusted besides the bundled ones (control)', async () => {
    expect(await inChild({})).toEqual({ a: 'DEPTH_ZERO_SELF_SIGNED_CERT', b: 200 });
  });
});
