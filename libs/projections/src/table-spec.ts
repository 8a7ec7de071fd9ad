import { assertPlainName } from './sql-identifiers';

/**
 * Column types a read model may use. Values reach handlers in one canonical JavaScript form whether a
 * row was written earlier in the same batch or read back from PostgreSQL:
 * text, date (`YYYY-MM-DD`) and timestamptz (ISO 8601 in UTC) as strings; integer, bigint (safe
 * integers) and double as numbers; boolean; jsonb as plain JSON values.
 */
export const COLUMN_TYPES = ['text', 'integer', 'bigint', 'double', 'boolean', 'date', 'timestamptz', 'jsonb'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface ColumnOptions {
  type: ColumnType;
  /** Nullable columns may be left out of `put`; they are then stored as NULL. */
  nullable?: boolean;
}

/** A bare type means a NOT NULL column of that type. */
export type ColumnSpec = ColumnType | ColumnOptions;

export interface TableSpec {
  /** Plain lower-case name; names starting with `_` are the runtime's own bookkeeping. */
  name: string;
  columns: Readonly<Record<string, ColumnSpec>>;
  primaryKey: readonly string[];
  /** Secondary indexes for the query API, each a list of columns. */
  indexes?: ReadonlyArray<readonly string[]>;
}

export type Row = Record<string, unknown>;
/** A primary key: the key columns' values, or the bare value when the key has one column. */
export type KeyInput = string | number | Row;

export interface ResolvedColumn {
  name: string;
  type: ColumnType;
  nullable: boolean;
}

/** A table spec checked once, with what the runtime needs at hand. */
export interface ResolvedTable {
  name: string;
  columns: readonly ResolvedColumn[];
  columnsByName: ReadonlyMap<string, ResolvedColumn>;
  primaryKey: readonly ResolvedColumn[];
  indexes: ReadonlyArray<readonly string[]>;
}

export const SQL_TYPES: Readonly<Record<ColumnType, string>> = {
  text: 'text',
  integer: 'integer',
  bigint: 'bigint',
  double: 'double precision',
  boolean: 'boolean',
  date: 'date',
  timestamptz: 'timestamptz',
  jsonb: 'jsonb',
};

export function resolveTable(spec: TableSpec): ResolvedTable {
  assertPlainName('table', spec.name);
  const columns = Object.entries(spec.columns).map(([name, column]): ResolvedColumn => {
    assertPlainName(`column of ${spec.name}`, name);
    const options = typeof column === 'string' ? { type: column } : column;
    if (!(COLUMN_TYPES as readonly string[]).includes(options.type)) {
      throw new Error(`column ${spec.name}.${name} has unknown type "${options.type}"`);
    }
    return { name, type: options.type, nullable: options.nullable ?? false };
  });
  const columnsByName = new Map(columns.map((column) => [column.name, column]));
  if (spec.primaryKey.length === 0) throw new Error(`table ${spec.name} needs a primary key`);
  const primaryKey = spec.primaryKey.map((name) => {
    const column = columnsByName.get(name);
    if (!column) throw new Error(`primary key column ${spec.name}.${name} is not a column`);
    if (column.nullable) throw new Error(`primary key column ${spec.name}.${name} cannot be nullable`);
    return column;
  });
  const indexes = spec.indexes ?? [];
  for (const index of indexes) {
    for (const name of index) {
      if (!columnsByName.has(name)) throw new Error(`index column ${spec.name}.${name} is not a column`);
    }
  }
  return { name: spec.name, columns, columnsByName, primaryKey, indexes };
}

export class RowShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RowShapeError';
  }
}

/** The number written by the digits of `text` from `start` to `end`, or NaN if one of them is not a digit. */
function digitsAt(text: string, start: number, end: number): number {
  let number = 0;
  for (let index = start; index < end; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return NaN;
    number = number * 10 + digit;
  }
  return number;
}

/**
 * True when `text` is what `toISOString` gives for the instant it names (`YYYY-MM-DDTHH:MM:SS.mmmZ`, a
 * real calendar day): most instants a handler stores are an envelope's, canonical already, and checking
 * them costs far less than a Date.
 */
function isCanonicalInstant(text: string): boolean {
  if (text.length !== 24 || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':') return false;
  if (text[16] !== ':' || text[19] !== '.' || text[23] !== 'Z' || Number.isNaN(digitsAt(text, 20, 23))) return false;
  const [year, month, day] = [digitsAt(text, 0, 4), digitsAt(text, 5, 7), digitsAt(text, 8, 10)];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  // NaN fails every comparison.
  return (
    year >= 0 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    digitsAt(text, 11, 13) < 24 &&
    digitsAt(text, 14, 16) < 60 &&
    digitsAt(text, 17, 19) < 60
  );
}

