import { randomUUID } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import { openDatabase } from '@trialstream/database';
import {
  EVENT_STORE_MIGRATIONS,
  PostgresEventStore,
  type AppendRequest,
  type EventStoreOptions,
  type ReadAllOptions,
} from '@trialstream/event-store';
import { createTestDatabase, type TestDatabase } from '@trialstream/testing';
import type { Actor, Checkpoint, EventDraft, EventEnvelope } from '@trialstream/domain';
import { waitUntil } from '../support/eventually';

export interface EventStoreHarness {
  database: TestDatabase;
  dataSource: DataSource;
  store(options?: EventStoreOptions): PostgresEventStore;
  close(): Promise<void>;
}

/** A throwaway database with the event store migrated, as a suite's `beforeAll` needs it. */
export async function openEventStoreHarness(poolSize = 20): Promise<EventStoreHarness> {
  const database = await createTestDatabase('es');
  const dataSource = await openDatabase({ url: database.url, migrations: EVENT_STORE_MIGRATIONS, poolSize });
  return {
    database,
    dataSource,
    store: (options) => new PostgresEventStore(dataSource, options),
    async close() {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

export const coordinator: Actor = { userId: 'coordinator-101-a', role: 'site_coordinator' };

let patients = 0;
/** A stream id no other test in the suite uses. */
export const newPatientStream = () => `patient-101-${String(++patients).padStart(4, '0')}-${randomUUID().slice(0, 8)}`;

export function anEvent(overrides: Partial<EventDraft> = {}): EventDraft {
  return {
    type: 'VitalSignsRecorded',
    schemaVersion: 1,
    occurredAt: '2025-03-04T09:30:00+01:00',
    data: { systolicMmHg: 128, diastolicMmHg: 82 },
    ...overrides,
  };
}

export function anAppend(overrides: Partial<AppendRequest> = {}): AppendRequest {
  return {
    streamId: overrides.streamId ?? newPatientStream(),
    expectedVersion: 0,
    events: [anEvent()],
    siteId: 'site-101',
    actor: coordinator,
    ...overrides,
  };
}

export function aSubmission(id: string = randomUUID(), overrides: Partial<NonNullable<AppendRequest['submission']>> = {}) {
  return { scope: 'site-101', id, requestHash: `sha256-of-${id}`, response: { accepted: true, submissionId: id }, ...overrides };
}

/** Reads the log from `after` until `count` events arrived; other suites' open transactions may delay them. */
export async function readAllUntil(
  store: PostgresEventStore,
  after: Checkpoint,
  count: number,
  options: ReadAllOptions = {},
  timeoutMs = 15000,
): Promise<{ events: EventEnvelope[]; checkpoint: Checkpoint }> {
  const events: EventEnvelope[] = [];
  let checkpoint = after;
  const deadline = Date.now() + timeoutMs;
  while (events.length < count) {
    const page = await store.readAll(checkpoint, 100, options);
    events.push(...page.events);
    checkpoint = page.checkpoint;
    if (events.length >= count) break;
    if (Date.now() > deadline) throw new Error(`only ${events.length} of ${count} events became readable`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { events, checkpoint };
}

export const countByStatus = (outcomes: Array<{ status: string }>) =>
  outcomes.reduce<Record<string, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});

/**
 * Resolves once another session waits for a lock the holder's open transaction holds: a race set up behind a
 * transaction is then really behind it, where a fixed pause may end first on a busy machine.
 */
export async function someoneWaitsBehind(holder: QueryRunner, timeoutMs = 15_000): Promise<void> {
  const [{ pid }] = (await holder.query('SELECT pg_backend_pid() AS pid')) as Array<{ pid: number }>;
  await waitUntil(
    async () => {
      const [{ waiting }] = (await holder.connection.query(
        'SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid))',
        [pid],
      )) as Array<{ waiting: number }>;
      return waiting > 0;
    },
    timeoutMs,
    'a session waiting behind the open transaction',
  );
}
