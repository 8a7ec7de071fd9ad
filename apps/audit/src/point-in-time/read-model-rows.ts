import type { Projection, Row } from '@trialstream/projections';
import type { DataSource } from 'typeorm';

export interface TableRows {
  table: string;
  /** Rows in the table. */
  total: number;
  /** The requested slice, ordered by primary key; values as PostgreSQL's JSON renders them. */
  rows: Row[];
}

export interface RowsRequest {
  /** One table of the projection; all of them when omitted. */
  table?: string;
  limit: number;
  offset: number;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export class UnknownTableError extends Error {
  constructor(
    readonly projection: string,
    readonly table: string,
  ) {
    super(`projection ${projection} has no table "${table}"`);
    this.name = 'UnknownTableError';
  }
}

/**
 * The read model's rows in `schema` (the live one or a replay's scratch schema), table by table.
 * Rows come as jsonb so that dates, instants and big numbers look the same whichever schema they are read from.
 */
export async function readModelRows(
  dataSource: DataSource,
  projection: Projection,
  schema: string,
  request: RowsRequest,
): Promise<TableRows[]> {
  if (request.table !== undefined && !projection.resolvedTables.has(request.table))
    throw new UnknownTableError(projection.name, request.table);
  const tables = [...projection.resolvedTables.values()].filter((table) => request.table === undefined || table.name === request.table);
  const result: TableRows[] = [];
  for (const table of tables) {
    const from = `${quote(schema)}.${quote(table.name)}`;
    const order = table.primaryKey.map((column) => `t.${quote(column.name)}`).join(', ');
    const [{ total }]: Array<{ total: number }> = await dataSource.query(`SELECT count(*)::int AS total FROM ${from}`);
    const rows: Array<{ row: Row }> = await dataSource.query(
      `SELECT to_jsonb(t) AS row FROM ${from} t ORDER BY ${order} LIMIT $1 OFFSET $2`,
      [request.limit, request.offset],
    );
    result.push({ table: table.name, total, rows: rows.map((row) => row.row) });
  }
  return result;
}
