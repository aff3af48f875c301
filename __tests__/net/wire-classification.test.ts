/**
 * The transport classifies a failure by what happened on the wire
 * (src/net/http.ts, src/net/transport-error.ts), on real sockets on 127.0.0.1:
 * a connection never established sent nothing; a kept-alive connection the
 * server closed is not reused; a TLS stream broken after the request was
 * written may have reached the server; a certificate Node refuses as too weak
 * and headers over Node's limit are permanent.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeLoopbackCertificate, makeWeakCertificate, type LoopbackCertificate } from '../../harness/tls.ts';
import { createHttpTransport, TransportError, type Transport } from '../../src/net/http.ts';
import { startBreakingMiddlebox } from '../support/middlebox.ts';
import { classifyNetworkError } from '../../src/net/transport-error.ts';

const cleanups: Array<() => unknown> = [];
let transport: Transport | undefined;
afterEach(async () => {
  transport?.dispose();
  transport = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let loopback: LoopbackCertificate;
beforeAll(() => {
  loopback = makeLoopbackCertificate();
});
afterAll(() => loopback.cleanup());

/** Listens on 127.0.0.1; closes at the end of the test. Returns the port. */
async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    (server as http.Server).closeAllConnections?.();
    return new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as net.AddressInfo).port;
}

async function failureOf(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

/**
 * A port whose SYNs go unanswered: a listener (backlog 1) in a worker thread
 * whose event loop is blocked, so it never accepts; two connections fill its
 * accept queue, and the kernel drops every later SYN.
 */
async function synDroppingPort(): Promise<number> {
  const worker = new Worker(
    `const net = require('node:net');
     const { parentPort } = require('node:worker_threads');
     const server = net.createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
       parentPort.postMessage(server.address().port);
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
     });`,
    { eval: true },
  );
  cleanups.push(() => worker.terminate());
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  for (;;) {
    const filler = net.connect(port, '127.0.0.1');
    cleanups.push(() => filler.destroy());
    const connected = await new Promise<boolean>((resolve) => {
      filler.once('connect', () => resolve(true));
      setTimeout(() => resolve(false), 200);
    });
    if (!connected) return port;
  }
}

describe('a connection never established sent nothing', () => {
  it('SYNs unanswered (connect timeout): refused with ETIMEDOUT, not a timeout of a sent request', async () => {
    const port = await synDroppingPort();
    transport = createHttpTransport('test/1', 300);
    const failure = await failureOf(
      transport.send({ method: 'POST', url: `http://127.0.0.1:${port}/x`, headers: {}, body: '{}' }, 300),
    );
    expect(failure).toMatchObject({ kind: 'refused', code: 'ETIMEDOUT', reached: false });
    expect(failure.message).toBe('no connection within 0.3 s (connect timeout)');
  });

  it('a TLS handshake that never finishes (the server accepts and says nothing): refused, nothing sent', async () => {
    const silent = net.createServer((socket) => cleanups.push(() => socket.destroy()));
    const port = await listen(silent);
    transport = createHttpTransport('test/1', 300);
    const failure = await failureOf(
      transport.send({ method: 'POST', url: `https://127.0.0.1:${port}/x`, headers: {}, body: '{}' }, 300),
    );
    expect(failure).toMatchObject({ kind: 'refused', code: 'ETIMEDOUT', reached: false });
  });

  it('a server that answers slowly on an established connection is a timeout that may have reached it', async () => {
    const port = await listen(http.createServer(() => undefined));
    transport = createHttpTransport('test/1', 300);
    const failure = await failureOf(
      transport.send({ method: 'POST', url: `http://127.0.0.1:${port}/x`, headers: {}, body: '{}' }, 300),
    );
    expect(failure).toMatchObject({ kind: 'timeout', reached: true });
  });
});

describe('a kept-alive connection the server closed', () => {
  it('right after its answer (FIN): the next request goes on a new connection instead of failing', async () => {
    let connections = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      // Keep-alive is announced, then the server closes at once (as some load balancers do).
      req.on('end', () => {
        res.end('{}');
        res.socket?.end();
      });
    });
    server.keepAliveTimeout = 30_000;
    server.on('connection', () => (connections += 1));
    const port = await listen(server);
    transport = createHttpTransport('test/1', 5000);
    for (let n = 0; n < 3; n += 1) {
      const response = await transport.send(
        { method: 'POST', url: `http://127.0.0.1:${port}/x`, headers: {}, body: '{}' },
        5000,
      );
      expect(response.status).toBe(200);
    }
    expect(connections).toBe(3);
  });

  it('is still reused while the server keeps it: one connection for every request', async () => {
    let connections = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('{}'));
    });
    server.keepAliveTimeout = 30_000;
    server.on('connection', () => (connections += 1));
    const port = await listen(server);
    transport = createHttpTransport('test/1', 5000);
    for (let n = 0; n < 3; n += 1)
      await transport.send({ method: 'POST', url: `http://127.0.0.1:${port}/x`, headers: {}, body: '{}' }, 5000);
    expect(connections).toBe(1);
  });

  it('a write that fails on a reused connection sent not one byte of the request (reached false)', () => {
    const error = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' });
    const failure = classifyNetworkError(error, undefined, true, { established: true, unwritten: true });
    expect(failure).toMatchObject({ kind: 'stale', reached: false });
    expect(failure.message).toContain('before any byte of the request was written');
    // The same reset after the request was written may have reached the server.
    expect(classifyNetworkError(error, undefined, true, { established: true })).toMatchObject({
      kind: 'stale',
      reached: true,
    });
  });
});

