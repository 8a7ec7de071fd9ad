import { appendInTransaction } from '@trialstream/event-store';
import { ProjectionRunner, REGISTRY_PROJECTION, StoreFeed } from '@trialstream/projections';
import type { QueryRunner } from 'typeorm';
import { enrolment, infusion, patientStream, randomization } from '@trialstream/projections/testing/patient-stories';
import { aCoordinator } from '@trialstream/domain/testing';
import { append, openProjectionHarness, tableRows, type ProjectionHarness } from './projection-harness';
import { recordTrial } from './trial-builder';
import { eventually } from '../support/eventually';

const quiet = { warn: () => undefined, error: () => undefined };

describe('feeding a projection straight from the store', () => {
  let harness: ProjectionHarness;
  let feed: StoreFeed | undefined;

  beforeAll(async () => {
    harness = await openProjectionHarness();
  });
  afterEach(async () => {
    await feed?.stop();
    feed = undefined;
  });
  afterAll(() => harness?.close());

  const startFeed = (options: { idlePollMs?: number } = {}) => {
    const runner = new ProjectionRunner(REGISTRY_PROJECTION, harness.dataSource, harness.store, { logger: quiet });
    feed = new StoreFeed(runner, harness.store, { pageSize: 7, logger: quiet, ...options });
    feed.start();
    return feed;
  };

  const patient = async (patientId: string) =>
    (await tableRows(harness.dataSource, 'registry', 'patients')).find((row) => row.patient_id === patientId);

  /** Each patient's event count in the registry equals its stream's length in the store: nothing lost, nothing twice. */
  async function expectCountsToMatchTheStore(patients: Map<string, string>) {
    for (const [patientId, streamId] of patients) {
      expect({ patientId, total: (await patient(patientId))?.total_events }).toEqual({
        patientId,
        total: await harness.store.streamVersion(streamId),
      });
    }
  }

  it('catches up with the events already stored, then follows new appends', async () => {
    const trial = await recordTrial(harness.store);
    const running = startFeed();
    await eventually(() => expectCountsToMatchTheStore(trial.patients));

    await append(harness.store, trial.patients.get(`${trial.sites[0]}-002`)!, trial.sites[0], [infusion(3)]);
    running.notify();

    await eventually(async () =>
      expect(await patient(`${trial.sites[0]}-002`)).toMatchObject({ last_event_type: 'InfusionGiven', total_events: 5 }),
    );
  });

  it('resumes from its checkpoint after a restart without losing or repeating an event', async () => {
    const trial = await recordTrial(harness.store);
    await startFeed().whenIdle();
    await feed!.stop();

    const stream = trial.patients.get(`${trial.sites[1]}-001`)!;
    await append(harness.store, stream, trial.sites[1], [randomization(), infusion(1)]);
    await append(harness.store, stream, trial.sites[1], [infusion(2)]);
    startFeed();

    await eventually(() => expectCountsToMatchTheStore(trial.patients));
  });

  it('delivers an event committed after a higher position was already applied and checkpointed', async () => {
    const running = startFeed({ idlePollMs: 20 });
    const [older, younger] = [await openTransaction(), await openTransaction()];
    try {
      await older.query('SELECT pg_current_xact_id()');
      // The younger transaction takes the lower position, the older one the higher position and commits first.
      await appendInTransaction(younger, [enrolmentAppend('OO1', '002')]);
      await appendInTransaction(older, [enrolmentAppend('OO1', '001')]);
      await older.commitTransaction();
      running.notify();
      await eventually(async () => expect(await patient('OO1-001')).toMatchObject({ status: 'enrolled' }));
      expect(await patient('OO1-002')).toBeUndefined();

      await younger.commitTransaction();
      running.notify();

      await eventually(async () => expect(await patient('OO1-002')).toMatchObject({ status: 'enrolled', total_events: 1 }));
      const [site] = (await tableRows(harness.dataSource, 'registry', 'sites')).filter((row) => row.site_id === 'OO1');
      expect(site).toMatchObject({ patients: 2, enrolled: 2 });
    } finally {
      await finish(older);
      await finish(younger);
    }
  });

  it('waits for a transaction held open instead of passing over its event', async () => {
    const running = startFeed({ idlePollMs: 20 });
    const holder = await openTransaction();
    try {
      await appendInTransaction(holder, [enrolmentAppend('HO1', '001')]);
      await append(harness.store, patientStream('HO1', '002'), 'HO1', [enrolment('HO1', '002')]);
      await running.whenIdle();
      expect(await patient('HO1-001')).toBeUndefined();

      await holder.commitTransaction();
      running.notify();

      await eventually(async () => {
        expect(await patient('HO1-001')).toMatchObject({ status: 'enrolled', total_events: 1 });
        expect(await patient('HO1-002')).toMatchObject({ status: 'enrolled', total_events: 1 });
      });
    } finally {
      await finish(holder);
    }
  });

  async function openTransaction(): Promise<QueryRunner> {
    const runner = harness.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    return runner;
  }

  async function finish(runner: QueryRunner): Promise<void> {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }

  const enrolmentAppend = (site: string, number: string) => ({
    streamId: patientStream(site, number),
    expectedVersion: 0,
    events: [enrolment(site, number)],
    siteId: site,
    actor: aCoordinator,
  });
});
