import { loadConfig } from '@trialstream/config';
import { openDatabase, startEmbeddedPostgres } from '@trialstream/database';
import type { DataSource } from 'typeorm';
import { PLATFORM_MIGRATIONS } from '../../platform/src/migrations';

/** The admin commands open the platform's database like any app: fully migrated. */
export const ADMIN_MIGRATIONS = PLATFORM_MIGRATIONS;

export interface AdminDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded database in DATA_DIR (./data), the one `npm start` uses.
 * The embedded database admits one process at a time: stop `npm start` first, or use the HTTP API.
 */
export async function openAdminDatabase(env: NodeJS.ProcessEnv): Promise<AdminDatabase> {
  const config = loadConfig(env);
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: config.dataDir });
  const url = config.databaseUrl ?? embedded!.url;
  try {
    const dataSource = await openDatabase({ url, migrations: ADMIN_MIGRATIONS, poolSize: 1, applicationName: 'trialstream-admin' });
    return {
      dataSource,
      async close() {
        await dataSource.destroy();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw new Error(`could not open the database at ${withoutPassword(url)} (set DATABASE_URL): ${(error as Error).message}`);
  }
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
