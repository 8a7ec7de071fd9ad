import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { Projection } from './projection';
import { builtVersion, createProjectionSchema, dropProjectionSchema } from './schema-admin';

/**
 * TypeORM orders migrations by the 13-digit timestamp ending their names. Read-model schemas depend on
 * nothing but themselves, so one fixed instant (after the event store's and the auth schema's) plus
 * the projection's version does.
 */
const PROJECTION_MIGRATION_EPOCH = 1_780_000_000_000;

const pascal = (name: string): string =>
  name
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

const migrations = new WeakMap<Projection, new () => MigrationInterface>();

/**
 * The migration that creates the projection's live schema from its table specs; an app adds it to
 * its migration list (`[...EVENT_STORE_MIGRATIONS, projectionMigration(REGISTRY_PROJECTION)]`).
 *
 * Raising the projection's version adds a new migration, which drops the old read model and creates
 * an empty one: embedded mode catches it up from the store by itself; in distributed mode run
 * `npm run rebuild -- <name>` (a schema a rebuild already built at this version is left alone).
 * The same projection always yields the same class, so apps composed into one process can share it.
 */
export function projectionMigration(projection: Projection): new () => MigrationInterface {
  const existing = migrations.get(projection);
  if (existing) return existing;
  const name = `Projection${pascal(projection.name)}V${projection.version}${PROJECTION_MIGRATION_EPOCH + projection.version}`;
  const migration = class implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      if ((await builtVersion(queryRunner, projection.schema)) === projection.version) return;
      await dropProjectionSchema(queryRunner, projection.schema);
      await createProjectionSchema(queryRunner, projection);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await dropProjectionSchema(queryRunner, projection.schema);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  migrations.set(projection, migration);
  return migration;
}
