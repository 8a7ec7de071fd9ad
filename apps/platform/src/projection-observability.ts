import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Metrics, ReadinessChecks } from '@trialstream/api-common';
import { PLATFORM_CONFIG, type PlatformConfig } from '@trialstream/config';
import { EVENT_STORE, PostgresEventStore } from '@trialstream/event-store';
import { consumerGroupLag } from '@trialstream/messaging';
import {
  type Projection,
  ProjectionFeeds,
  projectionConsumerGroup,
  PROJECTIONS_OPTIONS,
  readDeadLetters,
  type ProjectionsModuleOptions,
} from '@trialstream/projections';
import { DATA_SOURCE } from '@trialstream/database';
import type { DataSource } from 'typeorm';

/** Lags counted beyond this are reported as this: a metric, not a census. */
const LAG_CAP = 1_000_000;

/**
 * For each projection this process feeds: a readiness check (no more than READY_MAX_PROJECTION_LAG events
 * waiting) and its metrics (lag, dead letters, and in distributed mode its consumer group's Kafka lag).
 */
@Injectable()
export class ProjectionObservability implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessChecks,
    private readonly metrics: Metrics,
    private readonly feeds: ProjectionFeeds,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(PROJECTIONS_OPTIONS) private readonly options: ProjectionsModuleOptions,
  ) {}

  /**
   * Events waiting for the projection: fed from Kafka, its consumer group's lag on the topic (a Kafka-fed
   * projection keeps no store checkpoint); fed from the store, the events after its checkpoint.
   */
  private async lag(projection: Projection, cap: number): Promise<number | null> {
    const runner = this.feeds.runnerOf(projection.name);
    if (!runner) return null;
    const kafka = this.options.kafka;
    if (kafka) return consumerGroupLag(kafka.brokers, projectionConsumerGroup(projection, kafka.topic), kafka.topic, 2000);
    return this.store.countEventsAfter(await runner.checkpoint(), cap);
  }

  onModuleInit(): void {
    const maxLag = this.config.readyMaxProjectionLag;
    const projections = this.options.projections;
    for (const projection of projections) {
      this.readiness.add({
        name: `projection:${projection.name}`,
        check: async () => {
          const lag = await this.lag(projection, maxLag + 1);
          return lag === null ? { up: false, details: { message: 'not running' } } : { up: lag <= maxLag, details: { lag, maxLag } };
        },
      });
    }
    this.metrics.gauge(
      'trialstream_projection_lag_events',
      'Events in the store after the projection checkpoint',
      ['projection'],
      async (set) => {
        for (const projection of projections) {
          const lag = await this.lag(projection, LAG_CAP);
          if (lag !== null) set({ projection: projection.name }, lag);
        }
      },
    );
    this.metrics.gauge(
      'trialstream_projection_dead_letters',
      'Events a projection could not apply (in its dead-letter table)',
      ['projection'],
      async (set) => {
        for (const projection of projections)
          set({ projection: projection.name }, (await readDeadLetters(this.dataSource, projection.schema)).length);
      },
    );
    const kafka = this.options.kafka;
    if (kafka) {
      const { brokers, topic } = kafka;
      this.metrics.gauge(
        'trialstream_kafka_consumer_lag',
        'Messages of the topic not yet committed by the consumer group',
        ['group'],
        async (set) => {
          for (const projection of projections) {
            const group = projectionConsumerGroup(projection, topic);
            set({ group }, await consumerGroupLag(brokers, group, topic, 2000));
          }
        },
      );
    }
  }
}
