import type { DataSource, MixedList } from 'typeorm';
import { openDatabase } from '@trialstream/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@trialstream/event-store';
import {
  defineProjection,
  REGISTRY_PROJECTION,
  projectionMigration,
  type Projection,
  type ProjectionHandler,
} from '@trialstream/projections';
import { createTestDatabase, type TestDatabase } from '@trialstream/testing';
import { START_CHECKPOINT, type Checkpoint, type EventDraft, type EventEnvelope, upcastStoredEvent } from '@trialstream/domain';
import { aCoordinator } from '@trialstream/domain/testing';

export interface ProjectionHarness {
  database: TestDatabase;
  dataSource: DataSource;
  store: PostgresEventStore;
  close(): Promise<void>;
}

/** A throwaway database with the event store and the given projections' schemas migrated in. */
export async function openProjectionHarness(
  projections: Projection[] = [REGISTRY_PROJECTION],
  extraMigrations: MixedList<Function> = [],
): Promise<ProjectionHarness> {
  const database = await createTestDatabase('proj');
  const dataSource = await openDatabase({
    url: database.url,
    migrations: [...EVENT_STORE_MIGRATIONS, ...(extraMigrations as Function[]), ...projections.map(projectionMigration)],
    poolSize: 12,
  });
  return {
    database,
    dataSource,
    store: new PostgresEventStore(dataSource, { upcast: upcastStoredEvent }),
    async close() {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

/** Appends drafts to the end of a stream, one append per call; returns the stored events. */
export async function append(store: PostgresEventStore, streamId: string, siteId: string, drafts: EventDraft[]): Promise<EventEnvelope[]> {
  const outcome = await store.append({
    streamId,
    expectedVersion: await store.streamVersion(streamId),
    events: drafts,
    siteId,
    actor: aCoordinator,
  });
  if (outcome.status !== 'appended') throw new Error(`expected an append to ${streamId}, got ${outcome.status}`);
  return outcome.events;
}

/**
 * The first `count` events of the store's catch-up order, waiting until they arrived: transactions
 * that other suites on the same server hold open keep the readable horizon back (for seconds when a
 * suite tests exactly that).
 */
export async function readAllOf(store: PostgresEventStore, count: number, timeoutMs = 60000): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  let checkpoint: Checkpoint = START_CHECKPOINT;
  for (const deadline = Date.now() + timeoutMs; ;) {
    const page = await store.readAll(checkpoint, 500);
    events.push(...page.events);
    checkpoint = page.checkpoint;
    if (events.length >= count) return events;
    if (Date.now() > deadline) throw new Error(`only ${events.length} of ${count} events became readable`);
    if (page.events.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A table of a read-model schema, ordered by its first column, exactly as stored. */
export async function tableRows(dataSource: DataSource, schema: string, table: string): Promise<Record<string, unknown>[]> {
  return dataSource.query(`SELECT * FROM "${schema}"."${table}" ORDER BY 1`);
}

/** The registry's two tables and the applied stream versions of `schema`. */
export async function registrySnapshot(dataSource: DataSource, schema = 'registry') {
  return {
    patients: await tableRows(dataSource, schema, 'patients'),
    sites: await tableRows(dataSource, schema, 'sites'),
    streams: await tableRows(dataSource, schema, '_streams'),
  };
}

export async function checkpointOf(
  dataSource: DataSource,
  schema = 'registry',
): Promise<{ transaction_id: string; global_position: string }> {
  const [row] = await dataSource.query(
    `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position FROM "${schema}"._checkpoint`,
  );
  return row;
}

/** The registry, except that its infusion handler throws on one event: a poison message for dead-letter tests. */
export function registryPoisonedBy(poisonEventId: string, message = 'dose field unreadable'): Projection {
  const recordInfusion = REGISTRY_PROJECTION.handlers.InfusionGiven as ProjectionHandler;
  return defineProjection({
    ...REGISTRY_PROJECTION,
    handlers: {
      ...REGISTRY_PROJECTION.handlers,
      InfusionGiven: (event, rows) => {
        if (event.eventId === poisonEventId) throw new Error(message);
        return recordInfusion(event, rows);
      },
    },
  });
}
