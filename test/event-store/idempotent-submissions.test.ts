import { appendInTransaction } from '@trialstream/event-store';
import {
  aSubmission,
  anAppend,
  countByStatus,
  newPatientStream,
  openEventStoreHarness,
  type EventStoreHarness,
  someoneWaitsBehind,
} from './event-store-harness';

describe('resubmitting a client-chosen submission id', () => {
  let harness: EventStoreHarness;
  beforeAll(async () => {
    harness = await openEventStoreHarness();
  });
  afterAll(() => harness?.close());

  const storedEventsOf = async (streamId: string) => (await harness.store().readStream(streamId)).length;

  it('returns the original response and stores nothing new when a site retries', async () => {
    const store = harness.store();
    const streamId = newPatientStream();
    const submission = aSubmission();

    const first = await store.append(anAppend({ streamId, submission }));
    const retry = await store.append(anAppend({ streamId, submission: { ...submission, response: { other: true } } }));

    expect(first.status).toBe('appended');
    expect(retry).toEqual({ status: 'duplicate', response: submission.response, requestHashMatches: true });
    expect(await storedEventsOf(streamId)).toBe(1);
  });

  it('answers a retry with the original response although the stream has moved on since', async () => {
    const store = harness.store();
    const streamId = newPatientStream();
    const submission = aSubmission();
    await store.append(anAppend({ streamId, submission }));
    await store.append(anAppend({ streamId, expectedVersion: 1 }));

    const retry = await store.append(anAppend({ streamId, expectedVersion: 0, submission }));

    expect(retry).toEqual({ status: 'duplicate', response: submission.response, requestHashMatches: true });
    expect(await storedEventsOf(streamId)).toBe(2);
  });

  it('reports a reused id whose request differs, still with the original response', async () => {
    const store = harness.store();
    const streamId = newPatientStream();
    const submission = aSubmission();
    await store.append(anAppend({ streamId, submission }));

    const reused = await store.append(
      anAppend({ streamId, expectedVersion: 1, submission: { ...submission, requestHash: 'sha256-of-another-body' } }),
    );

    expect(reused).toEqual({ status: 'duplicate', response: submission.response, requestHashMatches: false });
    expect(await storedEventsOf(streamId)).toBe(1);
  });

  it('builds the stored response from the appended events, so a retry learns the event ids', async () => {
    const store = harness.store();
    const streamId = newPatientStream();
    const submission = aSubmission(undefined, {
      response: (events: Array<{ eventId: string; streamVersion: number }>) => ({
        eventIds: events.map((e) => e.eventId),
        version: events[events.length - 1].streamVersion,
      }),
    });

    const first = await store.append(anAppend({ streamId, submission }));
    const retry = await store.append(anAppend({ streamId, submission }));

    if (first.status !== 'appended') throw new Error(`expected an append, got ${first.status}`);
    expect(first.response).toEqual({ eventIds: [first.events[0].eventId], version: 1 });
    expect(retry).toEqual({ status: 'duplicate', response: first.response, requestHashMatches: true });
  });

  it('finds a stored submission before anything is decided again, and nothing under an unused id', async () => {
    const store = harness.store();
    const submission = aSubmission();
    await store.append(anAppend({ streamId: newPatientStream(), submission }));

    expect(await store.findSubmission(submission.scope, submission.id)).toEqual({
      requestHash: submission.requestHash,
      response: submission.response,
    });
    expect(await store.findSubmission(submission.scope, 'never-used')).toBeNull();
    expect(await store.findSubmission('another-scope', submission.id)).toBeNull();
  });

  it('keeps ids of different scopes apart', async () => {
    const store = harness.store();
    const id = 'visit-3-vitals';
    const outcomes = await Promise.all([
      store.append(anAppend({ submission: aSubmission(id, { scope: 'site-101' }) })),
      store.append(anAppend({ submission: aSubmission(id, { scope: 'site-202' }) })),
    ]);
    expect(countByStatus(outcomes)).toEqual({ appended: 2 });
  });

  it.each([
    ['in one group commit', 1],
    ['in racing transactions of separate stores', 10],
  ])('stores one event when identical submissions race %s', async (_case, storeCount) => {
    const streamId = newPatientStream();
    const submission = aSubmission();
    const stores = Array.from({ length: storeCount }, () => harness.store());

    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => stores[i % storeCount].append(anAppend({ streamId, submission }))),
    );

    expect(countByStatus(outcomes)).toEqual({ appended: 1, duplicate: 9 });
    for (const outcome of outcomes.filter((o) => o.status === 'duplicate')) {
      expect(outcome).toEqual({ status: 'duplicate', response: submission.response, requestHashMatches: true });
    }
    expect(await storedEventsOf(streamId)).toBe(1);
  });

  it('lets the unique key decide between two stores submitting the same id to different streams', async () => {
    const submission = aSubmission();
    const [a, b] = [newPatientStream(), newPatientStream()];
    const holder = harness.dataSource.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      const [held] = await appendInTransaction(holder, [anAppend({ streamId: a, submission })]);
      expect(held.status).toBe('appended');
      const racer = harness.store();
      const racing = racer.append(anAppend({ streamId: b, submission }));
      await someoneWaitsBehind(holder);
      await holder.commitTransaction();

      expect(await racing).toEqual({ status: 'duplicate', response: submission.response, requestHashMatches: true });
      expect(racer.groupCommitStats.retries).toBe(1);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    expect(await storedEventsOf(a)).toBe(1);
    expect(await storedEventsOf(b)).toBe(0);
  });

  it('answers a resubmission that waited for the stream behind the original as a duplicate, not a conflict', async () => {
    const streamId = newPatientStream();
    await harness.store().append(anAppend({ streamId }));
    const submission = aSubmission();
    const holder = harness.dataSource.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      const [held] = await appendInTransaction(holder, [anAppend({ streamId, expectedVersion: 1, submission })]);
      expect(held.status).toBe('appended');
      const racer = harness.store();
      // Waits for the head the holder has locked; its statement's snapshot predates the holder's commit.
      const racing = racer.append(anAppend({ streamId, expectedVersion: 1, submission }));
      await someoneWaitsBehind(holder);
      await holder.commitTransaction();

      expect(await racing).toEqual({ status: 'duplicate', response: submission.response, requestHashMatches: true });
      expect(racer.groupCommitStats.retries).toBe(0);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    expect(await storedEventsOf(streamId)).toBe(2);
  });

  it('does not remember a submission whose append was a conflict, so the corrected retry is accepted', async () => {
    const store = harness.store();
    const streamId = newPatientStream();
    await store.append(anAppend({ streamId }));
    const submission = aSubmission();

    const stale = await store.append(anAppend({ streamId, expectedVersion: 0, submission }));
    const corrected = await store.append(anAppend({ streamId, expectedVersion: 1, submission }));

    expect(stale).toEqual({ status: 'conflict', expectedVersion: 0, actualVersion: 1 });
    expect(corrected.status).toBe('appended');
  });
});
