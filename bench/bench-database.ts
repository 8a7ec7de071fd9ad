import { openDatabase } from '@trialstream/database';
import { upcastStoredEvent } from '@trialstream/domain';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@trialstream/event-store';
import { projectionMigration, REGISTRY_PROJECTION } from '@trialstream/projections';
import type { DataSource } from 'typeorm';
import { RELAY_MIGRATIONS } from '../apps/relay/src/migrations';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { releaseOnInterrupt } from './interrupt-cleanup';

/** The store, relay and registry schemas only: what the throughput phases touch, nothing that other apps add. */
const BENCH_MIGRATIONS = [...EVENT_STORE_MIGRATIONS, ...RELAY_MIGRATIONS, projectionMigration(REGISTRY_PROJECTION)];

export interface BenchDatabase {
  database: TestDatabase;
  dataSource: DataSource;
  /** Configured as the platform configures its own (upcaster, default group commit). */
  store: PostgresEventStore;
  serverVersion: string;
  close(): Promise<void>;
}

/** A fresh database for this run, migrated; `close` drops it. */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  const database = await createTestDatabase('bench');
  const forget = releaseOnInterrupt(() => database.drop());
  try {
    const dataSource = await openDatabase({
      url: database.url,
      migrations: BENCH_MIGRATIONS,
      poolSize: 10,
      applicationName: 'trialstream-bench',
    });
    const [{ server_version: serverVersion }] = await dataSource.query(`SHOW server_version`);
    return {
      database,
      dataSource,
      store: new PostgresEventStore(dataSource, { upcast: upcastStoredEvent }),
      serverVersion,
      async close() {
        await dataSource.destroy();
        await database.drop();
        forget();
      },
    };
  } catch (error) {
    await database.drop();
    forget();
    throw error;
  }
}
