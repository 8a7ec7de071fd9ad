import { randomUUID } from 'node:crypto';
import { appendInTransaction } from '@trialstream/event-store';
import { anAppend, newPatientStream, openEventStoreHarness, type EventStoreHarness } from './event-store-harness';

/** An append conditioned on another stream, as patient data is on the trial stream that a lock closes. */
describe('appends conditioned on another stream', () => {
  let harness: EventStoreHarness;
  beforeAll(async () => {
    harness = await openEventStoreHarness();
  });
  afterAll(() => harness?.close());

  const newTrialStream = () => `trial-${randomUUID().slice(0, 8)}`;

  it('appends while the other stream is still at the stated version, also when it does not exist yet', async () => {
    const store = harness.store();
    const trial = newTrialStream();
    const outcome = await store.append(anAppend({ condition: { streamId: trial, version: 0 } }));
    expect(outcome.status).toBe('appended');
  });

  it('refuses, storing nothing, once the other stream has moved on', async () => {
    const store = harness.store();
    const trial = newTrialStream();
    await store.append(anAppend({ streamId: trial }));
    const streamId = newPatientStream();

    const outcome = await store.append(anAppend({ streamId, condition: { streamId: trial, version: 0 } }));

    expect(outcome).toEqual({ status: 'conflict', expectedVersion: 0, actualVersion: 1, conditionStreamId: trial });
    expect(await store.readStream(streamId)).toEqual([]);
  });

  it('waits for a writer of the other stream that has not committed yet, then sees its new version', async () => {
    const store = harness.store();
    const trial = newTrialStream();
    const runner = harness.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const [locking] = await appendInTransaction(runner, [anAppend({ streamId: trial })]);
      expect(locking.status).toBe('appended');

      const streamId = newPatientStream();
      let settled = false;
      const conditioned = store.append(anAppend({ streamId, condition: { streamId: trial, version: 0 } })).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);

      await runner.commitTransaction();
      expect(await conditioned).toMatchObject({ status: 'conflict', conditionStreamId: trial, actualVersion: 1 });
      expect(await store.readStream(streamId)).toEqual([]);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('lets conditioned appends of many patients go on together: share locks do not block each other', async () => {
    const store = harness.store();
    const trial = newTrialStream();
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () => store.append(anAppend({ condition: { streamId: trial, version: 0 } }))),
    );
    expect(outcomes.every((outcome) => outcome.status === 'appended')).toBe(true);
  });
});
