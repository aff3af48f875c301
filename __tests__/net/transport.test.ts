/**
 * How the transport names a failure (src/net/transport-error.ts, src/net/http.ts):
 * TLS and proxy-tunnel errors as Node and `tunnel` raise them, and a
 * kept-alive connection found dead (`stale`) told apart from other resets on
 * real sockets: only a reused idle socket on which not one byte of a response
 * arrived is stale.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpTransport, type Transport } from '../../src/net/http.ts';
import { classifyNetworkError } from '../../src/net/transport-error.ts';

function nodeError(message: string, code?: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code }, extra);
}

describe('classifyNetworkError', () => {
  it('names a proxy that answers CONNECT with a status (tunnel says ECONNRESET)', () => {
    const error = classifyNetworkError(
      nodeError('tunneling socket could not be established, statusCode=407', 'ECONNRESET'),
      'proxy.corp:3128',
    );
    expect(error).toMatchObject({ kind: 'proxy', details: { proxy: 'proxy.corp:3128', proxyStatus: 407 } });
    expect(error.message).toBe('the proxy proxy.corp:3128 answered HTTP 407 to CONNECT');
  });

  it("names a proxy that cannot be reached, with the cause's code only", () => {
    const error = classifyNetworkError(
      nodeError('tunneling socket could not be established, cause=connect ECONNREFUSED 127.0.0.1:9', 'ECONNRESET'),
      '127.0.0.1:9',
    );
    expect(error).toMatchObject({
      kind: 'proxy',
      code: 'ECONNREFUSED',
      details: { proxy: '127.0.0.1:9', proxyStatus: undefined },
    });
  });

  it('reads "wrong version number" (https:// to a plain-HTTP port) as TLS that never started', () => {
    const message =
      'write EPROTO 40CD81A3417F0000:error:0A00010B:SSL routines:tls_validate_record_header:wrong version number:../deps/openssl/openssl/ssl/record/methods/tlsany_meth.c:77:';
    expect(classifyNetworkError(nodeError(message, 'EPROTO'))).toMatchObject({
      kind: 'tls',
      code: 'ERR_SSL_WRONG_VERSION_NUMBER',
    });
    expect(classifyNetworkError(nodeError('write EPROTO handshake failure', 'EPROTO'))).toMatchObject({
      kind: 'tls',
      code: 'EPROTO',
    });
  });

  it.each([
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_HAS_EXPIRED',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
  ])('reads %s as a TLS failure', (code) => {
    expect(classifyNetworkError(nodeError('x', code)).kind).toBe('tls');
  });

  it('keeps the names of a certificate for another host, with only name characters (server text stays inert)', () => {
    const error = classifyNetworkError(
      nodeError('Hostname/IP does not match', 'ERR_TLS_CERT_ALTNAME_INVALID', {
        cert: { subjectaltname: 'DNS:a.test, DNS:b.test\n##[stop-commands]x' },
      }),
    );
    expect(error.details.certificateNames).toBe('DNS:a.test, DNS:b.test????stop-commands?x');
  });

  it('is stale only for a reset or hang-up on a reused socket that read nothing', () => {
    expect(classifyNetworkError(nodeError('read ECONNRESET', 'ECONNRESET'), undefined, true).kind).toBe('stale');
    expect(classifyNetworkError(nodeError('socket hang up', 'ECONNRESET'), undefined, true).kind).toBe('stale');
    expect(classifyNetworkError(nodeError('read ECONNRESET', 'ECONNRESET'), undefined, false).kind).toBe('reset');
    // A refused connection or a TLS failure is never "stale", whatever the socket.
    expect(classifyNetworkError(nodeError('connect ECONNREFUSED', 'ECONNREFUSED'), undefined, true).kind).toBe(
      'refused',
    );
  });
});

describe('a kept-alive connection found dead, on real sockets', () => {
  let server: http.Server | undefined;
  let transport: Transport | undefined;
  afterEach(async () => {
    transport?.dispose();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  /** Serves `answer(n, socket, res)` for the n-th request (1-based); counts connections. */
  async function serve(
    answer: (n: number, socket: Socket, res: http.ServerResponse) => void,
  ): Promise<{ url: string; connections: () => number }> {
    let requests = 0;
    let connections = 0;
    server = http.createServer((req, res) => {
      requests += 1;
      answer(requests, req.socket, res);
    });
    server.keepAliveTimeout = 30_000;
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, connections: () => connections };
  }

  const ok = (res: http.ServerResponse): void =>
    void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');

  it('a reset of the second request on the reused socket, before any byte, is stale; the next request opens a new connection', async () => {
    const { url, connections } = await serve((n, socket, res) => (n === 2 ? socket.resetAndDestroy() : ok(res)));
    transport = createHttpTransport('test/1', 5000);
    await transport.send({ method: 'GET', url, headers: {} }, 5000);
    await expect(transport.send({ method: 'GET', url, headers: {} }, 5000)).rejects.toMatchObject({ kind: 'stale' });
    await expect(transport.send({ method: 'GET', url, headers: {} }, 5000)).resolves.toMatchObject({ status: 200 });
    expect(connections()).toBe(2);
  });

  it('a reset of the first request on a fresh connection is a plain reset', async () => {
    const { url } = await serve((_n, socket) => socket.resetAndDestroy());
    transport = createHttpTransport('test/1', 5000);
    await expect(transport.send({ method: 'GET', url, headers: {} }, 5000)).rejects.toMatchObject({ kind: 'reset' });
  });

  it('a reused socket that got part of a response before the reset is not stale (the server answered)', async () => {
    const { url } = await serve((n, socket, res) => {
      if (n === 1) return ok(res);
      socket.write('HTTP/1.1 20', () => setTimeout(() => socket.resetAndDestroy(), 20));
    });
    transport = createHttpTransport('test/1', 5000);
    await transport.send({ method: 'GET', url, headers: {} }, 5000);
    const failure = await transport.send({ method: 'GET', url, headers: {} }, 5000).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'reset' });
  });
});
