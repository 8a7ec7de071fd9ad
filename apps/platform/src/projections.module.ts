import { DynamicModule, Module } from '@nestjs/common';
import { fieldKeyringFor, PLATFORM_CONFIG, PlatformConfig, TRIAL_STREAMS } from '@trialstream/config';
import { DATA_SOURCE } from '@trialstream/database';
import { DEFAULT_TRIAL_STREAMS, protocolVersionsFrom, upcastStoredEvent, type TrialStreams } from '@trialstream/domain';
import { PostgresEventStore } from '@trialstream/event-store';
import { openMaskedFields, TrialFieldSealer } from '@trialstream/field-crypto';
import { startEventConsumer, trialTopic } from '@trialstream/messaging';
import { Projection, ProjectionFeeds, PROJECTIONS_OPTIONS, ProjectionsModuleOptions } from '@trialstream/projections';
import { Metrics } from '@trialstream/api-common';
import type { DataSource } from 'typeorm';
import { ProjectionObservability } from './projection-observability';

/**
 * How masked values pass to each projection fed from the store: sealed by the trial's masking, as the relay
 * seals them for Kafka (each feed learns the versions logged after its start as it reads them), then opened
 * for the unblinded side's read models only; the others see what a blinded reader sees.
 */
async function fieldsByTrialMasking(
  config: PlatformConfig,
  dataSource: DataSource,
  streams: TrialStreams,
): Promise<NonNullable<ProjectionsModuleOptions['fieldsFor']>> {
  const keyring = fieldKeyringFor(config);
  const versions = protocolVersionsFrom(await new PostgresEventStore(dataSource, { upcast: upcastStoredEvent }).readStream(streams.trial));
  return (projection) => {
    const sealer = new TrialFieldSealer(streams.trial, versions, keyring);
    return {
      seal: sealer.seal,
      // from Kafka, events come sealed: a version passing here still teaches the store reads that fill gaps
      open: (event) => {
        sealer.observe(event);
        return openMaskedFields(event, projection.readsMaskedValues ? keyring : null);
      },
    };
  };
}

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
          inject: [PLATFORM_CONFIG, Metrics, DATA_SOURCE, { token: TRIAL_STREAMS, optional: true }],
          useFactory: async (
            config: PlatformConfig,
            metrics: Metrics,
            dataSource: DataSource,
            streams: TrialStreams = DEFAULT_TRIAL_STREAMS,
          ): Promise<ProjectionsModuleOptions> => ({
            projections: [...projections],
            // Only read models of the unblinded side get the key; the others see what a blinded reader sees.
            fieldsFor: await fieldsByTrialMasking(config, dataSource, streams),
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
