import type { EventConsumerOptions, RunningConsumer } from '@trialstream/messaging';
import type { Projection } from './projection';
import type { ProjectionRunner } from './runner';
import { StoreFeed, type CatchUpSource } from './store-feed';

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

/**
 * Distributed mode's delivery: each partition batch the consumer fetches is applied as one batch.
 * Offsets are committed only after the batch's transaction committed, so a crash redelivers, and the
 * runner skips what it had already applied. No store checkpoint is written: Kafka's offsets are the
 * position here.
 */
export class KafkaFeed {
  private consumer: RunningConsumer | null = null;

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
      ...topic,
      groupId: group,
      clientId: clientId ?? group,
      onBatch: async (batch) => {
        await this.runner.applyBatch(batch.events);
      },
    });
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.stop();
  }
}
