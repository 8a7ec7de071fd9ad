import { START_CHECKPOINT, type Checkpoint, type EventEnvelope } from '@trialstream/domain';
import { PostgresEventStore } from '@trialstream/event-store';
import { encodeEvent, KafkaEventPublisher, type EncodedEvent, chunksWithin } from '@trialstream/messaging';
import { Partitioners } from 'kafkajs';
import { Relay } from '../apps/relay/src/relay';
import { PostgresRelayCheckpoints } from '../apps/relay/src/relay-checkpoints';
import { relayEnds } from '../apps/relay/src/relay-ends';
import type { BenchDatabase } from './bench-database';
import type { BenchKafka } from './bench-kafka';
import type { MemoryRecorder } from './memory';
import type { BenchParameters } from './parameters';
import { progress } from './progress';
import { ratio, timed, type Throughput } from './stats';

export interface RelayPublishResults {
  method: string;
  relay: Throughput & { page_size: number; pages: number };
  raw_kafkajs_produce: Throughput & { produce_requests: number };
  ratios: { relay_vs_raw_kafkajs_produce: number };
}

const METHOD =
  'relay: the Relay class with a real KafkaEventPublisher and PostgreSQL checkpoints catching up the pre-filled ' +
  'store from the start, with the log and sink RelayModule uses but no field sealer (each event read as the JSON ' +
  'PostgreSQL writes of its envelope and sent as it is; the next page read, and the last checkpoint stored, while a ' +
  'page is published; includes producer connect and topic check); raw_kafkajs_produce: a bare kafkajs idempotent ' +
  'producer (acks all, one request in flight, murmur2 partitioner) sending the same events in the same pages to a ' +
  "topic with the same partitions, encoded beforehand by JSON.stringify (about 2% smaller than the relay's, whose " +
  'data keeps jsonb spacing); includes connect.';

/** Same byte bound as the publisher, so both sides send the same produce requests. */
const MAX_SEND_BYTES = 768 * 1024;

async function storePages(store: PostgresEventStore, pageSize: number): Promise<EncodedEvent[][]> {
  const pages: EncodedEvent[][] = [];
  let checkpoint: Checkpoint = START_CHECKPOINT;
  for (;;) {
    const page: { events: EventEnvelope[]; checkpoint: Checkpoint } = await store.readAll(checkpoint, pageSize);
    if (page.events.length === 0) return pages;
    pages.push(page.events.map(encodeEvent));
    checkpoint = page.checkpoint;
  }
}

async function relayCatchUp(db: BenchDatabase, kafka: BenchKafka, topic: string, events: number, pageSize: number) {
  const publisher = new KafkaEventPublisher({
    brokers: kafka.brokers,
    topic,
    partitions: kafka.partitions,
    clientId: 'trialstream-bench-relay',
  });
  // As RelayModule builds it, the sealer aside: events read and published as the JSON of their envelopes, as stored.
  const relay = new Relay(
    { ...relayEnds(new PostgresEventStore(db.dataSource), publisher), checkpoints: new PostgresRelayCheckpoints(db.dataSource) },
    { name: topic, pageSize },
  );
  try {
    const result = await timed(events, async () => {
      relay.start();
      await relay.caughtUp();
    });
    const { eventsPublished, pagesPublished } = relay.metrics;
    if (eventsPublished !== events) throw new Error(`the relay published ${eventsPublished} of ${events} events`);
    return { ...result, page_size: pageSize, pages: pagesPublished };
  } finally {
    await relay.stop();
    await publisher.close();
  }
}

async function rawProduce(kafka: BenchKafka, topic: string, pages: EncodedEvent[][], events: number) {
  const producer = kafka.rawClient('trialstream-bench-raw-producer').producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  let requests = 0;
  try {
    const result = await timed(events, async () => {
      await producer.connect();
      for (const page of pages) {
        for (const messages of chunksWithin(page, MAX_SEND_BYTES)) {
          await producer.send({ topic, acks: -1, messages });
          requests += 1;
        }
      }
    });
    return { ...result, produce_requests: requests };
  } finally {
    await producer.disconnect();
  }
}

/**
 * The relay draining the whole store into a fresh topic, and raw kafkajs producing the same messages beside it.
 * Returns the relay's topic too: the Kafka-fed projection phase consumes it.
 */
export async function measureRelayPublish(
  db: BenchDatabase,
  kafka: BenchKafka,
  params: BenchParameters,
  memory: MemoryRecorder,
): Promise<{ results: RelayPublishResults; relayTopic: string }> {
  const [{ events }] = await db.dataSource.query(`SELECT count(*)::int AS events FROM event_store.events`);
  const relayTopic = await kafka.createTopic('relay');
  progress(`relay: publishing ${events} stored events to ${relayTopic}`);
  const relay = await memory.during('relay_publish', () => relayCatchUp(db, kafka, relayTopic, events, params.relayPageSize));

  const pages = await storePages(new PostgresEventStore(db.dataSource), params.relayPageSize);
  const rawTopic = await kafka.createTopic('raw-produce');
  progress(`raw kafkajs: producing the same ${events} messages to ${rawTopic}`);
  const raw = await memory.during('raw_kafkajs_produce', () => rawProduce(kafka, rawTopic, pages, events));
  return {
    results: { method: METHOD, relay, raw_kafkajs_produce: raw, ratios: { relay_vs_raw_kafkajs_produce: ratio(relay, raw) } },
    relayTopic,
  };
}
