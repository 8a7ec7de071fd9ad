import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { ProjectionLogger } from '../logger';
import type { Projection } from '../projection';
import type { BatchResult } from '../runner';
import { startProjection, type RunningProjection, type StartProjectionOptions } from '../start-projection';
import type { CatchUpSource } from '../read-ahead';

/** Tokens the composing app provides (the platform's DatabaseModule and EventStoreModule do). */
const DATA_SOURCE = 'DATA_SOURCE';
const EVENT_STORE = 'EVENT_STORE';
export const PROJECTIONS_OPTIONS = 'PROJECTIONS_OPTIONS';

export interface ProjectionsModuleOptions {
  /** The projections this process feeds; their migrations must be in the app's migration list. */
  projections: Projection[];
  /** Distributed mode (KAFKA_BROKERS set); absent: fed straight from the store. */
  kafka?: StartProjectionOptions['kafka'];
  storeFeed?: StartProjectionOptions['storeFeed'];
  /** Told of every batch each projection applies (the platform's metrics). */
  onBatch?: (projection: string, result: BatchResult, seconds: number) => void;
  /** Sealing of masked values, and how each projection opens them (see StartProjectionOptions.fields). */
  fieldsFor?: (projection: Projection) => StartProjectionOptions['fields'];
}

/** A store that can tell in-process readers about its commits (PostgresEventStore can). */
interface CommitNotifier {
  onCommitted?(listener: () => void): () => void;
}

function nestLogger(context: string): ProjectionLogger {
  const logger = new Logger(context);
  return { warn: (message) => logger.warn(message), error: (message) => logger.error(message) };
}

/**
 * Feeds the configured projections while the app runs (provide it with PROJECTIONS_OPTIONS, as the
 * platform's ProjectionsModule does). Stops them before the database closes.
 */
@Injectable()
export class ProjectionFeeds implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running: RunningProjection[] = [];
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: CatchUpSource & CommitNotifier,
    @Inject(PROJECTIONS_OPTIONS) private readonly options: ProjectionsModuleOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const projection of this.options.projections) {
      this.running.push(
        await startProjection(projection, {
          dataSource: this.dataSource,
          store: this.store,
          kafka: this.options.kafka,
          storeFeed: this.options.storeFeed,
          fields: this.options.fieldsFor?.(projection),
          logger: nestLogger(`projection ${projection.name}`),
          onBatch: this.options.onBatch && ((result, seconds) => this.options.onBatch!(projection.name, result, seconds)),
        }),
      );
    }
    // Feeds from the store wake on every commit (this process's, or another's through the store's LISTEN) instead of
    // waiting for their next poll; feeds from Kafka need no word.
    if (this.running.some((projection) => projection.mode === 'store')) this.unsubscribe = this.store.onCommitted?.(() => this.notify());
  }

  notify(): void {
    for (const projection of this.running) projection.notify();
  }

  /** The projection's runner, e.g. to read its dead letters. */
  runnerOf(name: string) {
    return this.running.find((projection) => projection.runner.projection.name === name)?.runner;
  }

  // Before the database module closes the pool the feeds write through.
  async beforeApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    const running = this.running;
    this.running = [];
    await Promise.all(running.map((projection) => projection.stop()));
  }
}
