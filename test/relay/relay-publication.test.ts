import { EVENT_CONTENT_TYPE, startEventConsumer, type RunningConsumer } from '@trialstream/messaging';
import type { EventEnvelope } from '@trialstream/domain';
import { anEvent, newPatientStream } from '../event-store/event-store-harness';
import { TopicReader, type TopicMessage } from '../messaging/kafka-test-kit';
import { TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';
import { isInStoreOrder, openRelayHarness, type RelayHarness } from './relay-harness';
import { waitUntil } from '../support/eventually';

const STREAMS = 6;
const EVENTS_PER_STREAM = 5;
const TOTAL = STREAMS * EVENTS_PER_STREAM;

describe('relay publication to Kafka', () => {
  let harness: RelayHarness;
  let streams: string[];
  let stored: EventEnvelope[];
  let messages: TopicMessage[];
  let reader: TopicReader;

  beforeAll(async () => {
    harness = await openRelayHarness({ partitions: 3 });
    streams = Array.from({ length: STREAMS }, () => newPatientStream());
    // One event per stream and round, so that streams interleave in the store as they would at busy sites.
    for (let round = 1; round <= EVENTS_PER_STREAM; round++) {
      await Promise.all(
        streams.map((streamId) =>
          harness.store.append({
            streamId,
            expectedVersion: round - 1,
            events: [anEvent({ data: { visit: round } })],
            siteId: 'site-101',
            actor: { userId: 'coordinator-101-a', role: 'site_coordinator' },
          }),
        ),
      );
    }
    // A page smaller than the log, so publication spans several pages and checkpoints.
    const relay = harness.startRelay({ pageSize: 7 });
    await waitUntil(
      () => relay.metrics.eventsPublished >= TOTAL,
      30_000,
      () => `${TOTAL} events published`,
    );
    stored = await harness.storedEvents();
    reader = await TopicReader.start(harness.topic);
    messages = await reader.received(TOTAL);
  });
  afterAll(async () => {
    await reader?.stop();
    await harness?.close();
  });

  it('publishes every committed event exactly as stored, keyed by its stream, with type, version, id and position in headers', () => {
    expect(stored).toHaveLength(TOTAL);
    expect(messages).toHaveLength(TOTAL);
    const storedById = new Map(stored.map((event) => [event.eventId, event]));
    for (const message of messages) {
      const envelope = JSON.parse(message.value!) as EventEnvelope;
      expect(envelope).toEqual(storedById.get(envelope.eventId));
      expect(message.key).toBe(envelope.streamId);
      expect(message.headers).toEqual({
        'content-type': EVENT_CONTENT_TYPE,
        'event-type': envelope.type,
        'schema-version': String(envelope.schemaVersion),
        'event-id': envelope.eventId,
        'global-position': envelope.globalPosition,
      });
    }
    expect(new Set(messages.map((m) => JSON.parse(m.value!).eventId))).toEqual(new Set(storedById.keys()));
  });

  it('keeps store order within each partition and puts each stream in one partition', () => {
    for (let partition = 0; partition < harness.partitions; partition++) {
      const inPartition = messages.filter((m) => m.partition === partition).map((m) => JSON.parse(m.value!) as EventEnvelope);
      expect(isInStoreOrder(inPartition)).toBe(true);
    }
    for (const streamId of streams) {
      expect(new Set(messages.filter((m) => m.key === streamId).map((m) => m.partition)).size).toBe(1);
    }
  });

  it('stores the checkpoint of the last published event', async () => {
    const last = stored[stored.length - 1];
    const [row] = await harness.dataSource.query(
      `SELECT transaction_id::text AS "transactionId", global_position::text AS "globalPosition" FROM relay.checkpoints WHERE name = $1`,
      [harness.topic],
    );
    expect(row).toEqual({ transactionId: last.transactionId, globalPosition: last.globalPosition });
  });

  it("lets a consumer of the topic receive each stream's events in stream-version order", async () => {
    const received: EventEnvelope[] = [];
    let consumer: RunningConsumer | undefined;
    try {
      consumer = await startEventConsumer({
        brokers: TEST_KAFKA_BROKERS,
        topic: harness.topic,
        partitions: harness.partitions,
        groupId: uniqueTopic('projection'),
        clientId: 'relay-publication-test',
        onBatch: async (batch) => void received.push(...batch.events),
      });
      await waitUntil(
        () => received.length >= TOTAL,
        30_000,
        () => `${TOTAL} events consumed (got ${received.length})`,
      );
    } finally {
      await consumer?.stop();
    }

    for (const streamId of streams) {
      const versions = received.filter((event) => event.streamId === streamId).map((event) => event.streamVersion);
      expect(versions).toEqual([1, 2, 3, 4, 5]);
    }
  });
});
