import {
  ProjectionRunner,
  REGISTRY_PROJECTION,
  StoreFeed,
  countStoreEvents,
  rebuildProjection,
  verifyProjection,
  type ReplayProgress,
} from '@trialstream/projections';
import type { QueryRunner } from 'typeorm';
import { infusion, withdrawal } from '@trialstream/projections/testing/patient-stories';
import { append, openProjectionHarness, readAllOf, registrySnapshot, type ProjectionHarness } from './projection-harness';
import { recordTrial, type RecordedTrial } from './trial-builder';

const quiet = { warn: () => undefined, error: () => undefined };

describe('rebuilding and verifying a projection from the store', () => {
  let harness: ProjectionHarness;
  let trial: RecordedTrial;
  let live: ProjectionRunner;

  beforeAll(async () => {
    harness = await openProjectionHarness();
    trial = await recordTrial(harness.store, 8);
    await readAllOf(harness.store, trial.events.length);
    live = new ProjectionRunner(REGISTRY_PROJECTION, harness.dataSource, harness.store, { logger: quiet });
  });
  afterAll(() => harness?.close());

  /** Brings the live registry up to everything the store can deliver right now. */
  const catchUpLive = () => new StoreFeed(live, harness.store, { logger: quiet }).catchUp();

  const schemasLike = async (pattern: string): Promise<string[]> =>
    (await harness.dataSource.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [pattern])).map(
      (row: { nspname: string }) => row.nspname,
    );

  it('swaps in a rebuild whose rows equal the live ones, reporting progress against the store’s size', async () => {
    await catchUpLive();
    const before = await registrySnapshot(harness.dataSource);
    const progress: ReplayProgress[] = [];

    const report = await rebuildProjection(REGISTRY_PROJECTION, harness.store, harness.dataSource, {
      pageSize: 10,
      onProgress: (step) => progress.push(step),
      logger: quiet,
    });

    expect(report).toMatchObject({
      projection: 'registry',
      schema: 'registry',
      events: trial.events.length,
      deadLettered: 0,
      carriedOver: 0,
    });
    expect(await registrySnapshot(harness.dataSource)).toEqual(before);
    expect(progress[0]).toMatchObject({ events: 0, total: trial.events.length });
    expect(progress.at(-1)).toMatchObject({ events: trial.events.length, total: trial.events.length });
    expect(progress.map((step) => step.events)).toEqual([...progress.map((step) => step.events)].sort((a, b) => a - b));
    expect(await schemasLike('registry_%')).toEqual([]);
  });

  it('keeps at the swap what the live model had applied beyond what the store’s catch-up order could replay', async () => {
    await catchUpLive();
    const streamId = trial.patients.get(`${trial.sites[0]}-002`)!;
    const horizonHolder: QueryRunner = harness.dataSource.createQueryRunner();
    await horizonHolder.connect();
    try {
      // An old transaction left open keeps every later commit out of the store's catch-up reads ...
      await horizonHolder.startTransaction();
      await horizonHolder.query('SELECT pg_current_xact_id()');
      const late = await append(harness.store, streamId, trial.sites[0], [infusion(3), withdrawal()]);
      // ... while the live model already got them, as a Kafka-fed projection would.
      await live.applyBatch(late);
      const liveRows = await registrySnapshot(harness.dataSource);

      const report = await rebuildProjection(REGISTRY_PROJECTION, harness.store, harness.dataSource, { logger: quiet });

      expect(report.carriedOver).toBe(2);
      expect(await registrySnapshot(harness.dataSource)).toEqual(liveRows);
      const [patient] = liveRows.patients.filter((row) => row.stream_id === streamId);
      expect(patient).toMatchObject({ status: 'withdrawn', total_events: 7 });
    } finally {
      if (horizonHolder.isTransactionActive) await horizonHolder.rollbackTransaction();
      await horizonHolder.release();
    }
  });

  it('finds no difference between a live model and its rebuild, and leaves no scratch schema behind', async () => {
    await catchUpLive();
    const report = await verifyProjection(REGISTRY_PROJECTION, harness.store, harness.dataSource, { logger: quiet });

    expect(report.identical).toBe(true);
    expect(report.tables.map(({ table, differences }) => ({ table, differences }))).toEqual([
      { table: 'patients', differences: [] },
      { table: 'sites', differences: [] },
    ]);
    expect(report.tables[0].liveRows).toBe(trial.patients.size);
    expect(await schemasLike('registry_%')).toEqual([]);
  });

  it('names the key of every row someone changed, removed or added in the live model', async () => {
    await catchUpLive();
    const changed = `${trial.sites[1]}-003`;
    const removedSite = trial.sites[0];
    await harness.dataSource.query(`UPDATE registry.patients SET total_events = total_events + 1 WHERE patient_id = $1`, [changed]);
    await harness.dataSource.query(`DELETE FROM registry.sites WHERE site_id = $1`, [removedSite]);
    await harness.dataSource.query(
      `INSERT INTO registry.patients SELECT 'ZZ99-001', stream_id, site_id, status, enrolled_at, last_event_type, last_event_at,
              last_stream_version, event_counts, total_events FROM registry.patients WHERE patient_id = $1`,
      [changed],
    );
    try {
      const report = await verifyProjection(REGISTRY_PROJECTION, harness.store, harness.dataSource, { logger: quiet });

      expect(report.identical).toBe(false);
      expect(report.tables).toEqual([
        expect.objectContaining({
          table: 'patients',
          differences: [
            { key: { patient_id: changed }, kind: 'changed' },
            { key: { patient_id: 'ZZ99-001' }, kind: 'extra-in-live' },
          ],
        }),
        expect.objectContaining({ table: 'sites', differences: [{ key: { site_id: removedSite }, kind: 'missing-in-live' }] }),
      ]);
    } finally {
      await rebuildProjection(REGISTRY_PROJECTION, harness.store, harness.dataSource, { logger: quiet });
    }
    expect((await verifyProjection(REGISTRY_PROJECTION, harness.store, harness.dataSource, { logger: quiet })).identical).toBe(true);
  });

  it('does not report a live model that is merely behind the store', async () => {
    await catchUpLive();
    await append(harness.store, trial.patients.get(`${trial.sites[1]}-002`)!, trial.sites[1], [infusion(3)]);
    // Readable by the replay, so only the rule "replay what the live model applied" keeps it out.
    await readAllOf(harness.store, await countStoreEvents(harness.dataSource));

    const report = await verifyProjection(REGISTRY_PROJECTION, harness.store, harness.dataSource, { logger: quiet });

    expect(report.identical).toBe(true);
  });
});
