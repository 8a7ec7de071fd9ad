import type { QueryRunner } from 'typeorm';
import { queryRows } from './database';
import { RowReadError } from './errors';
import { tableOf, type PartitionRef, type Projection, type RowAccess, type RowRef } from './projection';
import { qualified, quoteIdent } from './sql-identifiers';
import type { BatchCarry } from './carried-states';
import { entryOf } from './map-entry';
import { WriteStatement } from './write-statement';
import {
  SQL_TYPES,
  RowShapeError,
  keyText,
  keyValues,
  normalizeValue,
  rowOfStored,
  storedRow,
  type KeyInput,
  type ResolvedColumn,
  type ResolvedTable,
  type Row,
  type StoredRow,
} from './table-spec';

interface CachedRow {
  /** The primary key's values, in canonical form. */
  key: unknown[];
  /** null: known to be absent (never existed, or deleted in this batch). */
  row: StoredRow | null;
  dirty: boolean;
}

/**
 * A row's key in the batch's maps. A table's key columns always hold values of the same types, so a
 * lone text key can stand for itself (the common case, spared a JSON text per access).
 */
const cacheKey = (values: readonly unknown[]): string =>
  values.length === 1 && typeof values[0] === 'string' ? values[0] : keyText(values);

/** Rows per upsert or delete clause: one array parameter per column, so only the statement's size limits it. */
const ROWS_PER_STATEMENT = 5000;

/** Read-back expressions that give every type the form of a stored row (jsonb as its text, parsed only when a handler gets it). */
function selectExpression(column: ResolvedColumn): string {
  const name = quoteIdent(column.name);
  return column.type === 'date' || column.type === 'bigint' || column.type === 'jsonb' ? `${name}::text AS ${name}` : name;
}

/** Array parameters carry jsonb as text (a stored row's already), which PostgreSQL casts element by element. */
function parameterValue(column: ResolvedColumn, value: unknown): unknown {
  if (value === null) return null;
  return column.type === 'jsonb' && typeof value !== 'string' ? JSON.stringify(value) : value;
}

const arrayType = (column: ResolvedColumn): string => `${SQL_TYPES[column.type]}[]`;

function unnestOf(columns: readonly ResolvedColumn[]): string {
  return `unnest(${columns.map((column, index) => `$${index + 1}::${arrayType(column)}`).join(', ')})`;
}

/**
 * The batch's view of the read model: reads go to PostgreSQL once per row (or once per table with
 * `prefetch`), writes stay in memory until `flush` writes each table with one multi-row upsert and one
 * delete, inside the batch's transaction.
 */
export class BatchRowCache implements RowAccess {
  private readonly tables = new Map<string, Map<string, CachedRow>>();
  /** Per table, the keys of its cached rows by partition (first key column), for `list`. */
  private readonly partitionKeys = new Map<string, Map<string, Set<string>>>();
  /** Per table, the partitions read whole from PostgreSQL in this batch. */
  private readonly loadedPartitions = new Map<string, Set<string>>();

  constructor(
    private readonly projection: Projection,
    private readonly schema: string,
    private readonly runner: QueryRunner,
    private readonly carries: BatchCarry,
  ) {}

  carried(streamId: string): unknown {
    return this.carries.get(streamId);
  }

  carry(streamId: string, value: unknown): void {
    this.carries.keep(streamId, value);
  }

  forgetCarried(): void {
    this.carries.forgetAll();
  }

  async prefetch(refs: ReadonlyArray<RowRef | PartitionRef>): Promise<void> {
    const wanted = new Map<string, Map<string, unknown[]>>();
    const partitions = new Map<string, Map<string, unknown>>();
    for (const ref of refs) {
      if ('partition' in ref) {
        const table = tableOf(this.projection, ref.table);
        const value = normalizeValue(table.name, table.primaryKey[0], ref.partition);
        if (this.loadedPartitions.get(table.name)?.has(keyText([value]))) continue;
        entryOf(partitions, table.name, () => new Map<string, unknown>()).set(keyText([value]), value);
        continue;
      }
      const table = tableOf(this.projection, ref.table);
      const values = keyValues(table, ref.key);
      const text = cacheKey(values);
      if (this.cached(table.name).has(text)) continue;
      entryOf(wanted, table.name, () => new Map<string, unknown[]>()).set(text, values);
    }
    for (const [name, keys] of wanted) await this.load(tableOf(this.projection, name), [...keys.values()]);
    for (const [name, values] of partitions) await this.loadPartitions(tableOf(this.projection, name), [...values.values()]);
  }

