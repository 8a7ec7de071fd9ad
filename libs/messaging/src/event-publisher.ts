import { Logger } from '@nestjs/common';
import { Kafka, Partitioners, Producer, RetryOptions } from 'kafkajs';
import type { EventEnvelope } from '@trialstream/domain';
import type { EventPublisher, EventTopicOptions } from './contracts';
import { encodeEvent, encodeEventJson, type EncodedEvent, type EventJson } from './event-codec';
import { createKafka } from './kafka-client';
import { partitionOf } from './partition-of';
import { sendUntilAcknowledged } from './acknowledged-send';
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
  /**
   * The only types sealFields reads or changes: an event of another type goes out as the JSON text it was read
   * as, never parsed (publishJson). Absent: every event passes through sealFields.
   */
  sealedEventTypes?: ReadonlySet<string>;
}

const DEFAULT_MAX_SEND_BYTES = 768 * 1024;
const logger = new Logger('EventPublisher');

/**
 * Publishes events to the topic keyed by stream id, in the order given. The producer is idempotent with one request
 * in flight, so a retried request can neither duplicate nor reorder; acks from all in-sync replicas. The topic is
 * created on first use when missing. A publish resolves only once every partition it wrote to has acknowledged its
 * messages (see sendUntilAcknowledged: kafkajs alone may resolve without them when a broker dies mid-send).
 */
export class KafkaEventPublisher implements EventPublisher {
  private readonly kafka: Kafka;
  private producer: Producer | null = null;
  /** The topic's partition count, known once the topic was checked. */
  private partitions: number | null = null;

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
    const seal = this.options.sealFields;
    await this.send((seal ? events.map(seal) : events).map(encodeEvent));
  }

  /**
   * publish() for events given as the JSON of their envelopes (the relay's read): each text goes out as it is,
   * parsed only when a sealer must see the event, and written again only when it sealed something.
   */
  async publishJson(events: readonly EventJson[]): Promise<void> {
    const { sealFields: seal, sealedEventTypes: types } = this.options;
    await this.send(
      events.map((event) => (seal && (!types || types.has(event.type)) ? sealedJson(event, seal) : encodeEventJson(event, event.json))),
    );
  }

  private async send(messages: EncodedEvent[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      // Independent: the first publish checks the topic while the producer connects.
      const [partitions, producer] = await Promise.all([this.topicPartitions(), this.connectedProducer()]);
      const partitioned = messages.map(({ key, value, headers }) => ({ key, value, headers, partition: partitionOf(key, partitions) }));
      for (const chunk of chunksWithin(partitioned, this.options.maxSendBytes ?? DEFAULT_MAX_SEND_BYTES)) {
        await sendUntilAcknowledged(
          (pending) => producer.send({ topic: this.options.topic, acks: -1, messages: pending }),
          chunk,
          (unacknowledged, count) =>
            logger.warn(
              `the producer resolved without the acknowledgement of partition(s) ${unacknowledged.join(', ')}; sending their ${count} message(s) again`,
            ),
        );
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

  private async topicPartitions(): Promise<number> {
    if (this.partitions === null) {
      const { partitions } = await ensureTopic({ ...this.options, clientId: `${this.options.clientId}-admin` });
      if (partitions < 1) throw new Error(`topic ${this.options.topic} lists no partition`);
      this.partitions = partitions;
    }
    return this.partitions;
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // Messages name their partition (partitionOf, the same murmur2); set, it also keeps kafkajs from warning.
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

function sealedJson(event: EventJson, seal: (event: EventEnvelope) => EventEnvelope): EncodedEvent {
  const envelope = JSON.parse(event.json) as EventEnvelope;
  const sealed = seal(envelope);
  return sealed === envelope ? encodeEventJson(event, event.json) : encodeEvent(sealed);
}
