import type { DataSource, QueryRunner } from 'typeorm';

/** Rows of any statement (SELECT, INSERT ... RETURNING, UPDATE), whichever TypeORM object runs it. */
export async function rowsOf<TRow>(runner: DataSource | QueryRunner, sql: string, parameters: unknown[] = []): Promise<TRow[]> {
  if ('createQueryRunner' in runner) return runner.query<TRow[]>(sql, parameters);
  const result = await runner.query(sql, parameters, true);
  return (result.records ?? []) as TRow[];
}

/** Runs `work` in one read-only snapshot, so appends meanwhile can neither appear half nor look like tampering. */
export async function inReadOnlySnapshot<T>(dataSource: DataSource, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.startTransaction('REPEATABLE READ');
    await runner.query('SET TRANSACTION READ ONLY');
    const result = await work(runner);
    await runner.commitTransaction();
    return result;
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    await runner.release();
  }
}
