import { DataSource, MixedList } from 'typeorm';

export interface DatabaseOptions {
  url: string;
  /** TypeORM migration classes; each library exports its own list and the app composes them. */
  migrations: MixedList<Function>;
  poolSize?: number;
  applicationName?: string;
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
      application_name: options.applicationName ?? 'trialstream',
    },
  });
}

/** Opens the data source and applies pending migrations, each in its own transaction. */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
