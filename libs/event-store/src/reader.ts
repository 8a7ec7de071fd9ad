import type { DataSource } from 'typeorm';
import type { Checkpoint, EventEnvelope } from '@trialstream/domain';
import type { ReadAllOptions, ReadStreamOptions, StoredSubmission, Upcaster } from './contracts';
import { EVENT_COLUMNS, EVENT_JSON_COLUMNS, toCurrentEnvelope, type EventRow, type StoredEventJson } from './row-mapping';
import { EVENT_SALTS_TABLE, EVENTS_TABLE, STREAMS_TABLE, SUBMISSIONS_TABLE } from './schema';

/** Appends `AND column <= $n` for each audit bound that is set. */
function untilClauses(options: ReadStreamOptions, parameters: unknown[]): string {
  let sql = '';
  if (options.untilGlobalPosition !== undefined) {
    parameters.push(options.untilGlobalPosition);
    sql += ` AND e.global_position <= $${parameters.length}::bigint`;
  }
  if (options.untilRecordedAt !== undefined) {
    parameters.push(options.untilRecordedAt);
    sql += ` AND e.recorded_at <= $${parameters.length}::timestamptz`;
  }
  return sql;
}

export async function readStream(
  dataSource: DataSource,
  streamId: string,
  options: ReadStreamOptions,
  upcast: Upcaster | undefined,
): Promise<EventEnvelope[]> {
  const parameters: unknown[] = [streamId, options.afterVersion ?? 0];
  const rows: EventRow[] = await dataSource.query(
    `SELECT ${EVENT_COLUMNS} FROM ${EVENTS_TABLE} AS e
      WHERE e.stream_id = $1 AND e.stream_version > $2::int${untilClauses(options, parameters)}
      ORDER BY e.stream_version`,
    parameters,
  );
  return rows.map((row) => toCurrentEnvelope(row, upcast));
}

export async function streamVersion(dataSource: DataSource, streamId: string): Promise<number> {
  const rows: Array<{ version: number }> = await dataSource.query(`SELECT version FROM ${STREAMS_TABLE} WHERE stream_id = $1`, [streamId]);
  return rows[0]?.version ?? 0;
}

/**
 * The next events after `after` in catch-up order. Only transactions older than every transaction
 * still running are read (the snapshot's xmin): an event whose position was taken by a transaction
 * that commits later can then never be passed over. Order and resume by (transaction, position),
 * because positions of different transactions interleave.
 */
export async function readAll(
  dataSource: DataSource,
  after: Checkpoint,
  limit: number,
  options: ReadAllOptions,
  upcast: Upcaster | undefined,
): Promise<{ events: EventEnvelope[]; checkpoint: Checkpoint }> {
  const rows = await catchUpRows<EventRow>(dataSource, EVENT_COLUMNS, after, limit, options);
  return pageOf(
    rows.map((row) => toCurrentEnvelope(row, upcast)),
    after,
  );
}

/** readAll's events, exactly as stored (no upcaster), each as the JSON text of its envelope. */
export async function readAllJson(
  dataSource: DataSource,
  after: Checkpoint,
  limit: number,
  options: ReadAllOptions,
): Promise<{ events: StoredEventJson[]; checkpoint: Checkpoint }> {
  return pageOf(await catchUpRows<StoredEventJson>(dataSource, EVENT_JSON_COLUMNS, after, limit, options), after);
}

async function catchUpRows<Row>(
  dataSource: DataSource,
  columns: string,
  after: Checkpoint,
  limit: number,
  options: ReadAllOptions,
): Promise<Row[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  const parameters: unknown[] = [after.transactionId, after.globalPosition, limit];
  return dataSource.query(
    // Qualified names: the select list's text aliases must not become the sort keys.
    `SELECT ${columns} FROM ${EVENTS_TABLE} AS e
      WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
        AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())${untilClauses(options, parameters)}
      ORDER BY e.transaction_id, e.global_position
      LIMIT $3`,
    parameters,
  );
}

function pageOf<E extends Checkpoint>(events: E[], after: Checkpoint): { events: E[]; checkpoint: Checkpoint } {
  const last = events[events.length - 1];
  return { events, checkpoint: last ? { transactionId: last.transactionId, globalPosition: last.globalPosition } : after };
}

export async function findSubmission(dataSource: DataSource, scope: string, submissionId: string): Promise<StoredSubmission | null> {
  const rows: Array<{ request_hash: string; response: unknown }> = await dataSource.query(
    `SELECT request_hash, response FROM ${SUBMISSIONS_TABLE} WHERE scope = $1 AND submission_id = $2`,
    [scope, submissionId],
  );
  return rows.length === 0 ? null : { requestHash: rows[0].request_hash, response: rows[0].response };
}

/**
 * How many events lie after a reader's checkpoint, counted up to `cap` (the answer is then "at least cap"):
 * a lag for health checks that stays cheap however far behind the reader is.
 */
export async function countEventsAfter(db: Pick<DataSource, 'query'>, after: Checkpoint, cap: number): Promise<number> {
  const rows: Array<{ n: number }> = await db.query(
    `SELECT count(*)::int AS n FROM (
       SELECT 1 FROM ${EVENTS_TABLE} e WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint) LIMIT $3
     ) waiting`,
    [after.transactionId, after.globalPosition, cap],
  );
  return rows[0].n;
}

/** Chain salts of the given events (those stored in the salted format); needs the verifying role's grant. */
export async function chainSalts(dataSource: DataSource, eventIds: readonly string[]): Promise<Map<string, string>> {
  const rows: Array<{ event_id: string; salt: string }> = await dataSource.query(
    `SELECT event_id::text AS event_id, salt FROM ${EVENT_SALTS_TABLE} WHERE event_id = ANY($1::uuid[])`,
    [eventIds],
  );
  return new Map(rows.map((row) => [row.event_id, row.salt]));
}
