import { AUTH_MIGRATIONS, NewUser } from '@trialstream/auth';
import { openDatabase } from '@trialstream/database';
import { createTestDatabase, TestDatabase } from '@trialstream/testing';
import { DataSource } from 'typeorm';

export interface AuthTestDatabase {
  database: TestDatabase;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** A throwaway database with the auth schema migrated in. */
export async function openAuthTestDatabase(): Promise<AuthTestDatabase> {
  const database = await createTestDatabase('auth');
  const dataSource = await openDatabase({ url: database.url, migrations: AUTH_MIGRATIONS, poolSize: 2 });
  return {
    database,
    dataSource,
    async close() {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

let counter = 0;

/** A valid user request; a site-bound role gets a site unless told otherwise. */
export function aNewUser(overrides: Partial<NewUser> = {}): NewUser {
  const role = overrides.role ?? 'site_coordinator';
  const siteIds = role === 'site_coordinator' || role === 'monitor' ? ['S01'] : [];
  return { name: `user ${++counter}`, role, siteIds, ...overrides };
}