describe('TLS', () => {
  it('a stream a middlebox breaks after the request was written may have reached the server (reset, not tls)', async () => {
    const server = https.createServer({ key: loopback.key, cert: loopback.cert, maxVersion: 'TLSv1.2' }, (req, res) => {
      req.resume();
      req.on('end', () => res.end('{"ok":true}'));
    });
    const serverPort = await listen(server);
    // Breaks the first answer the server sends.
    const middlebox = await startBreakingMiddlebox(serverPort, 1);
    cleanups.push(() => middlebox.close());
    const port = middlebox.port;
    transport = createHttpTransport('test/1', 5000, [loopback.cert]);
    const failure = await failureOf(
      transport.send({ method: 'POST', url: `https://127.0.0.1:${port}/x`, headers: {}, body: '{}' }, 5000),
    );
    expect(failure).toMatchObject({ kind: 'reset', reached: true });
    expect(failure.message).toMatch(
      /^the connection was reset: its TLS stream broke after the request was sent \(ERR_SSL_/u,
    );
  });

  it('a certificate Node refuses as too weak (RSA-1024): tls, code UNSPECIFIED, the reason kept, nothing sent', async () => {
    const { key, cert } = makeWeakCertificate();
    let requests = 0;
    const server = https.createServer(
      // The server has to lower its own security level to load the key at all.
      { key, cert, ciphers: 'DEFAULT:@SECLEVEL=0' },
      (_req, res) => {
        requests += 1;
        res.end('{}');
      },
    );
    const port = await listen(server);
    transport = createHttpTransport('test/1', 5000, [cert]);
    const failure = await failureOf(
      transport.send({ method: 'GET', url: `https://127.0.0.1:${port}/x`, headers: {} }, 5000),
    );
    expect(failure).toMatchObject({ kind: 'tls', code: 'UNSPECIFIED', reached: false });
    expect(failure.details.weakness).toBe('EE certificate key too weak');
    expect(requests).toBe(0);
  });

  it('records the issuer of the certificate seen when the check fails', async () => {
    const server = https.createServer({ key: loopback.key, cert: loopback.cert }, (_req, res) => res.end('{}'));
    const port = await listen(server);
    transport = createHttpTransport('test/1', 5000);
    const failure = await failureOf(
      transport.send({ method: 'GET', url: `https://127.0.0.1:${port}/x`, headers: {} }, 5000),
    );
    expect(failure).toMatchObject({ kind: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(failure.details.issuer).toBe('CN=localhost');
  });
});

describe('response headers over Node’s limit', () => {
  it('are a deterministic failure (HPE_HEADER_OVERFLOW) that says the headers were too large', async () => {
    const server = http.createServer((_req, res) => {
      res.setHeader('set-cookie', `session=${'a'.repeat(20_000)}`);
      res.end('{}');
    });
    const port = await listen(server);
    transport = createHttpTransport('test/1', 5000);
    const failure = await failureOf(
      transport.send({ method: 'GET', url: `http://127.0.0.1:${port}/x`, headers: {} }, 5000),
    );
    expect(failure).toMatchObject({ kind: 'network', code: 'HPE_HEADER_OVERFLOW', details: { deterministic: true } });
    expect(failure.message).toBe(
      `the response headers are larger than Node's limit of ${http.maxHeaderSize} bytes (HPE_HEADER_OVERFLOW)`,
    );
  });
});
