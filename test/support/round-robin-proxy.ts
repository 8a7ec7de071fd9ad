import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One address in front of several instances, as a load balancer puts it: each request goes to the next instance. */
export class RoundRobinProxy {
  /** Requests forwarded to each target, in the order of `targets`. */
  readonly forwarded: number[];
  private next = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly targets: readonly string[],
  ) {
    this.forwarded = targets.map(() => 0);
  }

  static async start(targets: readonly string[]): Promise<RoundRobinProxy> {
    let proxy: RoundRobinProxy | undefined;
    const server = createServer((incoming, outgoing) => {
      const index = proxy!.next++ % targets.length;
      proxy!.forwarded[index] += 1;
      const target = new URL(targets[index]);
      const upstream = request(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      upstream.on('error', (error) => {
        outgoing.writeHead(502, { 'content-type': 'text/plain' });
        outgoing.end(`proxy: ${targets[index]} failed: ${error.message}`);
      });
      incoming.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    proxy = new RoundRobinProxy(server, `http://127.0.0.1:${port}`, targets);
    return proxy;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}
