import type { EventEnvelope } from '@trialstream/domain';
import type { DataSource } from 'typeorm';
import { KafkaFeed, type KafkaFeedOptions } from './kafka-feed';
import type { ProjectionLogger } from './logger';
import type { Projection } from './projection';
import { ProjectionRunner, type ProjectionRunnerOptions } from './runner';
import type { CatchUpSource } from './read-ahead';
import { StoreFeed, type StoreFeedOptions } from './store-feed';

export interface StartProjectionOptions {
  dataSource: DataSource;
  /** The event store: catch-up source in embedded mode, gap filler in both modes. */
  store: CatchUpSource;
  /** Distributed mode: consume the topic with `startConsumer` (startEventConsumer of @trialstream/messaging). Absent: embedded mode. */
  kafka?: Omit<KafkaFeedOptions, 'catchUpFrom'>;
  storeFeed?: StoreFeedOptions;
  logger?: ProjectionLogger;
  onBatch?: ProjectionRunnerOptions['onBatch'];
  /**
   * How masked values travel: sealed by the publisher, opened (or replaced by placeholders) for this
   * projection. Events read from the store go through both, so both modes run the same code path.
   */
  fields?: { seal(event: EventEnvelope): EventEnvelope; open(event: EventEnvelope): EventEnvelope };
}

/** The store as a projection sees it when its events pass through sealing and opening, like Kafka's. */
function throughFields(store: CatchUpSource, fields: NonNullable<StartProjectionOptions['fields']>): CatchUpSource {
  const view = (event: EventEnvelope) => fields.open(fields.seal(event));
  return {
    readStream: async (streamId) => (await store.readStream(streamId)).map(view),
    readAll: async (after, limit) => {
      const page = await store.readAll(after, limit);
      return { ...page, events: page.events.map(view) };
    },
  };
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
  const store = options.fields ? throughFields(options.store, options.fields) : options.store;
  const runner = new ProjectionRunner(projection, options.dataSource, store, { logger: options.logger, onBatch: options.onBatch });
  if (options.kafka) {
    const openFields = options.fields?.open;
    const feed = new KafkaFeed(runner, { ...options.kafka, catchUpFrom: store, ...(openFields ? { openFields } : {}) });
    await feed.start();
    return { runner, mode: 'kafka', notify: () => undefined, stop: () => feed.stop() };
  }
  const feed = new StoreFeed(runner, store, { logger: options.logger, ...options.storeFeed });
  feed.start();
  return { runner, mode: 'store', notify: () => feed.notify(), stop: () => feed.stop() };
}