  async list(tableName: string, partition: string | number): Promise<Row[]> {
    const table = tableOf(this.projection, tableName);
    const value = normalizeValue(table.name, table.primaryKey[0], partition);
    const text = keyText([value]);
    if (!this.loadedPartitions.get(table.name)?.has(text)) await this.loadPartitions(table, [value]);
    const rows = this.cached(table.name);
    return [...(this.partitionKeys.get(table.name)?.get(text) ?? [])].flatMap((key) => {
      const row = rows.get(key)?.row;
      return row ? [rowOfStored(table, row)] : [];
    });
  }

  async get(tableName: string, key: KeyInput): Promise<Row | undefined> {
    const table = tableOf(this.projection, tableName);
    const values = keyValues(table, key);
    const text = cacheKey(values);
    if (!this.cached(table.name).has(text)) await this.load(table, [values]);
    const row = this.cached(table.name).get(text)?.row;
    return row ? rowOfStored(table, row) : undefined;
  }

  put(tableName: string, row: object): void {
    const table = tableOf(this.projection, tableName);
    const stored = storedRow(table, row as Row);
    const values = table.primaryKey.map((column) => stored[column.name]);
    this.cache(table, { key: values, row: stored, dirty: true });
  }

  async patch(tableName: string, key: KeyInput, changes: object): Promise<Row> {
    const table = tableOf(this.projection, tableName);
    const current = await this.get(tableName, key);
    if (!current) throw new RowShapeError(`${table.name} has no row ${keyText(keyValues(table, key))} to patch`);
    for (const column of table.primaryKey) {
      const changed = (changes as Row)[column.name];
      if (column.name in changes && keyText([changed]) !== keyText([current[column.name]])) {
        throw new RowShapeError(`patch cannot change the primary key column ${table.name}.${column.name}`);
      }
    }
    this.put(tableName, { ...current, ...changes });
    return (await this.get(tableName, key))!;
  }

  delete(tableName: string, key: KeyInput): void {
    const table = tableOf(this.projection, tableName);
    this.cache(table, { key: keyValues(table, key), row: null, dirty: true });
  }

  /** Writes every changed row; the caller commits it together with the bookkeeping. */
  async flush(): Promise<void> {
    const write = new WriteStatement();
    this.addWrites(write);
    await write.run(this.runner);
  }

  /** Adds every changed row to `write`: per table one multi-row upsert and one delete (chunked when large). */
  addWrites(write: WriteStatement): void {
    for (const [name, rows] of this.tables) {
      const table = tableOf(this.projection, name);
      const upserts: Row[] = [];
      const deletes: unknown[][] = [];
      for (const cached of rows.values()) {
        if (!cached.dirty) continue;
        if (cached.row) upserts.push(cached.row);
        else deletes.push(cached.key);
      }
      for (let start = 0; start < deletes.length; start += ROWS_PER_STATEMENT) {
        write.add(this.deleteRows(write, table, deletes.slice(start, start + ROWS_PER_STATEMENT)));
      }
      for (let start = 0; start < upserts.length; start += ROWS_PER_STATEMENT) {
        write.add(this.upsertRows(write, table, upserts.slice(start, start + ROWS_PER_STATEMENT)));
      }
    }
  }

