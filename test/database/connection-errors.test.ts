import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@trialstream/database';
import { TEST_POSTGRES_URL } from '../support/database';

/** FATAL 57P01, what every session gets when its server shuts down ("terminating connection due to administrator command"). */
function administratorTermination(): Buffer {
  const fields = Buffer.concat(
    [
      ['S', 'FATAL'],
      ['V', 'FATAL'],
      ['C', '57P01'],
      ['M', 'terminating connection due to administrator command'],
    ].map(([code, text]) => Buffer.from(`${code}${text}\0`)),
  );
  const body = Buffer.concat([fields, Buffer.from([0])]);
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

/** Where the server's first ReadyForQuery ends in what it has sent so far, or -1. */
function endOfFirstReadyForQuery(sent: Buffer): number {
  let offset = 0;
  while (offset + 5 <= sent.length) {
    const end = offset + 1 + sent.readInt32BE(offset + 1);
    if (end > sent.length) return -1;
    if (sent[offset] === 'Z'.charCodeAt(0)) return end;
    offset = end;
  }
  return -1;
}

/**
 * A TCP proxy in front of PostgreSQL that, when armed, lets the next session finish its start-up and then ends it
 * in the same write as the server's ReadyForQuery: the client reads "ready" and "terminated" in one chunk, as it
 * does when the server shuts down at the moment it accepts a connection.
 */
class TerminatingProxy {
  armed = false;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: URL) {
    this.server = createServer((client) => this.forward(client));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const url = new URL(this.target);
    url.host = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return url.toString();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private forward(client: Socket): void {
    const server = connect(Number(this.target.port), this.target.hostname);
    for (const socket of [client, server]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => this.sockets.delete(socket));
    }
    client.pipe(server);
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
    if (!this.armed) {
      server.pipe(client);
      return;
    }
    this.armed = false;
    let received = Buffer.alloc(0);
    server.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const ready = endOfFirstReadyForQuery(received);
      if (ready < 0) return;
      server.removeAllListeners('data');
      client.end(Buffer.concat([received.subarray(0, ready), administratorTermination()]));
      server.destroy();
    });
  }
}

describe('a connection the server ends in the read that made it ready', () => {
  let proxy: TerminatingProxy;
  let dataSource: DataSource;

  beforeAll(async () => {
    proxy = new TerminatingProxy(new URL(TEST_POSTGRES_URL));
    dataSource = createDataSource({ url: await proxy.listen(), migrations: [], poolSize: 4 });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await proxy?.close();
  });

  it('fails the statement that got it, does not crash the process, and the pool connects afresh', async () => {
    // The pool keeps the connection initialize() made; holding it makes the next statement open a new one.
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    try {
      proxy.armed = true;
      await expect(dataSource.query('SELECT 1 AS one')).rejects.toThrow(/not queryable|terminat/);
      await expect(dataSource.query('SELECT 2 AS two')).resolves.toEqual([{ two: 2 }]);
    } finally {
      await holder.release();
    }
    await expect(dataSource.query('SELECT 3 AS three')).resolves.toEqual([{ three: 3 }]);
  });
});
