/**
 * An HTTP proxy on 127.0.0.1 (random port) that speaks only CONNECT, as a
 * runner's `https_proxy` does for HTTPS: it checks `Proxy-Authorization`
 * (Basic) when given credentials, records each tunnel's target, and opens it
 * to a *mapped* address instead of resolving the name, so a test can use a
 * non-loopback platform host (`@actions/http-client` bypasses the proxy for
 * loopback hosts) without DNS or the internet. Ready-made proxies on npm
 * resolve the target name themselves, hence this small one.
 * Written in erasable TypeScript so Node 24 runs it without a build step.
 *
 *   const proxy = await ConnectProxy.start({ 'platform.test:8443': 8443 }, { user: 'u', password: 'p' });
 *   // https_proxy=http://u:p@127.0.0.1:<proxy.port>
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

export class ConnectProxy {
  readonly server: http.Server;
  /** `host:port` of each CONNECT accepted, in order. */
  readonly tunnels: string[] = [];
  /** Requests refused: 407 (wrong or missing credentials), 405 (not CONNECT), 502 (unmapped target). */
  readonly refused: { status: number; target: string }[] = [];
  port = 0;
  readonly #sockets = new Set<net.Socket>();

  /**
   * @param routes `host:port` a client asks for → port on 127.0.0.1 the tunnel opens to.
   * @param credentials when set, `Proxy-Authorization: Basic` must carry them.
   */
  private constructor(routes: Record<string, number>, credentials?: { user: string; password: string }) {
    const expected = credentials && `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
    this.server = http.createServer((req, res) => {
      this.refused.push({ status: 405, target: req.url ?? '' });
      res.writeHead(405, { connection: 'close' }).end();
    });
    this.server.on('connection', (socket: net.Socket) => this.#track(socket));
    this.server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      const target = req.url ?? '';
      const refuse = (status: number, reason: string): void => {
        this.refused.push({ status, target });
        client.end(`HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\n\r\n`);
      };
      if (expected !== undefined && req.headers['proxy-authorization'] !== expected) return refuse(407, 'Proxy Authentication Required');
      const port = routes[target];
      if (port === undefined) return refuse(502, 'Bad Gateway');
      this.tunnels.push(target);
      const upstream = this.#track(net.connect(port, '127.0.0.1'));
      upstream.on('connect', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  }

  /** Starts a proxy on 127.0.0.1, a random port (see the constructor for the arguments). */
  static async start(routes: Record<string, number>, credentials?: { user: string; password: string }): Promise<ConnectProxy> {
    const proxy = new ConnectProxy(routes, credentials);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as AddressInfo).port;
    return proxy;
  }

  /** Forgets the recorded tunnels and refusals. */
  reset(): void {
    this.tunnels.length = 0;
    this.refused.length = 0;
  }

  /** Closes the listener and every open tunnel. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #track(socket: net.Socket): net.Socket {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    return socket;
  }
}
