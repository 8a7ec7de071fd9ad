import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PLATFORM_CONFIG, PlatformConfig } from '@trialstream/config';
import { DATA_SOURCE } from '@trialstream/database';
import { EVENT_STORE, PostgresEventStore } from '@trialstream/event-store';
import { startEventConsumer } from '@trialstream/messaging';
import { Projection, RunningProjection, startProjection } from '@trialstream/projections';
import type { DataSource } from 'typeorm';

const RUN_PROJECTIONS = 'RUN_PROJECTIONS';

/** The projections this process feeds, by name, so tests and health checks can reach their runners. */
export class RunningProjections {
  readonly byName = new Map<string, RunningProjection>();
}

/**
 * Feeds the given projections in this process: from Kafka (one consumer group each) when KAFKA_BROKERS
 * is set, otherwise straight from the store, woken by every commit of this process's store.
 */
@Module({})
export class ProjectionsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('projections');
  private unsubscribe: (() => void) | null = null;

  constructor(
    @Inject(RUN_PROJECTIONS) private readonly projections: readonly Projection[],
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly running: RunningProjections,
  ) {}

  static forRoot(projections: readonly Projection[]): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [{ provide: RUN_PROJECTIONS, useValue: projections }, RunningProjections],
      exports: [RunningProjections],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const brokers = this.config.kafkaBrokers;
    for (const projection of this.projections) {
      const running = await startProjection(projection, {
        dataSource: this.dataSource,
        store: this.store,
        kafka: brokers
          ? { brokers, topic: this.config.kafkaTopic, partitions: this.config.kafkaPartitions, startConsumer: startEventConsumer }
          : undefined,
      });
      this.running.byName.set(projection.name, running);
      this.logger.log(`${projection.name}: fed from ${running.mode === 'kafka' ? `Kafka topic ${this.config.kafkaTopic}` : 'the store'}`);
    }
    this.unsubscribe = this.store.onCommitted(() => this.running.byName.forEach((running) => running.notify()));
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all([...this.running.byName.values()].map((running) => running.stop()));
    this.running.byName.clear();
  }
}
