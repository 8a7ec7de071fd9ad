import { InvalidAppendRequestError } from '@trialstream/event-store';
import {
  aSubmission,
  anAppend,
  anEvent,
  countByStatus,
  newPatientStream,
  openEventStoreHarness,
  type EventStoreHarness,
} from './event-store-harness';
import { waitUntil } from '../support/eventually';

describe('group commit of concurrent appends', () => {
  let harness: EventStoreHarness;
  beforeAll(async () => {
    harness = await openEventStoreHarness();
  });
  afterAll(() => harness?.close());

  it('tells in-process listeners after each commit until they unsubscribe', async () => {
    const store = harness.store();
    let calls = 0;
    const unsubscribe = store.onCommitted(() => calls++);
    // The first signal says the store now listens for other processes' commits (commit-notifications.test.ts).
    await waitUntil(() => calls === 1, 10_000, 'the signal that listening started');
    const streamId = newPatientStream();
    await store.append(anAppend({ streamId }));
    expect(calls).toBe(2);
    unsubscribe();
    await store.append(anAppend({ streamId, expectedVersion: 1 }));
    expect(calls).toBe(2);
  });

  it('commits 200 concurrent appends to 200 patients in fewer transactions, each with its own outcome', async () => {
    const store = harness.store();
    const streams = Array.from({ length: 200 }, () => newPatientStream());

    const outcomes = await Promise.all(
      streams.map((streamId, patient) => store.append(anAppend({ streamId, events: [anEvent({ data: { patient } })] }))),
    );

    expect(countByStatus(outcomes)).toEqual({ appended: 200 });
    outcomes.forEach((outcome, patient) => {
      if (outcome.status !== 'appended') throw new Error('not appended');
      expect(outcome.streamVersion).toBe(1);
      expect(outcome.events).toHaveLength(1);
      expect(outcome.events[0]).toMatchObject({ streamId: streams[patient], streamVersion: 1, data: { patient } });
    });
    expect(store.groupCommitStats.committedTransactions).toBeLessThan(200);
    expect(store.groupCommitStats.largestBatch).toBeGreaterThan(1);
    const stored = await Promise.all(streams.map((streamId) => store.readStream(streamId)));
    expect(stored.map((events) => events.map((event) => event.data))).toEqual(streams.map((_, patient) => [{ patient }]));
  });

  it('keeps batches at the configured size', async () => {
    const store = harness.store({ groupCommit: { maxBatchSize: 16 } });

    await Promise.all(Array.from({ length: 100 }, () => store.append(anAppend())));

    expect(store.groupCommitStats.largestBatch).toBe(16);
    expect(store.groupCommitStats.committedTransactions).toBeGreaterThanOrEqual(Math.ceil(100 / 16));
  });

  it('gives each request of one mixed batch its own outcome, as if committed one after another', async () => {
    const store = harness.store();
    const [existing, fresh, other] = [newPatientStream(), newPatientStream(), newPatientStream()];
    await store.append(anAppend({ streamId: existing, events: [anEvent(), anEvent()] }));
    const before = store.groupCommitStats.committedTransactions;
    const submission = aSubmission();

    const outcomes = await store.appendBatch([
      anAppend({ streamId: existing, expectedVersion: 2 }),
      anAppend({ streamId: existing, expectedVersion: 2 }),
      anAppend({ streamId: existing, expectedVersion: 3 }),
      anAppend({ streamId: fresh, expectedVersion: 4 }),
      anAppend({ streamId: other, expectedVersion: 0, submission }),
      anAppend({ streamId: other, expectedVersion: 1, submission: { ...submission, requestHash: 'another-body' } }),
    ]);

    expect(outcomes.map((outcome) => (outcome.status === 'appended' ? { appended: outcome.streamVersion } : outcome))).toEqual([
      { appended: 3 },
      { status: 'conflict', expectedVersion: 2, actualVersion: 3 },
      { appended: 4 },
      { status: 'conflict', expectedVersion: 4, actualVersion: 0 },
      { appended: 1 },
      { status: 'duplicate', response: submission.response, requestHashMatches: false },
    ]);
    expect(store.groupCommitStats.committedTransactions).toBe(before + 1);
    expect((await store.readStream(existing)).map((event) => event.streamVersion)).toEqual([1, 2, 3, 4]);
    expect(await store.streamVersion(fresh)).toBe(0);
    expect(await store.readStream(other)).toHaveLength(1);
  });

  it('fails only the request the database refuses, and still commits the rest', async () => {
    const store = harness.store();
    const [good, refused, alsoGood] = [newPatientStream(), newPatientStream(), newPatientStream()];

    const settled = await Promise.allSettled([
      store.append(anAppend({ streamId: good })),
      // A lone surrogate is valid JavaScript but not text PostgreSQL's jsonb accepts.
      store.append(anAppend({ streamId: refused, events: [anEvent({ data: { note: '\ud800' } })] })),
      store.append(anAppend({ streamId: alsoGood })),
    ]);

    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await store.streamVersion(good)).toBe(1);
    expect(await store.streamVersion(refused)).toBe(0);
    expect(await store.streamVersion(alsoGood)).toBe(1);
  });

  it('rejects a malformed request before it can join a batch', async () => {
    const store = harness.store();
    const valid = store.append(anAppend());
    const malformed = store.append(anAppend({ events: [anEvent({ occurredAt: 'last Tuesday' })] }));

    await expect(malformed).rejects.toThrow(InvalidAppendRequestError);
    await expect(malformed).rejects.toThrow(/occurredAt/);
    await expect(valid).resolves.toMatchObject({ status: 'appended' });
  });
});
