import { describeError, loadConfig } from '@trialstream/config';
import { openDatabase, startEmbeddedPostgres, type EmbeddedPostgres } from '@trialstream/database';
import { upcastStoredEvent } from '@trialstream/domain';
import { PostgresEventStore } from '@trialstream/event-store';
import { Projection } from '@trialstream/projections';
import type { DataSource } from 'typeorm';
import { PLATFORM_MIGRATIONS, PLATFORM_PROJECTIONS } from './migrations';

export interface PlatformDatabase {
  dataSource: DataSource;
  store: PostgresEventStore;
  /** Where it is, for messages: the URL without password, or the embedded data directory. */
  description: string;
  close(): Promise<void>;
}

/**
 * The platform's database as the command-line tools open it: DATABASE_URL, or else the embedded
 * PostgreSQL of DATA_DIR: the server `npm start` runs if it is running (shared, as any server is), or
 * one started for this command and stopped when it closes. Fully migrated.
 */
export async function openPlatformDatabase(env: NodeJS.ProcessEnv, applicationName: string): Promise<PlatformDatabase> {
  const config = loadConfig(env);
  let embedded: EmbeddedPostgres | undefined;
  const url = config.databaseUrl ?? (embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, whenRunning: 'connect' })).url;
  try {
    const dataSource = await openDatabase({
      url,
      migrations: PLATFORM_MIGRATIONS,
      poolSize: Math.min(config.dbPoolSize, 4),
      applicationName,
    });
    return {
      dataSource,
      store: new PostgresEventStore(dataSource, { upcast: upcastStoredEvent }),
      description: embedded ? `the embedded database in ${config.dataDir}` : withoutPassword(url),
      async close() {
        await dataSource.destroy();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw new Error(
      `could not open ${embedded ? `the embedded database in ${config.dataDir}` : withoutPassword(url)}: ${describeError(error)}`,
    );
  }
}

export function findProjection(name: string): Projection | undefined {
  return PLATFORM_PROJECTIONS.find((projection) => projection.name === name);
}

/** Projections named on a command line (all when none), and the names that are none. */
export function projectionsNamed(names: string[]): { projections: Projection[]; unknown: string[] } {
  if (names.length === 0) return { projections: [...PLATFORM_PROJECTIONS], unknown: [] };
  const unknown = names.filter((name) => !findProjection(name));
  return { projections: names.map(findProjection).filter((p): p is Projection => p !== undefined), unknown };
}

export const knownProjections = (): string => PLATFORM_PROJECTIONS.map((projection) => projection.name).join(', ');

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
