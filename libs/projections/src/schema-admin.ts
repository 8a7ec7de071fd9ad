import type { DataSource, QueryRunner } from 'typeorm';
import { CHECKPOINT_TABLE, dropSchemaSql, projectionSchemaDdl } from './ddl';
import { inTransaction, queryRows, type Queryable } from './database';
import type { Projection } from './projection';
import { qualified } from './sql-identifiers';

/** Creates the projection's tables and bookkeeping, empty, under `schema` (which must not exist). */
export async function createProjectionSchema(
  db: DataSource | QueryRunner,
  projection: Projection,
  schema: string = projection.schema,
): Promise<void> {
  const statements = projectionSchemaDdl(projection, schema);
  if ('createQueryRunner' in db) {
    await inTransaction(db, async (runner) => {
      for (const statement of statements) await runner.query(statement);
    });
  } else {
    for (const statement of statements) await db.query(statement);
  }
}

export async function dropProjectionSchema(db: Queryable, schema: string): Promise<void> {
  await db.query(dropSchemaSql(schema));
}

export async function schemaExists(db: Queryable, schema: string): Promise<boolean> {
  const rows = await queryRows<{ found: boolean }>(db, `SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1) AS found`, [schema]);
  return rows[0].found;
}

/** The projection version whose tables `schema` holds, or null when it holds none of ours. */
export async function builtVersion(db: Queryable, schema: string): Promise<number | null> {
  const rows = await queryRows<{ checkpoint: string | null }>(db, `SELECT to_regclass($1)::text AS checkpoint`, [
    qualified(schema, CHECKPOINT_TABLE),
  ]);
  if (!rows[0].checkpoint) return null;
  const versions = await queryRows<{ projection_version: number }>(
    db,
    `SELECT projection_version FROM ${qualified(schema, CHECKPOINT_TABLE)}`,
  );
  return versions[0]?.projection_version ?? null;
}
