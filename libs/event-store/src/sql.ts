import type { DataSource, QueryRunner } from 'typeorm';

/** Rows of any statement (SELECT, INSERT ... RETURNING, UPDATE), whichever TypeORM object runs it. */
export async function rowsOf<TRow>(
  runner: DataSource | QueryRunner,
  sql: string,
  parameters: unknown[] = [],
): Promise<TRow[]> {
  if ('createQueryRunner' in runner) return runner.query<TRow[]>(sql, parameters);
  const result = await runner.query(sql, parameters, true);
  return (result.records ?? []) as TRow[];
}
