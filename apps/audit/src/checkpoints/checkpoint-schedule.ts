import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, PLATFORM_CONFIG, type PlatformConfig } from '@trialstream/config';
import { DATA_SOURCE } from '@trialstream/database';
import { EVENT_STORE, recordCheckpoint, type PostgresEventStore } from '@trialstream/event-store';
import type { DataSource } from 'typeorm';

/** Records a checkpoint of the log every AUDIT_CHECKPOINT_MINUTES (0: never). */
@Injectable()
export class CheckpointSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('audit checkpoints');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  onApplicationBootstrap(): void {
    const minutes = this.config.auditCheckpointMinutes;
    if (!minutes) return;
    this.timer = setInterval(() => this.record(), minutes * 60_000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private record(): void {
    this.running = recordCheckpoint(this.store, this.dataSource, this.clock).then(
      (checkpoint) => this.logger.log(`checkpoint at position ${checkpoint.position}: root ${checkpoint.root}`),
      (error: Error) => this.logger.error(`could not record a checkpoint: ${error.message}`),
    );
  }
}
