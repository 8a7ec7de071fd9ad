import { Logger } from '@nestjs/common';
import { Batch, KafkaJSError, KafkaMessage } from 'kafkajs';
import type { EventEnvelope } from '@trialstream/domain';
import { upcastStoredEvent } from '@trialstream/domain';
import type { Upcaster } from '@trialstream/domain';
import type { EventConsumerOptions, RunningConsumer, UndecodableMessage } from './contracts';
import { decodeEvent, headerText, UndecodableEventError } from './event-codec';
import { createKafka } from './kafka-client';
import { ensureTopic, whileTopicIsNew } from './topic';

const logger = new Logger('EventConsumer');

interface DecodedBatch {
  events: EventEnvelope[];
  undecodable: UndecodableMessage[];
}

function undecodableMessage(batch: Batch, message: KafkaMessage, reason: string): UndecodableMessage {
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value,
    headers: headerText(message.headers),
    reason,
  };
}

function decodeBatch(batch: Batch, upcast: Upcaster | null, openFields: (event: EventEnvelope) => EventEnvelope): DecodedBatch {
  const decoded: DecodedBatch = { events: [], undecodable: [] };
  for (const message of batch.messages) {
    let event: EventEnvelope;
    try {
      event = decodeEvent(message, upcast);
    } catch (error) {
      if (!(error instanceof UndecodableEventError)) throw error;
      decoded.undecodable.push(undecodableMessage(batch, message, error.reason));
      continue;
    }
    try {
      decoded.events.push(openFields(event));
    } catch (error) {
      decoded.undecodable.push(undecodableMessage(batch, message, (error as Error).message));
    }
  }
  return decoded;
}

function skipUndecodable(message: UndecodableMessage): Promise<void> {
  logger.error(`skipping an undecodable message at ${message.topic}/${message.partition}@${message.offset}: ${message.reason}`);
  return Promise.resolve();
}

/** A heartbeat a tenth of the session (at most kafkajs's 3 s) keeps a short session alive between fetches. */
function sessionTimeouts(sessionTimeoutMs: number | undefined): { sessionTimeout?: number; heartbeatInterval?: number } {
  if (sessionTimeoutMs === undefined) return {};
  return { sessionTimeout: sessionTimeoutMs, heartbeatInterval: Math.min(3_000, Math.max(500, Math.floor(sessionTimeoutMs / 10))) };
}

/**
 * Joins the consumer group and hands each fetched partition batch to `onBatch`, in partition order. The batch's
 * offsets are resolved and committed only after `onBatch` resolved. A rejection is logged and the same batch is
 * fetched and handed over again (kafkajs retries with backoff, then restarts the consumer, which resumes from the
 * last committed offset), so nothing is ever skipped. A new group starts at the beginning of the topic, which is
 * created first when missing, so a consumer started before the relay does not meet a broker-created default topic.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<RunningConsumer> {
  await ensureTopic({ ...options, clientId: `${options.clientId}-admin` });
  const upcast = options.upcast === undefined ? upcastStoredEvent : options.upcast;
  const onUndecodable = options.onUndecodable ?? skipUndecodable;
  const consumer = createKafka({ brokers: options.brokers, clientId: options.clientId, logLevel: options.logLevel }).consumer({
    groupId: options.groupId,
    maxWaitTimeInMs: options.maxWaitTimeInMs ?? 200,
    allowAutoTopicCreation: false,
    ...sessionTimeouts(options.sessionTimeoutMs),
  });
  await consumer.connect();
  try {
    // ensureTopic saw the topic's leaders through one broker; this consumer may ask another that has not yet.
    await whileTopicIsNew(() => consumer.subscribe({ topics: [options.topic], fromBeginning: true }));
    await consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        if (!isRunning() || isStale()) return;
        const { events, undecodable } = decodeBatch(batch, upcast, options.openFields ?? ((event) => event));
        try {
          for (const message of undecodable) await onUndecodable(message);
          if (events.length > 0) await options.onBatch({ topic: batch.topic, partition: batch.partition, events });
        } catch (error) {
          logger.error(
            `handling ${batch.topic}/${batch.partition}@${batch.firstOffset()}..${batch.lastOffset()} failed, it will be delivered again: ${(error as Error).message}`,
          );
          // Marked retriable, so kafkajs retries and, when retries run out, restarts the consumer, whatever was thrown.
          throw new KafkaJSError(error as Error, { retriable: true });
        }
        resolveOffset(batch.lastOffset());
        await heartbeat();
      },
    });
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }
  return { stop: () => consumer.disconnect() };
}
