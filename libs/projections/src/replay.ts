import type { DataSource } from 'typeorm';
import { START_CHECKPOINT, type EventEnvelope } from '@trialstream/domain';
import { EVENT_STORE_SCHEMA } from '@trialstream/event-store';
import { STREAMS_TABLE } from './ddl';
import { queryRows, type Queryable } from './database';
import type { ProjectionLogger } from './logger';
import type { Projection } from './projection';
import { ProjectionRunner } from './runner';
import { qualified, quoteIdent } from './sql-identifiers';
import { PageReadAhead, type CatchUpSource, type ReadAheadOptions } from './read-ahead';

export interface ReplayProgress {
  /** Events read from the store so far. */
  events: number;
  /** Events in the store when the replay started (for a progress bar), if known. */
  total: number | null;
  eventsPerSecond: number;
  elapsedMs: number;
}

export interface ReplayOptions extends Pick<ReadAheadOptions, 'pageSize' | 'pagesPerBatch'> {
  onProgress?: (progress: ReplayProgress) => void;
  /** Events in the store, for progress; counted when omitted. */
  total?: number;
  logger?: ProjectionLogger;
}

export interface ReplayTotals {
  events: number;
  applied: number;
  deadLettered: number;
}

/** Events currently in the store: the denominator of a rebuild's progress bar. */
export async function countStoreEvents(db: Queryable): Promise<number> {
  const rows = await queryRows<{ count: string }>(db, `SELECT count(*)::text AS count FROM ${quoteIdent(EVENT_STORE_SCHEMA)}.events`);
  return Number(rows[0].count);
}

/** `<schema>_<purpose>_<timestamp>`, shortened to fit PostgreSQL's identifier length. */
export function scratchSchemaName(schema: string, purpose: 'rebuild' | 'verify' | 'old', now: number = Date.now()): string {
  const suffix = `_${purpose}_${now}`;
  return `${schema.slice(0, 63 - suffix.length)}${suffix}`;
}

/**
 * Replays the whole store into `schema` (already created, empty), reading the next pages while a batch
 * is applied. `accept` leaves events out (verify replays only what the live model applied).
 */
export async function replayInto(
  projection: Projection,
  store: CatchUpSource,
  dataSource: DataSource,
  schema: string,
  options: ReplayOptions & { accept?: (event: EventEnvelope) => boolean } = {},
): Promise<ReplayTotals> {
  const runner = new ProjectionRunner(projection, dataSource, store, { schema, logger: options.logger });
  const total = options.onProgress ? (options.total ?? (await countStoreEvents(dataSource))) : null;
  const started = Date.now();
  const totals: ReplayTotals = { events: 0, applied: 0, deadLettered: 0 };
  const report = () => {
    const elapsedMs = Date.now() - started;
    options.onProgress?.({
      events: totals.events,
      total,
      elapsedMs,
      eventsPerSecond: elapsedMs > 0 ? (totals.events * 1000) / elapsedMs : 0,
    });
  };
  report();

  const pages = new PageReadAhead(store, START_CHECKPOINT, { pageSize: options.pageSize, pagesPerBatch: options.pagesPerBatch });
  for (;;) {
    const batch = await pages.take();
    if (batch.events.length === 0) break;
    const events = options.accept ? batch.events.filter(options.accept) : batch.events;
    const result = await runner.applyBatch(events, batch.checkpoint);
    totals.events += batch.events.length;
    totals.applied += result.applied;
    totals.deadLettered += result.deadLettered;
    report();
  }
  return totals;
}

/** Streams whose applied version in `live` is ahead of `scratch`, with both versions. */
export async function streamsAhead(
  db: Queryable,
  live: string,
  scratch: string,
): Promise<Array<{ streamId: string; scratchVersion: number; liveVersion: number }>> {
  const rows = await queryRows<{ stream_id: string; scratch_version: number; live_version: number }>(
    db,
    `SELECT l.stream_id, COALESCE(s.version, 0) AS scratch_version, l.version AS live_version
       FROM ${qualified(live, STREAMS_TABLE)} l
       LEFT JOIN ${qualified(scratch, STREAMS_TABLE)} s USING (stream_id)
      WHERE l.version > COALESCE(s.version, 0)`,
  );
  return rows.map((row) => ({ streamId: row.stream_id, scratchVersion: row.scratch_version, liveVersion: row.live_version }));
}

const STREAMS_PER_TOP_UP_BATCH = 200;

/**
 * Applies to `scratch` every stream version that `live` applied and `scratch` did not: what the live
 * model was fed (e.g. from Kafka) beyond what the store's catch-up order had made readable.
 */
export async function topUpFromLive(
  projection: Projection,
  store: CatchUpSource,
  dataSource: DataSource,
  live: string,
  scratch: string,
  logger?: ProjectionLogger,
): Promise<number> {
  const ahead = await streamsAhead(dataSource, live, scratch);
  const runner = new ProjectionRunner(projection, dataSource, store, { schema: scratch, logger });
  let applied = 0;
  for (let start = 0; start < ahead.length; start += STREAMS_PER_TOP_UP_BATCH) {
    const events: EventEnvelope[] = [];
    for (const stream of ahead.slice(start, start + STREAMS_PER_TOP_UP_BATCH)) {
      const missing = (await store.readStream(stream.streamId)).filter(
        (event) => event.streamVersion > stream.scratchVersion && event.streamVersion <= stream.liveVersion,
      );
      events.push(...missing);
    }
    const result = await runner.applyBatch(events);
    applied += result.applied + result.deadLettered;
  }
  return applied;
}
