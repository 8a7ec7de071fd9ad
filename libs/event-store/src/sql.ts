import type { ClientBase, QueryResult, QueryResultRow } from 'pg';
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

/** A statement of a round trip: plain text without parameters (BEGIN, COMMIT), or a named statement and its values. */
export type RoundTripStatement = string | { statement: NamedStatement; values: unknown[] };

/**
 * The rows of each statement, all sent back to back before any answer is awaited: one round trip instead
 * of one per statement. PostgreSQL still runs them one after another, each as if sent alone: after one
 * fails, the others of an open transaction fail too, and a COMMIT behind it rolls back. Throws the first
 * failure. The connection is pipelined only while these statements are in flight: it is idle before
 * (nothing else may use a runner's connection meanwhile) and after, as if they had been sent one by one.
 */
export async function inOneRoundTrip(runner: QueryRunner, statements: readonly RoundTripStatement[]): Promise<unknown[][]> {
  const client = (await runner.connect()) as Omit<ClientBase, 'pipeline'> & { pipeline: boolean };
  const pipelined = client.pipeline;
  client.pipeline = true;
  let answers: Array<PromiseSettledResult<QueryResult<QueryResultRow>>>;
  try {
    answers = await Promise.allSettled(
      statements.map((sent) =>
        typeof sent === 'string'
          ? client.query(sent)
          : client.query({ name: sent.statement.name, text: sent.statement.text, values: sent.values }),
      ),
    );
  } finally {
    client.pipeline = pipelined;
  }
  const failed = answers.find((answer): answer is PromiseRejectedResult => answer.status === 'rejected');
  if (failed) throw failed.reason;
  return answers.map((answer) => (answer as PromiseFulfilledResult<QueryResult<QueryResultRow>>).value.rows as unknown[]);
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
