import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One address in front of several instances, as a load balancer puts it: each request goes to the next instance. */
export class RoundRobinProxy {
  /** Requests forwarded to each target, in the order of `targets`. */
  readonly forwarded: number[];
  private next = 0;
  private readonly server: Server;

  private constructor(readonly targets: readonly string[]) {
    this.forwarded = targets.map(() => 0);
    this.server = createServer((incoming, outgoing) => this.forward(incoming, outgoing));
  }

  static async start(targets: readonly string[]): Promise<RoundRobinProxy> {
    const proxy = new RoundRobinProxy(targets);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private forward(incoming: IncomingMessage, outgoing: ServerResponse): void {
    const index = this.next++ % this.targets.length;
    this.forwarded[index] += 1;
    const target = new URL(this.targets[index]);
    const upstream = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', (error) => {
      outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`proxy: ${this.targets[index]} failed: ${error.message}`);
    });
    incoming.pipe(upstream);
  }
}
