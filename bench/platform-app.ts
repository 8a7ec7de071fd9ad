import { UserDirectory } from '@trialstream/auth';
import { loadConfig } from '@trialstream/config';
import type { Role } from '@trialstream/domain';
import { DATA_SOURCE } from '@trialstream/database';
import { REGISTRY_PROJECTION } from '@trialstream/projections';
import { ShutdownSignal, type INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { IngestModule } from '../apps/ingest/src/ingest.module';
import { RegistryModule } from '../apps/monitoring/src/registry/registry.module';
import { bootstrapApp } from '../apps/platform/src/bootstrap';
import { ProjectionsModule } from '../apps/platform/src/projections.module';
import { RelayModule } from '../apps/relay/src/relay.module';
import { createTestDatabase } from '../test/support/database';
import { releaseOnInterrupt } from './interrupt-cleanup';

/** How events reach the registry: through the relay and Kafka, or in-process from the store. */
export type DeliveryMode = 'kafka' | 'in_process';

export interface BenchApp {
  /** Base URL of the listening HTTP server. */
  url: string;
  databaseUrl: string;
  dataSource: DataSource;
  /** A new user's Authorization header value. */
  token(role: Role, siteIds?: string[]): Promise<string>;
  close(): Promise<void>;
}

/**
 * The platform as `npm start` composes it for this path (ingest, registry projection and query API, plus the relay
 * in Kafka mode), listening on a free port, on a fresh database with the server's real clock.
 */
export async function startBenchApp(
  mode: DeliveryMode,
  kafka: { brokers: string[]; topic: string; partitions: number },
): Promise<BenchApp> {
  const database = await createTestDatabase('bench_app');
  const config = {
    ...loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'error', PORT: '0', HOST: '127.0.0.1' }),
    dbPoolSize: 20,
    kafkaBrokers: mode === 'kafka' ? kafka.brokers : null,
    kafkaTopic: kafka.topic,
    kafkaPartitions: kafka.partitions,
  };
  const signalListeners = listenersOfShutdownSignals();
  const starting = bootstrapApp({
    name: `bench-${mode}`,
    config,
    features: [
      IngestModule,
      ...(mode === 'kafka' ? [RelayModule.forRoot()] : []),
      ProjectionsModule.forRoot([REGISTRY_PROJECTION]),
      RegistryModule,
    ],
  });
  // Interrupted while starting, the app must finish starting first: dropping its database under its migrations
  // makes Nest exit the process before the rest of the cleanup ran.
  const forget = releaseOnInterrupt(async () => {
    await starting.then(({ app }) => app.close()).catch(() => undefined);
    await database.drop();
  });
  let app: INestApplication | undefined;
  try {
    const started = await starting;
    app = started.app;
    // The benchmark closes its apps itself, also when interrupted (see interrupt-cleanup.ts): Nest's own signal
    // handling would close the app concurrently and then end the process before the run's cleanup has finished.
    detachListenersAddedSince(signalListeners);
    const directory = app.get(UserDirectory);
    let users = 0;
    return {
      url: started.url,
      databaseUrl: database.url,
      dataSource: app.get<DataSource>(DATA_SOURCE),
      async token(role, siteIds = []) {
        const { token } = await directory.createUser({ name: `bench ${role} ${++users}`, role, siteIds });
        return `Bearer ${token}`;
      },
      async close() {
        try {
          await app!.close();
        } finally {
          await database.drop();
          forget();
        }
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await database.drop();
    forget();
    throw error;
  }
}

type SignalListeners = Map<NodeJS.Signals, Set<(...args: unknown[]) => void>>;

function listenersOfShutdownSignals(): SignalListeners {
  const signals = Object.values(ShutdownSignal) as NodeJS.Signals[];
  return new Map(signals.map((signal) => [signal, new Set(process.listeners(signal) as Array<(...args: unknown[]) => void>)]));
}

function detachListenersAddedSince(before: SignalListeners): void {
  for (const [signal, earlier] of before) {
    for (const listener of process.listeners(signal)) {
      if (!earlier.has(listener as (...args: unknown[]) => void)) process.removeListener(signal, listener);
    }
  }
}
