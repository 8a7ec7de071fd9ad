import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { PLATFORM_CONFIG, type PlatformConfig } from '@trialstream/config';
import { DATA_SOURCE } from '@trialstream/database';
import { probeKafka } from '@trialstream/messaging';
import type { DataSource } from 'typeorm';
import { ReadinessChecks, withinTimeout } from './readiness-checks';

const PROBE_TIMEOUT_MS = 2000;

/** The checks every process needs: its database, and Kafka when it is configured. */
@Injectable()
export class PlatformReadiness implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessChecks,
    @Optional() @Inject(DATA_SOURCE) private readonly dataSource?: DataSource,
    @Optional() @Inject(PLATFORM_CONFIG) private readonly config?: PlatformConfig,
  ) {}

  onModuleInit(): void {
    const dataSource = this.dataSource;
    if (dataSource) {
      this.readiness.add({
        name: 'database',
        check: async () => {
          await withinTimeout(dataSource.query('SELECT 1'), PROBE_TIMEOUT_MS, 'the database');
          return { up: true, details: {} };
        },
      });
    }
    const brokers = this.config?.kafkaBrokers;
    if (brokers) {
      this.readiness.add({
        name: 'kafka',
        check: async () => ({
          up: true,
          details: await withinTimeout(probeKafka(brokers, PROBE_TIMEOUT_MS), PROBE_TIMEOUT_MS * 2, 'Kafka'),
        }),
      });
    }
  }
}
