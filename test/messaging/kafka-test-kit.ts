import { createKafka, headerText } from '@trialstream/messaging';
import type { Consumer } from 'kafkajs';
import { waitUntil } from '../support/eventually';
import { TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';

/** A message as it lies on the topic, read back independently of the consumer under test. */
export interface TopicMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads a whole topic from its beginning in a group of its own; the topic must exist. */
export class TopicReader {
  readonly messages: TopicMessage[] = [];
  private stopped = false;
  private readonly consumer: Consumer;

  private constructor(brokers: string[]) {
    this.consumer = createKafka({ brokers, clientId: 'topic-reader' }).consumer({
      groupId: uniqueTopic('reader'),
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
      // A consumer that crashed while a broker was away restarts itself later, unless stopped: it would keep the
      // test process alive retrying a broker the suite has shut down.
      retry: { restartOnFailure: async () => !this.stopped },
    });
  }

  static async start(topic: string, brokers: string[] = TEST_KAFKA_BROKERS): Promise<TopicReader> {
    const reader = new TopicReader(brokers);
    const consumer = reader.consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          reader.messages.push({
            partition: batch.partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? null,
            headers: headerText(message.headers),
          });
        }
      },
    });
    return reader;
  }

  /** Waits until at least `count` messages arrived. */
  async received(count: number, timeoutMs = 60_000): Promise<TopicMessage[]> {
    await waitUntil(
      () => this.messages.length >= count,
      timeoutMs,
      () => `${count} messages (got ${this.messages.length})`,
    );
    return this.messages;
  }

  stop(): Promise<void> {
    this.stopped = true;
    return this.consumer.disconnect();
  }
}

export async function deleteTopics(topics: string[]): Promise<void> {
  const admin = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'test-cleanup' }).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
