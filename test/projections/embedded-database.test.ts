import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { openDatabase, startEmbeddedPostgres, type EmbeddedPostgres } from '@trialstream/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@trialstream/event-store';
import { REGISTRY_PROJECTION, projectionMigration, rebuildProjection, startProjection, verifyProjection } from '@trialstream/projections';
import { infusion } from '@trialstream/projections/testing/patient-stories';
import { append, registryPoisonedBy, registrySnapshot } from './projection-harness';
import { recordTrial } from './trial-builder';
import { eventually } from '../support/eventually';

const quiet = { warn: () => undefined, error: () => undefined };

/** The runtime on the embedded server `npm start` uses: same SQL and concurrency as on any PostgreSQL. */
describe('the projection runtime on the embedded database', () => {
  let dataDir: string;
  let embedded: EmbeddedPostgres;
  let dataSource: DataSource;
  let store: PostgresEventStore;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trialstream-projections-'));
    embedded = await startEmbeddedPostgres({ dataDir });
    dataSource = await openDatabase({
      url: embedded.url,
      migrations: [...EVENT_STORE_MIGRATIONS, projectionMigration(REGISTRY_PROJECTION)],
      poolSize: 4,
    });
    store = new PostgresEventStore(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await embedded?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('follows the store, fills gaps, dead-letters, rebuilds and verifies', async () => {
    const trial = await recordTrial(store, 4);
    const poisonStream = trial.patients.get(`${trial.sites[0]}-002`)!;
    const [poison] = await append(store, poisonStream, trial.sites[0], [infusion(3)]);
    const fragile = registryPoisonedBy(poison.eventId, 'unreadable');

    const feedOptions = { dataSource, store, logger: quiet, storeFeed: { pageSize: 5, idlePollMs: 20 } };
    const first = await startProjection(fragile, feedOptions);
    await eventually(async () => expect(await first.runner.deadLetters()).toHaveLength(1));
    await first.stop();

    // A later version delivered out of band, as Kafka could: its predecessor is read from the store.
    const gappedStream = trial.patients.get(`${trial.sites[1]}-001`)!;
    const [, gapped] = await append(store, gappedStream, trial.sites[1], [infusion(1), infusion(2)]);
    expect(await first.runner.applyBatch([gapped])).toMatchObject({ applied: 2, filled: 1 });

    const later = await append(store, poisonStream, trial.sites[0], [infusion(4)]);
    const second = await startProjection(fragile, feedOptions);
    try {
      second.notify();
      await eventually(async () => {
        const patients = (await registrySnapshot(dataSource)).patients;
        expect(patients.find((row) => row.stream_id === poisonStream)).toMatchObject({ last_stream_version: later[0].streamVersion });
      });
      const patients = (await registrySnapshot(dataSource)).patients;
      expect(patients.find((row) => row.stream_id === gappedStream)).toMatchObject({ total_events: 3 });
    } finally {
      await second.stop();
    }

    const live = await registrySnapshot(dataSource);
    const rebuilt = await rebuildProjection(fragile, store, dataSource, { logger: quiet });
    expect(rebuilt.deadLettered).toBe(1);
    expect(await registrySnapshot(dataSource)).toEqual(live);
    expect((await verifyProjection(fragile, store, dataSource, { logger: quiet })).identical).toBe(true);
  });
});
