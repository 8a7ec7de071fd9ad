import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Metrics } from '@trialstream/api-common';
import { describeError, PLATFORM_CONFIG, type PlatformConfig } from '@trialstream/config';
import { MonitoringService } from './monitoring.service';

/**
 * Runs `MonitoringService.warmToday` in rounds, one at a time, every MONITORING_WARM_UP_SECONDS (0: never):
 * after a start, a catch-up or midnight, today's figures of a quiet site are folded before a monitor asks for
 * them. A round that fails (the database away) is simply tried again at the next.
 * `trialstream_monitoring_sites_today{figures="kept"|"stale"}` tells how far the last round got.
 */
@Injectable()
export class MonitoringWarmUp implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MonitoringWarmUp.name);
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(
    private readonly monitoring: MonitoringService,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Optional() metrics?: Metrics,
  ) {
    metrics?.gauge(
      'trialstream_monitoring_sites_today',
      "Sites whose figures for today the monitoring warm-up's last round left kept or stale",
      ['figures'],
      (set) => {
        const { kept, stale } = this.monitoring.warmUpState();
        set({ figures: 'kept' }, kept);
        set({ figures: 'stale' }, stale);
      },
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.monitoringWarmUpSeconds === 0) return;
    this.timer = setInterval(() => this.startRound(), this.config.monitoringWarmUpSeconds * 1000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  private startRound(): void {
    if (this.round) return;
    this.round = this.monitoring
      .warmToday()
      .catch((error: unknown) => this.logger.debug(`warm-up round failed: ${describeError(error)}`))
      .finally(() => (this.round = undefined));
  }
}