/** The canonical JavaScript form of a value of `column` (see COLUMN_TYPES); throws on a value of another type. */
export function normalizeValue(table: string, column: ResolvedColumn, value: unknown): unknown {
  // Built only for an error message: this runs for every column of every row a handler puts.
  const where = (): string => `${table}.${column.name}`;
  if (value === null || value === undefined) {
    if (!column.nullable) throw new RowShapeError(`${where()} cannot be null`);
    return null;
  }
  switch (column.type) {
    case 'text':
      if (typeof value !== 'string') throw new RowShapeError(`${where()} must be a string`);
      return value;
    case 'integer':
    case 'bigint': {
      const number = typeof value !== 'string' ? value : /^-?\d+$/.test(value) ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isSafeInteger(number)) throw new RowShapeError(`${where()} must be a safe integer`);
      if (column.type === 'integer' && Math.abs(number) > 2147483647) throw new RowShapeError(`${where()} is out of integer range`);
      return number;
    }
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new RowShapeError(`${where()} must be a finite number`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw new RowShapeError(`${where()} must be a boolean`);
      return value;
    case 'date': {
      const text = value instanceof Date ? value.toISOString().slice(0, 10) : value;
      if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new RowShapeError(`${where()} must be a YYYY-MM-DD date`);
      return text;
    }
    case 'timestamptz': {
      // Most instants arrive canonical already (an envelope's recordedAt): checked without a Date.
      if (typeof value === 'string' && isCanonicalInstant(value)) return value;
      const instant = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
      if (!instant || Number.isNaN(instant.getTime())) throw new RowShapeError(`${where()} must be an ISO 8601 instant`);
      return instant.toISOString();
    }
    case 'jsonb':
      // as PostgreSQL gives it back: plain JSON (no undefined members, dates as strings)
      return JSON.parse(JSON.stringify(value));
  }
}

/** A full row in canonical form: unknown columns are refused, missing nullable ones become null. */
export const normalizeRow = (table: ResolvedTable, row: Row): Row => rowOfStored(table, storedRow(table, row));

/**
 * A row as the runtime holds it between `put` and `get`: canonical values, with each jsonb value as its
 * JSON text. Serialising once on `put` both isolates the row from the handler's later changes and is the
 * text the upsert sends; `get` parses a fresh copy (cheaper than cloning the object on both sides).
 */
export type StoredRow = Row;

/** The stored form of a handler's row; `jsonbIsText` when jsonb values arrive as text already (read back as `::text`). */
export function storedRow(table: ResolvedTable, row: Row, jsonbIsText = false): StoredRow {
  for (const name in row) {
    if (!table.columnsByName.has(name)) throw new RowShapeError(`${table.name} has no column "${name}"`);
  }
  const stored: StoredRow = {};
  for (const column of table.columns) {
    const value = row[column.name];
    if (column.type !== 'jsonb' || value === null || value === undefined) stored[column.name] = normalizeValue(table.name, column, value);
    else stored[column.name] = jsonbIsText ? value : JSON.stringify(value);
  }
  return stored;
}

/** A fresh copy of the row a handler put, in canonical form. */
export function rowOfStored(table: ResolvedTable, stored: StoredRow): Row {
  const row: Row = { ...stored };
  for (const column of table.columns) {
    const text = stored[column.name];
    if (column.type === 'jsonb' && typeof text === 'string') row[column.name] = JSON.parse(text);
  }
  return row;
}

/** The key's column values in canonical form, in primary-key order. */
export function keyValues(table: ResolvedTable, key: KeyInput): unknown[] {
  if (typeof key !== 'object' || key === null) {
    if (table.primaryKey.length !== 1) {
      throw new RowShapeError(`${table.name} has a composite key: pass { ${table.primaryKey.map((c) => c.name).join(', ')} }`);
    }
    return [normalizeValue(table.name, table.primaryKey[0], key)];
  }
  return table.primaryKey.map((column) => {
    if (!(column.name in key)) throw new RowShapeError(`key of ${table.name} lacks ${column.name}`);
    return normalizeValue(table.name, column, key[column.name]);
  });
}

/** One string per key, for maps. */
export const keyText = (values: readonly unknown[]): string => JSON.stringify(values);

export const keyObject = (table: ResolvedTable, values: readonly unknown[]): Row =>
  Object.fromEntries(table.primaryKey.map((column, index) => [column.name, values[index]]));
