import { createKafka } from '@trialstream/messaging';
import { Admin, Consumer, Kafka, Partitioners, Producer } from 'kafkajs';
import { assertKafkaReachable, TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';
import { waitUntil } from '../support/eventually';

interface Received {
  key: string;
  value: string;
  partition: number;
}

const PATIENTS = Array.from({ length: 12 }, (_, i) => `patient-${String(i + 1).padStart(3, '0')}`);
const EVENTS_PER_PATIENT = 25;
const PARTITIONS = 3;

function eventValue(patient: string, sequence: number): string {
  return JSON.stringify({ patient, sequence });
}

/** Interleaves patients the way a busy store would: one event of each, then the next round. */
function producedInStoreOrder(): { key: string; value: string }[] {
  const messages: { key: string; value: string }[] = [];
  for (let sequence = 1; sequence <= EVENTS_PER_PATIENT; sequence++) {
    for (const patient of PATIENTS) messages.push({ key: patient, value: eventValue(patient, sequence) });
  }
  return messages;
}

describe('Kafka round trip through the broker scripts/kafka.sh starts', () => {
  const topic = uniqueTopic('roundtrip');
  const sent = producedInStoreOrder();
  const received: Received[] = [];
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer;

  beforeAll(async () => {
    await assertKafkaReachable();
    kafka = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'roundtrip-test' });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });

    // The Java-compatible partitioner: keys land where any other Kafka client would put them.
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    // Several sends, each acknowledged before the next, as a relay publishing batches from the store would.
    for (let start = 0; start < sent.length; start += 50) {
      await producer.send({ topic, acks: -1, messages: sent.slice(start, start + 50) });
    }

    // A fetch parks on the broker for up to maxWaitTimeInMs, and disconnect waits for it: keep teardown short.
    consumer = kafka.consumer({ groupId: uniqueTopic('roundtrip-group'), maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        received.push({ key: message.key!.toString(), value: message.value!.toString(), partition });
      },
    });
    await waitUntil(() => received.length >= sent.length, 60_000, `${sent.length} messages (got ${received.length})`);
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    if (admin) {
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('delivers every produced message to the consumer group exactly as sent', () => {
    const asText = (m: { key: string; value: string }) => `${m.key}|${m.value}`;
    expect(received.map(asText).sort()).toEqual(sent.map(asText).sort());
  });

  it("keeps each patient's messages in the order they were produced", () => {
    for (const patient of PATIENTS) {
      const sequences = received.filter((m) => m.key === patient).map((m) => JSON.parse(m.value).sequence);
      expect(sequences).toEqual(Array.from({ length: EVENTS_PER_PATIENT }, (_, i) => i + 1));
    }
  });

  it("puts one patient's messages in one partition while spreading patients over the topic's partitions", () => {
    const partitionsOf = (patient: string) => new Set(received.filter((m) => m.key === patient).map((m) => m.partition));
    for (const patient of PATIENTS) expect(partitionsOf(patient).size).toBe(1);
    expect(new Set(received.map((m) => m.partition)).size).toBe(PARTITIONS);
  });
});
