/**
 * A middlebox on 127.0.0.1 that breaks a TLS stream mid-answer: it relays TCP
 * to `127.0.0.1:target` and flips a bit in the `nth` chunk the server sends
 * that starts with a TLS application-data record (0x17). With TLS 1.2 on the
 * server, every such record after the handshake is an answer, so `nth` counts
 * answers; the client's decryption of that one then fails.
 */
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

/** The middlebox's port, and how to stop it. */
export interface Middlebox {
  port: number;
  close(): Promise<void>;
}

/** Starts a middlebox in front of `target` that breaks the `nth` answer (1-based) of all its connections. */
export async function startBreakingMiddlebox(target: number, nth: number): Promise<Middlebox> {
  let answers = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(target, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      let data = chunk;
      if (chunk[0] === 0x17 && (answers += 1) === nth) {
        data = Buffer.from(chunk);
        data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 0xff;
      }
      client.write(data);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
