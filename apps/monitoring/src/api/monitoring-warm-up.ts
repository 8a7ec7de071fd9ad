import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { MonitoringService } from './monitoring.service';

/** How often the warm-up looks for sites whose figures for today are not kept yet. */
export const WARM_UP_INTERVAL_MS = 5_000;

/**
 * Runs `MonitoringService.warmToday` in rounds, one at a time: after a start, a catch-up or midnight, today's
 * figures of a quiet site are folded before a monitor asks for them. A round that fails (the database away)
 * is simply tried again at the next.
 */
@Injectable()
export class MonitoringWarmUp implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MonitoringWarmUp.name);
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(private readonly monitoring: MonitoringService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.startRound(), WARM_UP_INTERVAL_MS);
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
      .catch((error: unknown) => this.logger.debug(`warm-up round failed: ${(error as Error)?.message ?? String(error)}`))
      .finally(() => (this.round = undefined));
  }
}
