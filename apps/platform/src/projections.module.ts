import { DynamicModule, Module } from '@nestjs/common';
import { fieldKeyringFor, PLATFORM_CONFIG, PlatformConfig, PROTOCOL, TRIAL_STREAMS } from '@trialstream/config';
import { DEFAULT_TRIAL_STREAMS, type ProtocolDefinition, type TrialStreams } from '@trialstream/domain';
import { openMaskedFields, sealMaskedFields } from '@trialstream/field-crypto';
import { startEventConsumer, trialTopic } from '@trialstream/messaging';
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
          // without TRIAL_STREAMS (a host app of its own), the default trial's topic
          inject: [PLATFORM_CONFIG, PROTOCOL, Metrics, { token: TRIAL_STREAMS, optional: true }],
          useFactory: (
            config: PlatformConfig,
            protocol: ProtocolDefinition,
            metrics: Metrics,
            streams: TrialStreams = DEFAULT_TRIAL_STREAMS,
          ): ProjectionsModuleOptions => ({
            projections: [...projections],
            // Only read models of the unblinded side get the key; the others see what a blinded reader sees.
            fieldsFor: (projection) => {
              const keyring = fieldKeyringFor(config);
              return {
                seal: (event) => sealMaskedFields(event, protocol, keyring),
                open: (event) => openMaskedFields(event, projection.readsMaskedValues ? keyring : null),
              };
            },
            kafka: config.kafkaBrokers
              ? {
                  brokers: config.kafkaBrokers,
                  topic: trialTopic(config.kafkaTopic, streams.trialId),
                  partitions: config.kafkaPartitions,
                  sessionTimeoutMs: config.kafkaSessionTimeoutMs,
                  startConsumer: startEventConsumer,
                }
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
