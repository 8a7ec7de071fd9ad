import { createHash, randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { HistorySlice } from './patient-histories';

/**
 * The baselines write into tables created `LIKE event_store.events INCLUDING ALL`: the same columns (jsonb data,
 * char(64) hashes, xid8 transaction id, identity position) with the same defaults, constraints and indexes, but
 * none of the store's logic (stream heads, expected versions, submission ids, hash chaining at write time).
 */
export const RAW_SCHEMA = 'bench_raw';

/** The 18 values the store writes per event, in INSERT column order (position and transaction id come from defaults). */
export type RawEventRow = [
  eventId: string,
  streamId: string,
  streamVersion: number,
  type: string,
  schemaVersion: number,
  siteId: string | null,
  actorId: string,
  actorRole: string,
  occurredAt: string,
  recordedAt: string,
  correlationId: string,
  causationId: string | null,
  submissionId: string | null,
  amendsEventId: string | null,
  amendsReason: string | null,
  data: string,
  previousHash: string,
  hash: string,
];

const COLUMNS =
  'event_id, stream_id, stream_version, type, schema_version, site_id, actor_id, actor_role, occurred_at, recorded_at, ' +
  'correlation_id, causation_id, submission_id, amends_event_id, amends_reason, data, previous_hash, hash';

const CAST_ARRAYS =
  '$1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], ' +
  '$10::timestamptz[], $11::uuid[], $12::uuid[], $13::text[], $14::uuid[], $15::text[], $16::jsonb[], $17::text[], $18::text[]';

export async function createRawEventsTable(pool: Pool, name: string): Promise<string> {
  const table = `${RAW_SCHEMA}.${name}`;
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${RAW_SCHEMA}`);
  await pool.query(`CREATE TABLE ${table} (LIKE event_store.events INCLUDING ALL)`);
  return table;
}

/** Rows for one patient's events, ids and hash chain computed up front so that only the database is timed. */
export function rawRowsOf(slice: HistorySlice, fromVersion = 1, actorId = 'bench-coordinator-raw'): RawEventRow[] {
  const correlationId = randomUUID();
  const submissionId = randomUUID();
  let previousHash = '0'.repeat(64);
  return slice.events.map((draft, offset) => {
    const data = JSON.stringify(draft.data);
    const hash = createHash('sha256').update(previousHash).update(data).digest('hex');
    const row: RawEventRow = [
      randomUUID(),
      slice.patient.streamId,
      fromVersion + offset,
      draft.type,
      draft.schemaVersion,
      slice.patient.siteId,
      actorId,
      'site_coordinator',
      draft.occurredAt,
      new Date().toISOString(),
      correlationId,
      null,
      submissionId,
      null,
      null,
      data,
      previousHash,
      hash,
    ];
    previousHash = hash;
    return row;
  });
}

/** One event per transaction: what every request would cost without group commit. */
export async function insertOneRowTransaction(client: PoolClient, table: string, row: RawEventRow): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(
      `INSERT INTO ${table} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      row,
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Every row in one multi-row INSERT (array parameters, as the store's own insert), committed on its own. */
export async function insertRowsAtOnce(pool: Pool, table: string, rows: RawEventRow[]): Promise<void> {
  const columns = COLUMNS.split(', ').map((_, index) => rows.map((row) => row[index]));
  await pool.query(`INSERT INTO ${table} (${COLUMNS}) SELECT * FROM unnest(${CAST_ARRAYS})`, columns);
}
