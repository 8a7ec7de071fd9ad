import type { EventEnvelope } from '@trialstream/domain';
import type { Upcaster } from '@trialstream/domain';

/**
 * How events travel on Kafka. The relay publishes every committed event of the store to one topic,
 * keyed by the stream id (so one patient's events stay ordered in one partition), value = the envelope
 * as stored, as JSON; headers = content type, event type, schema version, event id and global position
 * (see event-codec.ts).
 */
export interface EventTopicOptions {
  brokers: string[];
  topic: string;
  /** Used when the relay creates the topic because it is missing. */
  partitions: number;
}

/** A consumer's unit of work: the batch of one partition, handed over in partition order. */
export interface ConsumedBatch {
  topic: string;
  partition: number;
  events: EventEnvelope[];
}

/** A message of the topic that is not an event this code can read (foreign bytes, a schema version from the future). */
export interface UndecodableMessage {
  topic: string;
  partition: number;
  /** Kafka offset, as a decimal string. */
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** Why it could not be read, e.g. `value: not JSON`. */
  reason: string;
}

export interface EventConsumerOptions extends EventTopicOptions {
  groupId: string;
  clientId: string;
  /**
   * Called once per fetched partition batch. Offsets are committed only after it resolves, so an event
   * whose batch was not handled (crash, error) is delivered again: consumers must be idempotent.
   * A batch whose messages were all undecodable is not handed over (events would be empty).
   */
  onBatch: (batch: ConsumedBatch) => Promise<void>;
  /**
   * Called, before `onBatch` of the same batch, for each message that is not a readable event, e.g. to
   * dead-letter it; its offset is committed with the batch, so it is not seen again. Without it the
   * message is logged at error level and skipped. A rejection is retried like a failing `onBatch`.
   */
  onUndecodable?: (message: UndecodableMessage) => Promise<void>;
  /**
   * Turns events of an old schema version into the current one, as the store does for its readers, so a
   * projection fed from Kafka sees what one fed from the store sees. The topic carries events exactly as
   * stored. Defaults to the domain's upcaster; null hands events over as published. An event it cannot
   * upcast is undecodable.
   */
  upcast?: Upcaster | null;
  /**
   * Opens the fields the publisher sealed (or replaces them by placeholders, for a reader without the key).
   * What it throws makes the message undecodable.
   */
  openFields?: (event: EventEnvelope) => EventEnvelope;
  /** How many partitions' batches are handled at once (default 1); each partition stays in order. */
  partitionsConsumedConcurrently?: number;
  /** How long a fetch waits on the broker for new messages; also bounds how long stop() waits (default 200). */
  maxWaitTimeInMs?: number;
  /** The platform's log level for kafkajs (see createKafka); defaults to env LOG_LEVEL. */
  logLevel?: string;
  /**
   * How long the group waits for a silent member (a killed instance) before giving its partitions to the others
   * (default 30 s; the broker accepts 6 s at least). Shorter: faster fail-over, but a batch that takes longer
   * than this between heartbeats costs a rebalance.
   */
  sessionTimeoutMs?: number;
}

export interface RunningConsumer {
  stop(): Promise<void>;
}

/** Publishes events to the topic in the order given; resolves once every one of them is acknowledged by all in-sync replicas. */
export interface EventPublisher {
  publish(events: EventEnvelope[]): Promise<void>;
  close(): Promise<void>;
}
