import { DynamicModule, Module } from '@nestjs/common';
import { PLATFORM_CONFIG, PlatformConfig } from '@trialstream/config';
import { startEventConsumer } from '@trialstream/messaging';
import { Projection, ProjectionFeeds, PROJECTIONS_OPTIONS, ProjectionsModuleOptions } from '@trialstream/projections';
import { Metrics } from '@trialstream/api-common';
import { ProjectionObservability } from './projection-observability';

/**
 * Feeds the given projections in this process: from Kafka (one consumer group each) when KAFKA_BROKERS
 * is set, otherwise straight from the store, woken by every commit of this process's store.
 */
@Module({})
export class ProjectionsModule {
  static forRoot(projections: readonly Projection[]): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [
        {
          provide: PROJECTIONS_OPTIONS,
          inject: [PLATFORM_CONFIG, Metrics],
          useFactory: (config: PlatformConfig, metrics: Metrics): ProjectionsModuleOptions => ({
            projections: [...projections],
            kafka: config.kafkaBrokers
              ? { brokers: config.kafkaBrokers, topic: config.kafkaTopic, partitions: config.kafkaPartitions, startConsumer: startEventConsumer }
              : undefined,
            onBatch: (projection, result, seconds) => {
              metrics.projectionBatchDuration.observe({ projection }, seconds);
              metrics.projectionEventsApplied.inc({ projection }, result.applied);
            },
          }),
        },
        ProjectionFeeds,
        ProjectionObservability,
      ],
      exports: [ProjectionFeeds],
    };
  }
}
