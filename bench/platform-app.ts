import { spawn } from 'node:child_process';
import type { Role } from '@trialstream/domain';
import { REPO_ROOT } from '../test/support/compiled';
import { createTestDatabase } from '../test/support/database';
import { listeningUrl } from '../test/support/app-process';
import { benchAppNodeArgs, START_TIMEOUT_MS, stopChild, userTokenOn } from './app-process';
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

/**
 * The platform as `npm start` composes it for this path (ingest, registry projection and query API, plus the relay
 * in Kafka mode; `bench/latency-app.ts`) as a process of its own, listening on a free port, on a fresh database
 * with the server's real clock: the load generator and the server do not share an event loop, as they do not in
 * use. Run from source (ts-node), as the benchmark is.
 */
export async function startBenchApp(
  mode: DeliveryMode,
  kafka: { brokers: string[]; topic: string; partitions: number },
): Promise<BenchApp> {
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
  const child = spawn(
    process.execPath,
    [...benchAppNodeArgs(), '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'bench/latency-app.ts'],
    {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const cleanUp = async () => {
    await stopChild(child);
    await database.drop();
  };
  const forget = releaseOnInterrupt(cleanUp);
  try {
    const { url } = await listeningUrl(child, `latency app (${mode})`, START_TIMEOUT_MS);
    let created = 0;
    return {
      url,
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
