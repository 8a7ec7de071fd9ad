import type { Checkpoint, EventEnvelope } from '@trialstream/domain';
import { CHECKPOINT_TABLE, DEAD_LETTERS_TABLE, STREAMS_TABLE } from './ddl';
import { queryRows, type Queryable } from './database';
import { qualified } from './sql-identifiers';
import { WriteStatement } from './write-statement';

/** The highest applied version of each given stream (absent: nothing applied yet). */
export async function readAppliedVersions(db: Queryable, schema: string, streamIds: readonly string[]): Promise<Map<string, number>> {
  if (streamIds.length === 0) return new Map();
  const rows = await queryRows<{ stream_id: string; version: number }>(
    db,
    // A join, not `= ANY($1)`: a scratch schema's table has no statistics yet, and a sequential scan
    // testing every row against every id of a large batch grows with their product.
    `SELECT s.stream_id, s.version FROM unnest($1::text[]) AS wanted(stream_id) JOIN ${qualified(schema, STREAMS_TABLE)} s USING (stream_id)`,
    [streamIds],
  );
  return new Map(rows.map((row) => [row.stream_id, row.version]));
}

export async function markApplied(db: Queryable, schema: string, versions: ReadonlyMap<string, number>): Promise<void> {
  const write = new WriteStatement();
  addMarkApplied(write, schema, versions);
  await write.run(db);
}

/** markApplied as part of a batch's one write statement. */
export function addMarkApplied(write: WriteStatement, schema: string, versions: ReadonlyMap<string, number>): void {
  if (versions.size === 0) return;
  write.add(
    `INSERT INTO ${qualified(schema, STREAMS_TABLE)} (stream_id, version)
       SELECT * FROM unnest(${write.parameter([...versions.keys()], 'text[]')}, ${write.parameter([...versions.values()], 'integer[]')})
     ON CONFLICT (stream_id) DO UPDATE SET version = GREATEST(${qualified(schema, STREAMS_TABLE)}.version, EXCLUDED.version)`,
  );
}

export async function readCheckpoint(db: Queryable, schema: string): Promise<Checkpoint> {
  const rows = await queryRows<{ transaction_id: string; global_position: string }>(
    db,
    `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position FROM ${qualified(schema, CHECKPOINT_TABLE)}`,
  );
  if (rows.length === 0) throw new Error(`${schema}.${CHECKPOINT_TABLE} has no row: was the projection's schema created by its migration?`);
  return { transactionId: rows[0].transaction_id, globalPosition: rows[0].global_position };
}

/** Moves the checkpoint forward only: a late, smaller checkpoint from a slower writer never rewinds it. */
export async function advanceCheckpoint(db: Queryable, schema: string, checkpoint: Checkpoint): Promise<void> {
  const write = new WriteStatement();
  addAdvanceCheckpoint(write, schema, checkpoint);
  await write.run(db);
}

/** advanceCheckpoint as part of a batch's one write statement. */
export function addAdvanceCheckpoint(write: WriteStatement, schema: string, checkpoint: Checkpoint): void {
  const transactionId = write.parameter(checkpoint.transactionId, 'xid8');
  const globalPosition = write.parameter(checkpoint.globalPosition, 'bigint');
  write.add(
    `UPDATE ${qualified(schema, CHECKPOINT_TABLE)}
        SET transaction_id = ${transactionId}, global_position = ${globalPosition}, updated_at = now()
      WHERE (transaction_id, global_position) < (${transactionId}, ${globalPosition})`,
  );
}

export async function readProjectionVersion(db: Queryable, schema: string): Promise<number | null> {
  const rows = await queryRows<{ projection_version: number }>(db, `SELECT projection_version FROM ${qualified(schema, CHECKPOINT_TABLE)}`);
  return rows[0]?.projection_version ?? null;
}

export async function recordDeadLetter(db: Queryable, schema: string, event: EventEnvelope, error: string): Promise<void> {
  await db.query(
    `INSERT INTO ${qualified(schema, DEAD_LETTERS_TABLE)} (event_id, stream_id, stream_version, type, error, event)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb)
     ON CONFLICT (event_id) DO NOTHING`,
    [event.eventId, event.streamId, event.streamVersion, event.type, error, JSON.stringify(event)],
  );
}

export interface DeadLetter {
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  error: string;
  event: EventEnvelope;
  failedAt: string;
}

export async function readDeadLetters(db: Queryable, schema: string): Promise<DeadLetter[]> {
  const rows = await queryRows<{
    event_id: string;
    stream_id: string;
    stream_version: number;
    type: string;
    error: string;
    event: EventEnvelope;
    failed_at: Date;
  }>(
    db,
    `SELECT event_id::text AS event_id, stream_id, stream_version, type, error, event, failed_at FROM ${qualified(schema, DEAD_LETTERS_TABLE)} ORDER BY failed_at, event_id`,
  );
  return rows.map((row) => ({
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.type,
    error: row.error,
    event: row.event,
    failedAt: row.failed_at.toISOString(),
  }));
}

/** True while the read model has never applied an event (nor had its checkpoint moved). */
export async function isPristine(db: Queryable, schema: string): Promise<boolean> {
  const rows = await queryRows<{ pristine: boolean }>(
    db,
    `SELECT NOT EXISTS (SELECT FROM ${qualified(schema, STREAMS_TABLE)})
        AND (SELECT global_position = 0 FROM ${qualified(schema, CHECKPOINT_TABLE)}) AS pristine`,
  );
  return rows[0].pristine;
}

/** Every stream's applied version. */
export async function readAllAppliedVersions(db: Queryable, schema: string): Promise<Map<string, number>> {
  const rows = await queryRows<{ stream_id: string; version: number }>(
    db,
    `SELECT stream_id, version FROM ${qualified(schema, STREAMS_TABLE)}`,
  );
  return new Map(rows.map((row) => [row.stream_id, row.version]));
}
