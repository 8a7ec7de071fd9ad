import { Client, ClientConfig } from 'pg';
import { DataSource, MixedList } from 'typeorm';

export interface DatabaseOptions {
  url: string;
  /** TypeORM migration classes; each library exports its own list and the app composes them. */
  migrations: MixedList<Function>;
  poolSize?: number;
  applicationName?: string;
}

/**
 * pg-pool listens to a client's errors only while the client is idle, TypeORM only once its query runner holds it,
 * and the pool hands a new client out in the same read of the socket as the server's ReadyForQuery. When the server
 * ends that session in the same read (a shutdown's 57P01 right after the connection was accepted), the client emits
 * 'error' with no listener and the process crashes. Listening from birth keeps the failure where it belongs: the
 * client is no longer queryable, its next statement fails and the pool drops it.
 */
class ClientListeningFromBirth extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}

/** One way to open PostgreSQL: TypeORM over `pg`, schema managed by migrations only (never synchronize). */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    migrations: options.migrations,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    // Errors surface as exceptions to the caller; logging them here too only duplicates expected conflicts.
    logging: false,
    extra: {
      max: options.poolSize ?? 10,
      Client: ClientListeningFromBirth,
      application_name: options.applicationName ?? 'trialstream',
    },
  });
}

/** Opens the data source and applies pending migrations, each in its own transaction. */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  // The migrator holds one connection for its lock while the migrations run on another: a pool of one waits forever.
  if ((options.poolSize ?? 10) < 2) throw new RangeError('openDatabase migrates with two connections: poolSize must be at least 2');
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  await oneMigratorAtATime(dataSource, () => dataSource.runMigrations({ transaction: 'each' }));
  return dataSource;
}

/** Advisory locks of this class serialize migrators (7_301: projection writers, 7_302: relay leadership). */
const MIGRATION_LOCK_CLASS = 7_300;

/**
 * Replicas of a service start together on one database: without this, each would see the same migrations pending
 * and all but one would fail on objects the first one just created. The others wait, then find nothing to do.
 */
async function oneMigratorAtATime<T>(dataSource: DataSource, migrate: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_CLASS}, 0)`);
    try {
      return await migrate();
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_CLASS}, 0)`);
    }
  } finally {
    await runner.release();
  }
}
