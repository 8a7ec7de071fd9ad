import type { DataSource } from 'typeorm';
import { readAllAppliedVersions } from './bookkeeping';
import { inTransaction, lockProjectionSchema, queryRows, type Queryable } from './database';
import { consoleLogger } from './logger';
import type { Projection } from './projection';
import { replayInto, scratchSchemaName, streamsAhead, topUpFromLive, type ReplayOptions } from './replay';
import { createProjectionSchema, dropProjectionSchema, schemaExists } from './schema-admin';
import { qualified, quoteIdent } from './sql-identifiers';
import type { CatchUpSource } from './read-ahead';
import type { ResolvedTable, Row } from './table-spec';

export type RowDifferenceKind =
  /** Both have the row, with different contents. */
  | 'changed'
  /** The rebuild has it, the live model does not. */
  | 'missing-in-live'
  /** The live model has it, the rebuild does not. */
  | 'extra-in-live';

export interface RowDifference {
  /** The primary key columns and values. */
  key: Row;
  kind: RowDifferenceKind;
}

export interface TableComparison {
  table: string;
  liveRows: number;
  rebuiltRows: number;
  differences: RowDifference[];
  /** More differences exist than were listed. */
  truncated: boolean;
}

export interface VerifyReport {
  projection: string;
  schema: string;
  events: number;
  tables: TableComparison[];
  /** True when every table's rows match. */
  identical: boolean;
}

export interface VerifyOptions extends ReplayOptions {
  /** Differences listed per table at most. */
  maxDifferences?: number;
}

const MAX_COMPARE_ATTEMPTS = 20;

/**
 * Rebuilds the projection into a scratch schema from exactly the stream versions the live model has
 * applied (so a live model that is merely behind is not reported), then compares the two row by row
 * under the projection's lock: the md5 of each row's text, matched by primary key. The runtime's own
 * bookkeeping tables are not compared. The scratch schema is dropped afterwards.
 */
export async function verifyProjection(
  projection: Projection,
  store: CatchUpSource,
  dataSource: DataSource,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const logger = options.logger ?? consoleLogger(`verify ${projection.name}`);
  const live = projection.schema;
  if (!(await schemaExists(dataSource, live))) throw new Error(`projection ${projection.name} has no live schema "${live}" to verify`);
  const scratch = scratchSchemaName(live, 'verify');
  await createProjectionSchema(dataSource, projection, scratch);
  try {
    const appliedLive = await readAllAppliedVersions(dataSource, live);
    const totals = await replayInto(projection, store, dataSource, scratch, {
      ...options,
      logger,
      accept: (event) => event.streamVersion <= (appliedLive.get(event.streamId) ?? 0),
    });
    for (let attempt = 1; attempt <= MAX_COMPARE_ATTEMPTS; attempt++) {
      await topUpFromLive(projection, store, dataSource, live, scratch, logger);
      const tables = await inTransaction(dataSource, async (runner) => {
        await lockProjectionSchema(runner, live);
        if ((await streamsAhead(runner, live, scratch)).length > 0) return null;
        const compared: TableComparison[] = [];
        for (const table of projection.resolvedTables.values()) {
          compared.push(await compareTable(runner, table, live, scratch, options.maxDifferences ?? 100));
        }
        return compared;
      });
      if (tables) {
        return {
          projection: projection.name,
          schema: live,
          events: totals.events,
          tables,
          identical: tables.every((table) => table.differences.length === 0),
        };
      }
    }
    throw new Error(`the live ${live} schema kept moving ahead; nothing compared`);
  } finally {
    await dropProjectionSchema(dataSource, scratch);
  }
}

/** Row checksums of one table in both schemas, matched by primary key; only mismatches come back. */
export async function compareTable(
  db: Queryable,
  table: ResolvedTable,
  live: string,
  scratch: string,
  maxDifferences: number,
): Promise<TableComparison> {
  const key = `jsonb_build_object(${table.primaryKey.map((column) => `'${column.name}', t.${quoteIdent(column.name)}`).join(', ')})`;
  const checksum = `md5(ROW(${table.columns.map((column) => `t.${quoteIdent(column.name)}`).join(', ')})::text)`;
  const checksums = (schema: string) => `SELECT ${key} AS key, ${checksum} AS checksum FROM ${qualified(schema, table.name)} t`;
  const rows = await queryRows<{ key: Row; live_checksum: string | null; rebuilt_checksum: string | null }>(
    db,
    `SELECT COALESCE(l.key, r.key) AS key, l.checksum AS live_checksum, r.checksum AS rebuilt_checksum
       FROM (${checksums(live)}) l FULL JOIN (${checksums(scratch)}) r ON l.key = r.key
      WHERE l.checksum IS DISTINCT FROM r.checksum
      ORDER BY 1
      LIMIT $1`,
    [maxDifferences + 1],
  );
  const counts = await queryRows<{ live: number; rebuilt: number }>(
    db,
    `SELECT (SELECT count(*) FROM ${qualified(live, table.name)})::int AS live,
            (SELECT count(*) FROM ${qualified(scratch, table.name)})::int AS rebuilt`,
  );
  return {
    table: table.name,
    liveRows: counts[0].live,
    rebuiltRows: counts[0].rebuilt,
    differences: rows.slice(0, maxDifferences).map((row) => ({
      key: row.key,
      kind: row.live_checksum === null ? 'missing-in-live' : row.rebuilt_checksum === null ? 'extra-in-live' : 'changed',
    })),
    truncated: rows.length > maxDifferences,
  };
}
