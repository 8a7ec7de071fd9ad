import { appendInTransaction, type AppendOutcome } from '@trialstream/event-store';
import {
  anAppend,
  anEvent,
  countByStatus,
  newPatientStream,
  openEventStoreHarness,
  type EventStoreHarness,
  someoneWaitsBehind,
} from './event-store-harness';

describe('concurrent appends to one patient stream', () => {
  let harness: EventStoreHarness;
  beforeAll(async () => {
    harness = await openEventStoreHarness();
  });
  afterAll(() => harness?.close());

  async function expectGaplessStream(streamId: string, length: number) {
    const events = await harness.store().readStream(streamId);
    expect(events.map((event) => event.streamVersion)).toEqual(Array.from({ length }, (_, i) => i + 1));
    expect(await harness.store().streamVersion(streamId)).toBe(length);
  }

  it.each([
    ['a new stream, through one store (one group commit)', 0, 1],
    ['a new stream, through 50 stores (50 racing transactions)', 0, 50],
    ['an existing stream, through one store (one group commit)', 1, 1],
    ['an existing stream, through 50 stores (50 racing transactions)', 1, 50],
  ])('lets exactly one of 50 writers at the same expected version win on %s', async (_case, expectedVersion, storeCount) => {
    const streamId = newPatientStream();
    if (expectedVersion > 0) await harness.store().append(anAppend({ streamId, expectedVersion: 0 }));
    const stores = Array.from({ length: storeCount }, () => harness.store());

    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, writer) =>
        stores[writer % storeCount].append(anAppend({ streamId, expectedVersion, events: [anEvent({ data: { writer } })] })),
      ),
    );

    expect(countByStatus(outcomes)).toEqual({ appended: 1, conflict: 49 });
    for (const outcome of outcomes.filter((o) => o.status === 'conflict')) {
      expect(outcome).toEqual({ status: 'conflict', expectedVersion, actualVersion: expectedVersion + 1 });
    }
    await expectGaplessStream(streamId, expectedVersion + 1);
  });

  it('makes a writer that waited behind an open transaction report a conflict, not overwrite it', async () => {
    const streamId = newPatientStream();
    await harness.store().append(anAppend({ streamId }));
    const holder = harness.dataSource.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      const [held] = await appendInTransaction(holder, [anAppend({ streamId, expectedVersion: 1 })]);
      expect(held.status).toBe('appended');

      let waiting: AppendOutcome | undefined;
      const waiter = harness
        .store()
        .append(anAppend({ streamId, expectedVersion: 1 }))
        .then((o) => (waiting = o));
      await someoneWaitsBehind(holder);
      expect(waiting).toBeUndefined();

      await holder.commitTransaction();
      await waiter;
      expect(waiting).toEqual({ status: 'conflict', expectedVersion: 1, actualVersion: 2 });
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    await expectGaplessStream(streamId, 2);
  });

  it('keeps versions gapless when many writers each retry on conflict until they succeed', async () => {
    const streamId = newPatientStream();
    const store = harness.store();
    const writeUntilAccepted = async (writer: number) => {
      for (;;) {
        const version = await store.streamVersion(streamId);
        const outcome = await store.append(anAppend({ streamId, expectedVersion: version, events: [anEvent({ data: { writer } })] }));
        if (outcome.status === 'appended') return outcome.streamVersion;
      }
    };

    const versions = await Promise.all(Array.from({ length: 20 }, (_, writer) => writeUntilAccepted(writer)));

    expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await expectGaplessStream(streamId, 20);
    expect((await store.verifyIntegrity()).ok).toBe(true);
  });
});
