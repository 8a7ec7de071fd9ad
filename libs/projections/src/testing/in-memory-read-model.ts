import type { EventEnvelope } from '@trialstream/domain';
import { sequenceBatch } from '../batch-sequence';
import { CarriedStates } from '../carried-states';
import { tableOf, type Projection, type RowAccess } from '../projection';
import { RowShapeError, keyText, keyValues, normalizeValue, rowOfStored, storedRow, type KeyInput, type Row } from '../table-spec';

/**
 * A projection's read model in memory, for unit tests of its handlers: the same RowAccess semantics
 * and value normalization as the runtime, the same exactly-once-in-stream-order delivery, no database.
 */
export class InMemoryReadModel {
  private readonly tables = new Map<string, Map<string, Row>>();
  private readonly applied = new Map<string, number>();
  /** Carried between `apply` calls as the runtime carries them between batches. */
  private readonly carried = new CarriedStates();

  constructor(readonly projection: Projection) {
    for (const name of projection.resolvedTables.keys()) this.tables.set(name, new Map());
  }

  readonly rows: RowAccess = {
    get: async (table: string, key: KeyInput) => {
      const spec = tableOf(this.projection, table);
      const row = this.table(table).get(keyText(keyValues(spec, key)));
      return row ? rowOfStored(spec, row) : undefined;
    },
    put: (table: string, row: object) => {
      const spec = tableOf(this.projection, table);
      const stored = storedRow(spec, row as Row);
      this.table(table).set(keyText(spec.primaryKey.map((column) => stored[column.name])), stored);
    },
    patch: async (table: string, key: KeyInput, changes: object) => {
      const current = await this.rows.get(table, key);
      if (!current) throw new RowShapeError(`${table} has no row ${JSON.stringify(key)} to patch`);
      for (const column of tableOf(this.projection, table).primaryKey) {
        if (column.name in changes && (changes as Row)[column.name] !== current[column.name]) {
          throw new RowShapeError(`patch cannot change the primary key column ${table}.${column.name}`);
        }
      }
      this.rows.put(table, { ...current, ...changes });
      return (await this.rows.get(table, key))!;
    },
    delete: (table: string, key: KeyInput) => {
      this.table(table).delete(keyText(keyValues(tableOf(this.projection, table), key)));
    },
    list: async (table: string, partition: string | number) => {
      const spec = tableOf(this.projection, table);
      const first = spec.primaryKey[0];
      const value = normalizeValue(spec.name, first, partition);
      return [...this.table(table).values()].filter((row) => row[first.name] === value).map((row) => rowOfStored(spec, row));
    },
    // outside a batch nothing is carried
    carried: () => undefined,
    carry: () => undefined,
    forgetCarried: () => undefined,
  };

  /**
   * Applies events as a feed would: each stream's versions once and in order, however they are given. Each
   * call is one batch, as the runtime's are: handlers get a RowAccess of their own for it.
   */
  async apply(events: readonly EventEnvelope[]): Promise<void> {
    const sequence = sequenceBatch(events, this.applied);
    if (sequence.missing.size > 0) {
      const [streamId, versions] = [...sequence.missing][0];
      throw new Error(`stream ${streamId} lacks versions ${versions.join(', ')} in the events given`);
    }
    const carries = this.carried.forBatch(new Map(this.applied));
    const batch: RowAccess = {
      ...this.rows,
      carried: (streamId) => carries.get(streamId),
      carry: (streamId, value) => carries.keep(streamId, value),
      forgetCarried: () => carries.forgetAll(),
    };
    const lastVersions = new Map<string, number>();
    try {
      for (const event of sequence.events) {
        await this.projection.handlers[event.type]?.(event, batch);
        this.applied.set(event.streamId, event.streamVersion);
        lastVersions.set(event.streamId, event.streamVersion);
      }
      await this.projection.completeBatch?.(batch);
    } catch (error) {
      this.carried.forget(sequence.events.map((event) => event.streamId));
      throw error;
    }
    carries.committed(lastVersions);
  }

  /** The table's rows ordered by primary key. */
  rowsOf(table: string): Row[] {
    const spec = tableOf(this.projection, table);
    return [...this.table(table).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => rowOfStored(spec, row));
  }

  private table(name: string): Map<string, Row> {
    tableOf(this.projection, name);
    return this.tables.get(name)!;
  }
}
