import type { ChildProcess } from 'node:child_process';
import type { Role } from '@trialstream/domain';
import { buildOnce } from '../test/support/compiled';
import { createTestDatabase } from '../test/support/database';
import { listeningUrl } from '../test/support/app-process';
import { spawnBenchNode, START_TIMEOUT_MS, stopChild, userTokenOn } from './app-process';
import { releaseOnInterrupt } from './interrupt-cleanup';

/** How events reach the registry: through the relay and Kafka, or in-process from the store. */
export type DeliveryMode = 'kafka' | 'in_process';

export interface BenchApp {
  /** Base URL of the listening HTTP server. */
  url: string;
  databaseUrl: string;
  /** A new user's Authorization header value. */
  token(role: Role, siteIds?: string[]): Promise<string>;
  close(): Promise<void>;
}

/** The processes of each mode, by the parts each runs; the first one serves the HTTP API the phase posts to. */
const PROCESSES: Record<DeliveryMode, string[]> = {
  // As the distributed deployment runs them (docker-compose.yml: ingest, relay, monitoring): word of commits reaches
  // the relay through PostgreSQL's LISTEN/NOTIFY, events reach the registry through Kafka.
  kafka: ['ingest', 'relay', 'registry'],
  // As `npm start` runs them: one process, commits signalled in-process, the registry fed from the store.
  in_process: ['ingest,registry'],
};

/**
 * The platform's parts on this path (ingest, registry projection and query API, plus the relay in Kafka mode;
 * `bench/latency-app.js`) as processes of their own, the first listening on a free port, on a fresh database with
 * the server's real clock: the load generator and the servers do not share an event loop, as they do not in use.
 * Run compiled from dist/, as `npm start` runs (built first if a source changed).
 */
export async function startBenchApp(
  mode: DeliveryMode,
  kafka: { brokers: string[]; topic: string; partitions: number },
): Promise<BenchApp> {
  buildOnce();
  const database = await createTestDatabase('bench_app');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    DB_POOL_SIZE: '20',
    LOG_LEVEL: 'log',
    PORT: '0',
    HOST: '127.0.0.1',
    KAFKA_TOPIC: kafka.topic,
    KAFKA_PARTITIONS: String(kafka.partitions),
    NODE_ENV: 'production',
  };
  if (mode === 'kafka') env.KAFKA_BROKERS = kafka.brokers.join(',');
  else delete env.KAFKA_BROKERS;
  const children: ChildProcess[] = [];
  const cleanUp = async () => {
    // The readers first, ingest last; a copy, since an interrupt may clean up after close() did.
    for (const child of [...children].reverse()) await stopChild(child);
    await database.drop();
  };
  const forget = releaseOnInterrupt(cleanUp);
  try {
    const urls: string[] = [];
    // One after the other: each process migrates its own schemas, the first the event store's.
    for (const parts of PROCESSES[mode]) {
      const child = spawnBenchNode('bench/latency-app.js', { ...env, BENCH_LATENCY_PARTS: parts });
      children.push(child);
      urls.push((await listeningUrl(child, `latency app (${mode}: ${parts})`, START_TIMEOUT_MS)).url);
    }
    let created = 0;
    return {
      url: urls[0],
      databaseUrl: database.url,
      token: (role, siteIds = []) => userTokenOn(database.url, `bench ${role} ${++created}`, role, siteIds),
      async close() {
        await cleanUp();
        forget();
      },
    };
  } catch (error) {
    await cleanUp();
    forget();
    throw error;
  }
}
