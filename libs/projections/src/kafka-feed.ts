import type { EventEnvelope } from '@trialstream/domain';
import type { EventConsumerOptions, RunningConsumer } from '@trialstream/messaging';
import type { Projection } from './projection';
import type { ProjectionRunner } from './runner';
import type { CatchUpSource } from './read-ahead';
import { StoreFeed } from './store-feed';

/** `startEventConsumer` of @trialstream/messaging; passed in so that every Kafka call stays in that library. */
export type StartEventConsumer = (options: EventConsumerOptions) => Promise<RunningConsumer>;

/** The consumer's options (topic, brokers, concurrency, ...) except what the feed sets itself. */
export interface KafkaFeedOptions extends Omit<EventConsumerOptions, 'groupId' | 'clientId' | 'onBatch'> {
  startConsumer: StartEventConsumer;
  clientId?: string;
  /** Defaults to `<topic>.projection-<name>`: one consumer group per projection. */
  groupId?: string;
  /**
   * When given and the read model has never applied anything (first start, or a version bump emptied
   * it), it is first caught up from the store, since the topic may no longer hold the whole history.
   */
  catchUpFrom?: CatchUpSource;
}

/**
 * One consumer group per projection and topic: two deployments (or test runs) sharing a broker with
 * different topics never rebalance each other's consumers.
 */
export const projectionConsumerGroup = (projection: Projection, topic: string): string => `${topic}.projection-${projection.name}`;

/** Partitions whose batches the consumer hands over at once (kafkajs keeps each partition's batches in order). */
const PARTITIONS_AT_ONCE = 12;

/**
 * Distributed mode's delivery: the partition batches the consumer hands over while a transaction runs wait
 * and are applied together as the next batch, so what one fetch brought from many partitions costs one
 * transaction, not one each (at a steady few hundred events a second over twelve partitions a fetch brings
 * a few events of each). Offsets are committed only after the batch's transaction committed, so a crash
 * redelivers, and the runner skips what it had already applied. No store checkpoint is written: Kafka's
 * offsets are the position here.
 */
export class KafkaFeed {
  private consumer: RunningConsumer | null = null;
  /** Batches handed over while a transaction runs, and the transaction running. */
  private waiting: Array<{ events: EventEnvelope[]; applied: () => void; failed: (error: unknown) => void }> = [];
  private applying = false;

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly options: KafkaFeedOptions,
  ) {}

  async start(): Promise<void> {
    if (this.consumer) return;
    if (this.options.catchUpFrom && (await this.runner.isPristine())) {
      await new StoreFeed(this.runner, this.options.catchUpFrom).catchUp();
    }
    const { startConsumer, catchUpFrom: _catchUpFrom, groupId, clientId, ...topic } = this.options;
    const group = groupId ?? projectionConsumerGroup(this.runner.projection, topic.topic);
    this.consumer = await startConsumer({
      partitionsConsumedConcurrently: PARTITIONS_AT_ONCE,
      ...topic,
      groupId: group,
      clientId: clientId ?? group,
      onBatch: (batch) => this.apply(batch.events),
    });
  }

  /** Resolves once the events are applied, together with whatever other partitions handed over meanwhile. */
  private apply(events: EventEnvelope[]): Promise<void> {
    return new Promise((applied, failed) => {
      this.waiting.push({ events, applied, failed });
      if (this.applying) return;
      this.applying = true;
      // the other partitions' batches of the same fetch, handed over in the same turn of the event loop, join the first
      setImmediate(() => void this.applyWaiting());
    });
  }

  private async applyWaiting(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const taken = this.waiting;
        this.waiting = [];
        try {
          await this.runner.applyBatch(taken.flatMap((batch) => batch.events));
          for (const batch of taken) batch.applied();
        } catch (error) {
          // each partition's batch is delivered again by the consumer
          for (const batch of taken) batch.failed(error);
        }
      }
    } finally {
      this.applying = false;
    }
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.stop();
  }
}
