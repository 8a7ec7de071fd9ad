import type { DataSource, QueryRunner } from 'typeorm';

/** Either the pool (outside a transaction) or the one connection holding the batch's transaction. */
export type Queryable = DataSource | QueryRunner;

/** Rows of any statement, whichever TypeORM object runs it. */
export async function queryRows<TRow>(db: Queryable, sql: string, parameters: unknown[] = []): Promise<TRow[]> {
  if ('createQueryRunner' in db) return db.query<TRow[]>(sql, parameters);
  const result = await db.query(sql, parameters, true);
  return (result.records ?? []) as TRow[];
}

/**
 * Runs `work` in a transaction on one connection. Everything inside must go through the given
 * runner: the embedded database has a single session, so awaiting another pooled query while this
 * transaction is open would wait forever.
 */
export async function inTransaction<T>(dataSource: DataSource, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    try {
      const result = await work(runner);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  } finally {
    await runner.release();
  }
}

/** Advisory locks of this class serialize writers of one projection schema (batches, swaps, verify). */
const PROJECTION_LOCK_CLASS = 7_301;

/** Held until the transaction ends; every batch and the rebuild's swap of `schema` take it first. */
export async function lockProjectionSchema(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`SELECT pg_advisory_xact_lock(${PROJECTION_LOCK_CLASS}, hashtext($1))`, [schema]);
}
