import type { ClientBase, QueryResultRow } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';

/** Rows of any statement (SELECT, INSERT ... RETURNING, UPDATE), whichever TypeORM object runs it. */
export async function rowsOf<TRow>(runner: DataSource | QueryRunner, sql: string, parameters: unknown[] = []): Promise<TRow[]> {
  if ('createQueryRunner' in runner) return runner.query<TRow[]>(sql, parameters);
  const result = await runner.query(sql, parameters, true);
  return (result.records ?? []) as TRow[];
}

/** A statement PostgreSQL parses and plans once per connection instead of once per call; its name stands for its text. */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

export const namedStatement = (name: string, text: string): NamedStatement => ({ name, text });

/** Rows of a named statement, run on the runner's own connection (inside its transaction, if one is open). */
export async function rowsOfNamed<TRow extends QueryResultRow>(
  runner: QueryRunner,
  statement: NamedStatement,
  values: unknown[],
): Promise<TRow[]> {
  const client = (await runner.connect()) as ClientBase;
  const result = await client.query<TRow>({ name: statement.name, text: statement.text, values });
  return result.rows;
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
