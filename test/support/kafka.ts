import { randomBytes } from 'node:crypto';
import { createKafka } from '@trialstream/messaging';

/** The broker the test suites use; `bash scripts/kafka.sh start` runs one on this address. */
export const TEST_KAFKA_BROKERS: string[] = (process.env.TEST_KAFKA_BROKERS ?? '127.0.0.1:9092')
  .split(',')
  .map((broker) => broker.trim())
  .filter((broker) => broker.length > 0);

/**
 * Never skips: a suite that needs Kafka fails here, naming the command that starts it, rather than in a timeout
 * deep inside a consumer.
 */
export async function assertKafkaReachable(brokers: string[] = TEST_KAFKA_BROKERS): Promise<void> {
  const admin = createKafka({
    brokers,
    clientId: 'trialstream-test-probe',
    connectionTimeout: 2000,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('the cluster lists no broker');
  } catch (error) {
    throw new Error(
      `Kafka is not reachable at ${brokers.join(',')} (${(error as Error).message}). ` + 'Start it with `bash scripts/kafka.sh start`.',
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** A topic (or group) name no other suite or earlier run uses, so suites never read each other's messages. */
export function uniqueTopic(prefix = 'test'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * Every message of the topic read from the beginning by a plain consumer (no key, no decoding) until `count`
 * arrived: by default key, value and headers as one text each, or what `asText` makes of a message.
 */
export async function readWholeTopic(
  topic: string,
  count: number,
  asText: (message: { key: Buffer | null; value: Buffer | null; headers?: Record<string, unknown> }) => string = (message) =>
    [
      message.key?.toString(),
      message.value?.toString(),
      ...Object.entries(message.headers ?? {}).map(([name, value]) => `${name}=${String(value)}`),
    ].join('\n'),
): Promise<string[]> {
  const consumer = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: `${topic}-reader` }).consumer({
    groupId: `${topic}.reader-${randomBytes(4).toString('hex')}`,
    maxWaitTimeInMs: 200,
  });
  const texts: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${texts.length} of ${count} messages arrived`)), 60_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          texts.push(asText(message));
          if (texts.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return texts;
}