  /** Caches a row (or its absence) under its key, and its key under its partition. */
  private cache(table: ResolvedTable, cached: CachedRow): void {
    const key = cacheKey(cached.key);
    const rows = this.cached(table.name);
    const known = rows.has(key);
    rows.set(key, cached);
    // A key cached before is in its partition already (most puts replace a row the batch read or put).
    if (known) return;
    const byPartition = entryOf(this.partitionKeys, table.name, () => new Map<string, Set<string>>());
    entryOf(byPartition, keyText([cached.key[0]]), () => new Set<string>()).add(key);
  }

  private cached(table: string): Map<string, CachedRow> {
    return entryOf(this.tables, table, () => new Map<string, CachedRow>());
  }

  private async load(table: ResolvedTable, keys: unknown[][]): Promise<void> {
    const parameters = table.primaryKey.map((column, index) => keys.map((values) => parameterValue(column, values[index])));
    const pk = table.primaryKey.map((column) => quoteIdent(column.name)).join(', ');
    let found: Row[];
    try {
      found = await queryRows<Row>(
        this.runner,
        `SELECT ${table.columns.map(selectExpression).join(', ')} FROM ${qualified(this.schema, table.name)}
          WHERE (${pk}) IN (SELECT * FROM ${unnestOf(table.primaryKey)})`,
        parameters,
      );
    } catch (error) {
      throw new RowReadError(error);
    }
    for (const values of keys) this.cache(table, { key: values, row: null, dirty: false });
    for (const stored of found) {
      const row = storedRow(table, stored, true);
      this.cache(table, { key: table.primaryKey.map((column) => row[column.name]), row, dirty: false });
    }
  }

  /** Reads whole partitions; rows the batch already holds keep the batch's version. */
  private async loadPartitions(table: ResolvedTable, partitions: unknown[]): Promise<void> {
    const first = table.primaryKey[0];
    let found: Row[];
    try {
      found = await queryRows<Row>(
        this.runner,
        `SELECT ${table.columns.map(selectExpression).join(', ')} FROM ${qualified(this.schema, table.name)}
          WHERE ${quoteIdent(first.name)} = ANY($1::${arrayType(first)})`,
        [partitions.map((value) => parameterValue(first, value))],
      );
    } catch (error) {
      throw new RowReadError(error);
    }
    const rows = this.cached(table.name);
    for (const stored of found) {
      const row = storedRow(table, stored, true);
      const values = table.primaryKey.map((column) => row[column.name]);
      if (!rows.has(cacheKey(values))) this.cache(table, { key: values, row, dirty: false });
    }
    const loaded = entryOf(this.loadedPartitions, table.name, () => new Set<string>());
    for (const value of partitions) loaded.add(keyText([value]));
  }

  private upsertRows(write: WriteStatement, table: ResolvedTable, rows: Row[]): string {
    const columns = table.columns.map((column) => quoteIdent(column.name)).join(', ');
    const pk = table.primaryKey.map((column) => quoteIdent(column.name)).join(', ');
    const others = table.columns.filter((column) => !table.primaryKey.includes(column));
    const onConflict =
      others.length === 0
        ? 'DO NOTHING'
        : `DO UPDATE SET ${others.map((column) => `${quoteIdent(column.name)} = EXCLUDED.${quoteIdent(column.name)}`).join(', ')}`;
    const values = table.columns.map((column) =>
      write.parameter(
        rows.map((row) => parameterValue(column, row[column.name])),
        arrayType(column),
      ),
    );
    return `INSERT INTO ${qualified(this.schema, table.name)} (${columns}) SELECT * FROM unnest(${values.join(', ')})
       ON CONFLICT (${pk}) ${onConflict}`;
  }

  private deleteRows(write: WriteStatement, table: ResolvedTable, keys: unknown[][]): string {
    const pk = table.primaryKey.map((column) => quoteIdent(column.name)).join(', ');
    const values = table.primaryKey.map((column, index) =>
      write.parameter(
        keys.map((key) => parameterValue(column, key[index])),
        arrayType(column),
      ),
    );
    return `DELETE FROM ${qualified(this.schema, table.name)} WHERE (${pk}) IN (SELECT * FROM unnest(${values.join(', ')}))`;
  }
}
