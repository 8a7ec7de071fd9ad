import { AUTH_MIGRATIONS } from '@trialstream/auth';
import { openDatabase } from '@trialstream/database';
import type { DataSource } from 'typeorm';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/trialstream';

/** The schemas the admin commands write to; commands touching the event store add its migrations here. */
export const ADMIN_MIGRATIONS = [...AUTH_MIGRATIONS];

export function databaseUrl(env: NodeJS.ProcessEnv): string {
  return env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
}

export async function openAdminDatabase(url: string): Promise<DataSource> {
  try {
    return await openDatabase({ url, migrations: ADMIN_MIGRATIONS, poolSize: 1, applicationName: 'trialstream-admin' });
  } catch (error) {
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
