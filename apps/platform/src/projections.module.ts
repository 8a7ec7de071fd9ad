import { DynamicModule, Module } from '@nestjs/common';
import { PLATFORM_CONFIG, PlatformConfig } from '@trialstream/config';
import { startEventConsumer } from '@trialstream/messaging';
import { Projection, ProjectionFeeds, PROJECTIONS_OPTIONS, ProjectionsModuleOptions } from '@trialstream/projections';

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
          inject: [PLATFORM_CONFIG],
          useFactory: (config: PlatformConfig): ProjectionsModuleOptions => ({
            projections: [...projections],
            kafka: config.kafkaBrokers
              ? {
                  brokers: config.kafkaBrokers,
                  topic: config.kafkaTopic,
                  partitions: config.kafkaPartitions,
                  sessionTimeoutMs: config.kafkaSessionTimeoutMs,
                  startConsumer: startEventConsumer,
                }
              : undefined,
          }),
        },
        ProjectionFeeds,
      ],
      exports: [ProjectionFeeds],
    };
  }
}
