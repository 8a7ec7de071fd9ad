import { appendInTransaction, type AppendOutcome, type PostgresEventStore } from '@trialstream/event-store';
import type { QueryRunner } from 'typeorm';
import { START_CHECKPOINT, type Checkpoint, type EventEnvelope } from '@trialstream/domain';
import { anAppend, anEvent, newPatientStream, openEventStoreHarness, type EventStoreHarness } from './event-store-harness';

describe('catch-up reading of the whole log', () => {
  let harness: EventStoreHarness;
  let store: PostgresEventStore;
  beforeAll(async () => {
    harness = await openEventStoreHarness();
    store = harness.store();
  });
  afterAll(() => harness?.close());

  /** Everything readable after `after` right now, following checkpoints page by page. */
  async function readNow(after: Checkpoint): Promise<{ events: EventEnvelope[]; checkpoint: Checkpoint }> {
    const events: EventEnvelope[] = [];
    let checkpoint = after;
    for (;;) {
      const page = await store.readAll(checkpoint, 50);
      if (page.events.length === 0) return { events, checkpoint };
      events.push(...page.events);
      checkpoint = page.checkpoint;
    }
  }

  /** Polls until `count` events of `streams` arrived: other suites' open transactions hold the horizon back too. */
  async function readStreamsEventually(after: Checkpoint, streams: string[], count: number): Promise<EventEnvelope[]> {
    const seen: EventEnvelope[] = [];
    let checkpoint = after;
    for (const deadline = Date.now() + 15000; Date.now() < deadline;) {
      const page = await readNow(checkpoint);
      seen.push(...page.events.filter((event) => streams.includes(event.streamId)));
      checkpoint = page.checkpoint;
      if (seen.length >= count) return seen;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`only ${seen.length} of ${count} events became readable`);
  }

  async function openTransaction(): Promise<QueryRunner> {
    const runner = harness.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    return runner;
  }

  async function finish(runner: QueryRunner) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }

  const firstEvent = (outcome: AppendOutcome) => {
    if (outcome.status !== 'appended') throw new Error(`expected an append, got ${outcome.status}`);
    return outcome.events[0];
  };

  it('withholds a later commit while an earlier position is uncommitted, then delivers both to a reader that checkpointed in between', async () => {
    const [early, late] = [newPatientStream(), newPatientStream()];
    const holder = await openTransaction();
    try {
      const [heldOutcome] = await appendInTransaction(holder, [anAppend({ streamId: early })]);
      const lateEvent = firstEvent(await store.append(anAppend({ streamId: late })));
      expect(BigInt(lateEvent.globalPosition)).toBeGreaterThan(BigInt(firstEvent(heldOutcome).globalPosition));

      let checkpoint = START_CHECKPOINT;
      for (let read = 0; read < 5; read++) {
        const page = await readNow(checkpoint);
        expect(page.events.filter((event) => [early, late].includes(event.streamId))).toEqual([]);
        checkpoint = page.checkpoint;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }

      await holder.commitTransaction();
      const delivered = await readStreamsEventually(checkpoint, [early, late], 2);
      expect(delivered.map((event) => event.streamId)).toEqual([early, late]);
    } finally {
      await finish(holder);
    }
  });

  it('orders by writing transaction, so an older transaction committing a higher position is not passed over', async () => {
    const [older, younger] = [newPatientStream(), newPatientStream()];
    const { checkpoint } = await readNow(START_CHECKPOINT);
    const holder = await openTransaction();
    try {
      await holder.query('SELECT pg_current_xact_id()');
      const youngerEvent = firstEvent(await store.append(anAppend({ streamId: younger })));
      const olderEvent = firstEvent((await appendInTransaction(holder, [anAppend({ streamId: older })]))[0]);
      expect(BigInt(olderEvent.globalPosition)).toBeGreaterThan(BigInt(youngerEvent.globalPosition));
      const between = await readNow(checkpoint);
      expect(between.events.filter((event) => [older, younger].includes(event.streamId))).toEqual([]);

      await holder.commitTransaction();
      const delivered = await readStreamsEventually(between.checkpoint, [older, younger], 2);

      expect(delivered.map((event) => event.streamId)).toEqual([older, younger]);
      expect(BigInt(delivered[0].transactionId)).toBeLessThan(BigInt(delivered[1].transactionId));
    } finally {
      await finish(holder);
    }
  });

  it('delivers a lower position committed after a higher one was already read and checkpointed', async () => {
    const [first, second] = [newPatientStream(), newPatientStream()];
    const { checkpoint } = await readNow(START_CHECKPOINT);
    const olderTransaction = await openTransaction();
    const youngerTransaction = await openTransaction();
    try {
      await olderTransaction.query('SELECT pg_current_xact_id()');
      const [lower] = await appendInTransaction(youngerTransaction, [anAppend({ streamId: second })]);
      const [higher] = await appendInTransaction(olderTransaction, [anAppend({ streamId: first })]);
      expect(BigInt(firstEvent(lower).globalPosition)).toBeLessThan(BigInt(firstEvent(higher).globalPosition));
      await olderTransaction.commitTransaction();

      const [readFirst] = await readStreamsEventually(checkpoint, [first], 1);
      const afterFirst = { transactionId: readFirst.transactionId, globalPosition: readFirst.globalPosition };
      await youngerTransaction.commitTransaction();

      const delivered = await readStreamsEventually(afterFirst, [first, second], 1);
      expect(delivered.map((event) => event.streamId)).toEqual([second]);
    } finally {
      await finish(olderTransaction);
      await finish(youngerTransaction);
    }
  });

  it('never delivers an event of a rolled-back transaction', async () => {
    const [abandoned, kept] = [newPatientStream(), newPatientStream()];
    const { checkpoint } = await readNow(START_CHECKPOINT);
    const holder = await openTransaction();
    try {
      await appendInTransaction(holder, [anAppend({ streamId: abandoned })]);
      await store.append(anAppend({ streamId: kept }));
      await holder.rollbackTransaction();
    } finally {
      await finish(holder);
    }
    const delivered = await readStreamsEventually(checkpoint, [abandoned, kept], 1);
    expect(delivered.map((event) => event.streamId)).toEqual([kept]);
  });

  it('resumes page after page from its checkpoint without losing or repeating an event', async () => {
    const streams = Array.from({ length: 5 }, () => newPatientStream());
    const { checkpoint } = await readNow(START_CHECKPOINT);
    await Promise.all(
      streams.map((streamId) =>
        store.append(anAppend({ streamId, events: Array.from({ length: 5 }, (_, i) => anEvent({ data: { visit: i } })) })),
      ),
    );

    const pages: EventEnvelope[][] = [];
    let next = checkpoint;
    for (const deadline = Date.now() + 15000; pages.flat().length < 25 && Date.now() < deadline;) {
      const page = await store.readAll(next, 7);
      expect(page.events.length).toBeLessThanOrEqual(7);
      if (page.events.length > 0) pages.push(page.events);
      next = page.checkpoint;
    }

    const ids = pages.flat().map((event) => event.eventId);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    for (const streamId of streams) {
      const versions = pages
        .flat()
        .filter((event) => event.streamId === streamId)
        .map((event) => event.streamVersion);
      expect(versions).toEqual([1, 2, 3, 4, 5]);
    }
  });
});
