import net from 'node:net';

export interface RunningProxy {
  port: number;
  close: () => Promise<void>;
}

const BACKEND_KEY_DATA = 0x4b; // 'K'

/**
 * A stand-in for a transaction-pooling proxy such as PgBouncer, seen from the client: it forwards the PostgreSQL
 * protocol both ways, but answers the login with a cancel key of its own, whose process id is not the server's.
 * (A real pooler does this because the client's statements may run in any of its server connections.) Only the
 * server's messages up to that BackendKeyData message are parsed (a type byte and an int32 length each); everything
 * after it passes through untouched. The server must not ask for TLS (sslmode disable).
 */
export async function startLoginKeyProxy(target: { host: string; port: number }): Promise<RunningProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    let pending = Buffer.alloc(0);
    let rewritten = false;
    upstream.on('data', (chunk: Buffer) => {
      if (rewritten) {
        client.write(chunk);
        return;
      }
      pending = Buffer.concat([pending, chunk]);
      let offset = 0;
      while (!rewritten && pending.length - offset >= 5) {
        const length = pending.readInt32BE(offset + 1);
        if (pending.length - offset < 1 + length) break;
        if (pending[offset] === BACKEND_KEY_DATA) {
          const pid = pending.readInt32BE(offset + 5);
          pending.writeInt32BE(pid === 1 ? 2 : 1, offset + 5);
          rewritten = true;
        }
        offset += 1 + length;
      }
      const ready = rewritten ? pending.length : offset;
      client.write(pending.subarray(0, ready));
      pending = pending.subarray(ready);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the proxy has no TCP address');
  return {
    port: address.port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
