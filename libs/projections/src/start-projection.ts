import type { DataSource } from 'typeorm';
import { KafkaFeed, type KafkaFeedOptions } from './kafka-feed';
import type { ProjectionLogger } from './logger';
import type { Projection } from './projection';
import { ProjectionRunner, type ProjectionRunnerOptions } from './runner';
import { StoreFeed, type CatchUpSource, type StoreFeedOptions } from './store-feed';

export interface StartProjectionOptions {
  dataSource: DataSource;
  /** The event store: catch-up source in embedded mode, gap filler in both modes. */
  store: CatchUpSource;
  /** Distributed mode: consume the topic with `startConsumer` (startEventConsumer of @trialstream/messaging). Absent: embedded mode. */
  kafka?: Omit<KafkaFeedOptions, 'catchUpFrom'>;
  storeFeed?: StoreFeedOptions;
  logger?: ProjectionLogger;
  onBatch?: ProjectionRunnerOptions['onBatch'];
}

/** A projection being fed, whichever way. */
export interface RunningProjection {
  readonly runner: ProjectionRunner;
  readonly mode: 'store' | 'kafka';
  /** Tell an embedded feed that events were appended (a no-op with Kafka). */
  notify(): void;
  stop(): Promise<void>;
}

/**
 * Starts feeding a projection whose schema the app's migrations created (`projectionMigration`):
 * from Kafka when `kafka` is given, otherwise straight from the store.
 */
export async function startProjection(projection: Projection, options: StartProjectionOptions): Promise<RunningProjection> {
  const runner = new ProjectionRunner(projection, options.dataSource, options.store, { logger: options.logger, onBatch: options.onBatch });
  if (options.kafka) {
    const feed = new KafkaFeed(runner, { ...options.kafka, catchUpFrom: options.store });
    await feed.start();
    return { runner, mode: 'kafka', notify: () => undefined, stop: () => feed.stop() };
  }
  const feed = new StoreFeed(runner, options.store, { logger: options.logger, ...options.storeFeed });
  feed.start();
  return { runner, mode: 'store', notify: () => feed.notify(), stop: () => feed.stop() };
}
