import { Kafka, Partitioners, Producer, RetryOptions } from 'kafkajs';
import type { EventEnvelope } from '@trialstream/domain';
import type { EventPublisher, EventTopicOptions } from './contracts';
import { encodeEvent } from './event-codec';
import { createKafka } from './kafka-client';
import { chunksWithin } from './send-chunks';
import { ensureTopic } from './topic';

export interface KafkaEventPublisherOptions extends EventTopicOptions {
  clientId: string;
  /** The platform's log level for kafkajs; defaults to env LOG_LEVEL. */
  logLevel?: string;
  /** Payload bound of one produce request (default 768 KiB, below the broker's 1 MiB record batch limit). */
  maxSendBytes?: number;
  /** How long one publish keeps retrying before it rejects (default: createKafka's, about half a minute). */
  retry?: RetryOptions;
  connectionTimeout?: number;
  /** Seals what the protocol masks before an event leaves for the topic (see @trialstream/field-crypto). */
  sealFields?: (event: EventEnvelope) => EventEnvelope;
}

const DEFAULT_MAX_SEND_BYTES = 768 * 1024;

/**
 * Publishes events to the topic keyed by stream id, in the order given. The producer is idempotent with one request
 * in flight, so a retried request can neither duplicate nor reorder; acks from all in-sync replicas. The topic is
 * created on first use when missing.
 */
export class KafkaEventPublisher implements EventPublisher {
  private readonly kafka: Kafka;
  private producer: Producer | null = null;
  private topicChecked = false;

  constructor(private readonly options: KafkaEventPublisherOptions) {
    this.kafka = createKafka({
      brokers: options.brokers,
      clientId: options.clientId,
      logLevel: options.logLevel,
      retry: options.retry,
      connectionTimeout: options.connectionTimeout,
    });
  }

  async publish(events: EventEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    const seal = this.options.sealFields;
    const messages = (seal ? events.map(seal) : events).map(encodeEvent);
    try {
      const producer = await this.connectedProducer();
      for (const chunk of chunksWithin(messages, this.options.maxSendBytes ?? DEFAULT_MAX_SEND_BYTES)) {
        await producer.send({ topic: this.options.topic, acks: -1, messages: chunk });
      }
    } catch (error) {
      // After a failed request an idempotent producer's sequence numbers may no longer match the broker's
      // (every later send would fail as out of order): the next attempt starts with a new producer id.
      await this.discardProducer();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.discardProducer();
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.topicChecked) {
      await ensureTopic({ ...this.options, clientId: `${this.options.clientId}-admin` });
      this.topicChecked = true;
    }
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // The Java client's murmur2 partitioning: any Kafka client finds a stream's partition from its key.
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      this.producer = producer;
      await producer.connect();
    }
    return this.producer;
  }

  private async discardProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch(() => undefined);
  }
}
