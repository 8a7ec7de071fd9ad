import { appendInTransaction, type AppendOutcome } from '@trialstream/event-store';
import type { EventEnvelope } from '@trialstream/domain';
import { anAppend, newPatientStream } from '../event-store/event-store-harness';
import { TopicReader } from '../messaging/kafka-test-kit';
import { openRelayHarness, type RelayHarness } from './relay-harness';
import { waitUntil } from '../support/eventually';

const appended = (outcome: AppendOutcome): EventEnvelope[] => {
  if (outcome.status !== 'appended') throw new Error(`expected an append, got ${outcome.status}`);
  return outcome.events;
};

describe('relay and transactions that commit out of order', () => {
  let harness: RelayHarness;
  beforeAll(async () => {
    // One partition: the topic's order is then the order the relay published in.
    harness = await openRelayHarness({ partitions: 1 });
  });
  afterAll(() => harness?.close());

  it('publishes nothing past an event whose transaction is still open, then publishes it and every later one', async () => {
    const relay = harness.startRelay({ idlePollMs: 20 });
    const holder = harness.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      const [early, ...later] = [newPatientStream(), newPatientStream(), newPatientStream()];
      const [held] = appended((await appendInTransaction(holder, [anAppend({ streamId: early })]))[0]);
      const committed: EventEnvelope[] = [];
      for (const streamId of later) committed.push(...appended(await harness.store.append(anAppend({ streamId }))));
      expect(committed.every((event) => BigInt(event.globalPosition) > BigInt(held.globalPosition))).toBe(true);

      // The later events are committed and the relay keeps looking, yet it must not pass the open transaction.
      const readsBefore = relay.metrics.reads;
      await waitUntil(
        () => relay.metrics.reads >= readsBefore + 10,
        10_000,
        () => 'ten more relay reads',
      );
      expect(relay.metrics.eventsPublished).toBe(0);

      await holder.commitTransaction();
      await waitUntil(
        () => relay.metrics.eventsPublished >= 3,
        30_000,
        () => 'the three events published',
      );

      const reader = await TopicReader.start(harness.topic);
      try {
        const messages = await reader.received(3);
        const published = messages.map((message) => JSON.parse(message.value!) as EventEnvelope);
        expect(published.map((event) => event.eventId)).toEqual([held, ...committed].map((event) => event.eventId));
      } finally {
        await reader.stop();
      }
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  });
});
