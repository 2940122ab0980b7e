import net from 'node:net';

/**
 * A server on 127.0.0.1 that speaks just enough of PostgreSQL's protocol to refuse every login as a
 * real server does for a wrong password: an ErrorResponse with SQLSTATE `code` after the startup
 * message. For testing how authentication failures are reported, without a database.
 */
export interface RefusingPostgres {
  port: number;
  close(): Promise<void>;
}

export async function startRefusingPostgres(
  code = '28P01',
  message = 'password authentication failed for user "quotebot"',
): Promise<RefusingPostgres> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      // An SSLRequest (length 8, code 80877103) is declined; the startup message is refused.
      if (data.length === 8 && data.readInt32BE(4) === 80877103) return void socket.write('N');
      const fields = Buffer.concat([field('S', 'FATAL'), field('V', 'FATAL'), field('C', code), field('M', message), Buffer.from([0])]);
      const header = Buffer.alloc(5);
      header.write('E', 0);
      header.writeInt32BE(fields.length + 4, 1);
      socket.end(Buffer.concat([header, fields]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function field(type: string, value: string): Buffer {
  return Buffer.concat([Buffer.from(type), Buffer.from(value), Buffer.from([0])]);
}
