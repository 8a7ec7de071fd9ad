import { START_CHECKPOINT, type Checkpoint, type EventEnvelope } from '@trialstream/domain';
import type { ReadAllOptions, ReadStreamOptions } from '@trialstream/event-store';
import {
  createProjectionSchema,
  dropProjectionSchema,
  ProjectionRunner,
  type Projection,
  type ProjectionLogger,
} from '@trialstream/projections';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** The event store as a bounded reader (PostgresEventStore is one). */
export interface BoundedEventSource {
  readAll(after: Checkpoint, limit: number, options?: ReadAllOptions): Promise<{ events: EventEnvelope[]; checkpoint: Checkpoint }>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<EventEnvelope[]>;
}

export interface ReplayUntilOptions {
  /** Where the read model is built; created here, must not exist yet. */
  schema: string;
  /** Only events within this bound (global position and/or recorded-at); the whole log when omitted. */
  until?: ReadAllOptions;
  pageSize?: number;
  /** Events read so far, after each page. */
  onProgress?: (eventsRead: number) => void;
  logger?: ProjectionLogger;
}

export interface ReplayUntilTotals {
  /** Events within the bound read from the store. */
  events: number;
  applied: number;
  deadLettered: number;
}

const DEFAULT_PAGE_SIZE = 5000;

/**
 * The read model as it stood at a past moment: replays the store, in its catch-up order and only
 * up to the bound, into a fresh schema through the projection runtime's own runner (the same
 * handlers, batching and dead-lettering as the live model). Even a gap filler is read within the
 * bound, so no later event can slip in.
 */
export async function replayProjection(
  projection: Projection,
  store: BoundedEventSource,
  dataSource: DataSource,
  options: ReplayUntilOptions,
): Promise<ReplayUntilTotals> {
  const until = options.until ?? {};
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const bounded = { readStream: (streamId: string) => store.readStream(streamId, until) };
  await createProjectionSchema(dataSource, projection, options.schema);
  const runner = new ProjectionRunner(projection, dataSource, bounded, { schema: options.schema, logger: options.logger });
  const totals: ReplayUntilTotals = { events: 0, applied: 0, deadLettered: 0 };
  options.onProgress?.(0);
  for (let checkpoint = START_CHECKPOINT; ;) {
    const page = await store.readAll(checkpoint, pageSize, until);
    if (page.events.length === 0) return totals;
    const result = await runner.applyBatch(page.events, page.checkpoint);
    totals.events += page.events.length;
    totals.applied += result.applied;
    totals.deadLettered += result.deadLettered;
    checkpoint = page.checkpoint;
    options.onProgress?.(totals.events);
  }
}

/** `<schema>_asof_<random>`, within PostgreSQL's identifier length; unique per call so replays can run side by side. */
export function pointInTimeSchemaName(projection: Projection): string {
  const suffix = `_asof_${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  return `${projection.schema.slice(0, 63 - suffix.length)}${suffix}`;
}

/**
 * Builds the projection as of the bound in a scratch schema, hands the schema to `read`, and drops
 * it afterwards whatever happens.
 */
export async function withProjectionAsOf<T>(
  projection: Projection,
  store: BoundedEventSource,
  dataSource: DataSource,
  options: Omit<ReplayUntilOptions, 'schema'>,
  read: (schema: string, totals: ReplayUntilTotals) => Promise<T>,
): Promise<T> {
  const schema = pointInTimeSchemaName(projection);
  try {
    const totals = await replayProjection(projection, store, dataSource, { ...options, schema });
    return await read(schema, totals);
  } finally {
    await dropProjectionSchema(dataSource, schema);
  }
}

/** Events within the bound: the denominator of a replay's progress bar. */
export async function countEventsWithin(dataSource: DataSource, until: ReadAllOptions = {}): Promise<number> {
  const [row]: Array<{ count: number }> = await dataSource.query(
    `SELECT count(*)::int AS count FROM event_store.events
      WHERE ($1::bigint IS NULL OR global_position <= $1::bigint) AND ($2::timestamptz IS NULL OR recorded_at <= $2::timestamptz)`,
    [until.untilGlobalPosition ?? null, until.untilRecordedAt ?? null],
  );
  return row.count;
}
