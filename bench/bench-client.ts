import { Agent, request } from 'node:http';

/**
 * Sockets the client keeps open to the app: a site's traffic arrives over a bounded pool of keep-alive
 * connections (a browser, a gateway), not one new connection per submission. Without a bound, an open loop
 * opens thousands of connections and times out in the listen backlog, which measures the client, not the app.
 */
const CLIENT_SOCKETS = 64;

/** The one HTTP client of every bench phase that calls an app: node:http over a bounded keep-alive pool. */
export class BenchClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: CLIENT_SOCKETS });

  constructor(private readonly baseUrl: string) {}

  /** POSTs a JSON body; resolves with the JSON answer, rejects unless the answer is 201. */
  async post(path: string, token: string, body: object): Promise<Record<string, unknown>> {
    const payload = JSON.stringify(body);
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: token };
    return JSON.parse(await this.send('POST', path, headers, payload, 201)) as Record<string, unknown>;
  }

  /** GETs a route and reads the whole answer; rejects unless the answer is 200. */
  async get(path: string, token: string): Promise<void> {
    await this.send('GET', path, { authorization: token }, null, 200);
  }

  close(): void {
    this.agent.destroy();
  }

  private send(
    method: string,
    path: string,
    headers: Record<string, string | number>,
    payload: string | null,
    expected: number,
  ): Promise<string> {
    return new Promise((resolve, reject) => {
      const sent = request(`${this.baseUrl}${path}`, { method, agent: this.agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== expected) reject(new Error(`${method} ${path} answered ${response.statusCode}: ${text}`));
          else resolve(text);
        });
      });
      sent.on('error', reject);
      sent.end(payload ?? undefined);
    });
  }
}
