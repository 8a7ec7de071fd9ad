import { EVENTS_TABLE } from '@trialstream/event-store';
import { queryRows, type Queryable } from './database';
import { STREAMS_TABLE } from './ddl';
import { qualified } from './sql-identifiers';

/** Whether a read model has applied the event at a global position: `unknown` if no event has it yet. */
export type Freshness = 'applied' | 'pending' | 'unknown';

/**
 * Read-your-writes: a client names the global position of an event it wrote, and a read waits until the
 * projection has applied that event's stream up to it. Stream versions (not the catch-up checkpoint) are
 * the test because both deliveries keep them: the store feed and Kafka, whose partitions have no global order.
 */
export async function freshnessAt(db: Queryable, schema: string, position: string): Promise<Freshness> {
  const rows = await queryRows<{ applied: boolean | null; exists: boolean; passed: boolean }>(
    db,
    `SELECT (SELECT s.version >= e.stream_version
               FROM ${EVENTS_TABLE} e LEFT JOIN ${qualified(schema, STREAMS_TABLE)} s ON s.stream_id = e.stream_id
              WHERE e.global_position = $1::bigint) AS applied,
            EXISTS (SELECT FROM ${EVENTS_TABLE} WHERE global_position = $1::bigint) AS exists,
            EXISTS (SELECT FROM ${EVENTS_TABLE} WHERE global_position >= $1::bigint) AS passed`,
    [position],
  );
  const [row] = rows;
  if (row.exists) return row.applied ? 'applied' : 'pending';
  // No event holds a position that later ones passed (a rolled-back transaction's number): nothing to wait for.
  return row.passed ? 'applied' : 'unknown';
}

/** Polls `freshnessAt` until the event is applied or `waitMs` has passed; returns the last answer. */
export async function waitForPosition(db: Queryable, schema: string, position: string, waitMs: number): Promise<Freshness> {
  const deadline = Date.now() + waitMs;
  let pause = 2;
  for (;;) {
    const freshness = await freshnessAt(db, schema, position);
    if (freshness !== 'pending' || Date.now() >= deadline) return freshness;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(1, deadline - Date.now()))));
    pause = Math.min(pause * 2, 50);
  }
}
