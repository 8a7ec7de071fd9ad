import type { EventEnvelope } from '@trialstream/domain';
import type { EventPayloadByType, EventType } from '@trialstream/domain';
import { assertPlainName } from './sql-identifiers';
import { resolveTable, type KeyInput, type ResolvedTable, type Row, type TableSpec } from './table-spec';

/**
 * What a handler may do to the read model. Reads see the handler's own earlier writes of the same
 * batch; nothing reaches PostgreSQL until the whole batch is written in one transaction.
 */
export interface RowAccess {
  /** The row with this primary key, or undefined. A copy: change it through `put` or `patch`. */
  get(table: string, key: KeyInput): Promise<Row | undefined>;
  /** Inserts or replaces the whole row (a plain object of column values; typed row interfaces welcome). */
  put(table: string, row: object): void;
  /** Changes some columns of an existing row and returns the new row; a missing row is an error. */
  patch(table: string, key: KeyInput, changes: object): Promise<Row>;
  /** Removes the row if it exists. */
  delete(table: string, key: KeyInput): void;
  /**
   * Every row whose first primary-key column is `partition` (one patient's rows of a table keyed by patient
   * first), in no particular order, the batch's own writes included. Copies, like `get`.
   */
  list(table: string, partition: string | number): Promise<Row[]>;
  /**
   * What this projection kept of the stream (`carry`) when a batch of this runner last applied it, while the
   * stream's applied version is still that batch's; otherwise undefined (read the rows). It must stand for the
   * committed rows exactly, so treat it as read-only.
   */
  carried(streamId: string): unknown;
  /** Keeps a value for the stream as of this batch's end, offered to the next batch that applies the stream. */
  carry(streamId: string, value: unknown): void;
  /** Nothing kept so far is offered again: an event rewrote rows that other streams' kept values stand for. */
  forgetCarried(): void;
}

/** Which streams have a carried value (`RowAccess.carried`) for the batch `prefetch` is asked for. */
export interface CarriedStreams {
  has(streamId: string): boolean;
}

export type ProjectionHandler<TData = unknown> = (event: EventEnvelope<TData>, rows: RowAccess) => void | Promise<void>;

/** Handlers by event type; domain event types get their payload type, other types (tests, later events) `unknown`. */
export type ProjectionHandlers = { [K in EventType]?: ProjectionHandler<EventPayloadByType[K]> } & {
  // `any`: the index signature must admit the typed handlers above, whose parameters `unknown` would not.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [type: string]: ProjectionHandler<any> | undefined;
};

/** A row the runtime should load for a whole batch at once, before the handlers ask for it one by one. */
export interface RowRef {
  table: string;
  key: KeyInput;
}

/** All the rows `list` would give for this partition, loaded for a whole batch at once. */
export interface PartitionRef {
  table: string;
  partition: string | number;
}

/**
 * A read model as a fold of events, written by projection authors without SQL.
 *
 * Rules for handlers (the runtime relies on them for its guarantees):
 * - Deterministic: the same events give the same rows (use the event's recordedAt/occurredAt, never
 *   the clock; no randomness; no I/O besides `rows`).
 * - Within one stream, events arrive exactly once and in stream-version order.
 * - Across streams, the order is NOT fixed: Kafka partitions interleave, catch-up order follows
 *   transaction ids, and a rebuild replays in yet another order. A row that several streams write
 *   (e.g. counts per site) must come out the same whichever stream's event comes first: prefer
 *   commutative updates (increments and decrements, set-union, max of a per-stream value) and let each
 *   stream own the columns it sets. `patch` only rows that your own stream created earlier.
 * - A handler that throws sends its event to the dead-letter table; the projection goes on. Throw for
 *   events you cannot apply, not to skip ones you do not care about (leave those without a handler).
 */
export interface ProjectionDefinition {
  /** Plain lower-case name, used in the CLIs and the Kafka consumer group `<topic>.projection-<name>`. */
  name: string;
  /** Raise it when tables or handlers change: the read model is then dropped and rebuilt from the store. */
  version: number;
  /** The PostgreSQL schema of the read model; the name by default. */
  schema?: string;
  tables: readonly TableSpec[];
  handlers: ProjectionHandlers;
  /**
   * Optional: rows (or partitions) each event will touch, loaded for a whole batch in one query per table; a
   * stream whose carried value the handlers will use instead of its rows needs none of them.
   */
  prefetch?: (event: EventEnvelope, carried: CarriedStreams) => ReadonlyArray<RowRef | PartitionRef>;
  /**
   * Optional: called once after a batch's events, before its rows are written, with the batch's RowAccess:
   * work the handlers defer to the end of a batch (deriving a subject's rows once for all its events of the
   * batch) is done here. The rows must come out the same wherever a log's batches begin and end.
   */
  completeBatch?: (rows: RowAccess) => void | Promise<void>;
  /**
   * True only for read models of the unblinded side (analysis): they get the values the protocol masks,
   * opened with the field keys. Every other projection gets them as placeholders (`{ analyte, masked: true }`),
   * whether fed from Kafka or from the store.
   */
  readsMaskedValues?: boolean;
}

export interface Projection {
  readonly name: string;
  readonly version: number;
  readonly schema: string;
  readonly tables: readonly TableSpec[];
  readonly handlers: ProjectionHandlers;
  readonly prefetch?: (event: EventEnvelope, carried: CarriedStreams) => ReadonlyArray<RowRef | PartitionRef>;
  readonly completeBatch?: (rows: RowAccess) => void | Promise<void>;
  readonly readsMaskedValues: boolean;
  /** The checked tables, by name. */
  readonly resolvedTables: ReadonlyMap<string, ResolvedTable>;
}

/** Checks a projection's definition once, at module load, so a typo fails at startup rather than mid-stream. */
export function defineProjection(definition: ProjectionDefinition): Projection {
  assertPlainName('projection name', definition.name);
  const schema = definition.schema ?? definition.name;
  assertPlainName('projection schema', schema);
  if (!Number.isInteger(definition.version) || definition.version < 1) {
    throw new Error(`projection ${definition.name}: version must be a positive integer`);
  }
  const resolvedTables = new Map<string, ResolvedTable>();
  for (const spec of definition.tables) {
    if (resolvedTables.has(spec.name)) throw new Error(`projection ${definition.name}: table ${spec.name} is defined twice`);
    resolvedTables.set(spec.name, resolveTable(spec));
  }
  return Object.freeze({
    name: definition.name,
    version: definition.version,
    schema,
    tables: definition.tables,
    handlers: definition.handlers,
    prefetch: definition.prefetch,
    completeBatch: definition.completeBatch,
    readsMaskedValues: definition.readsMaskedValues ?? false,
    resolvedTables,
  });
}

export function tableOf(projection: Projection, name: string): ResolvedTable {
  const table = projection.resolvedTables.get(name);
  if (!table) throw new Error(`projection ${projection.name} has no table "${name}"`);
  return table;
}
