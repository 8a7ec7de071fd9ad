import { Controller, Get, Inject } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '@trialstream/api-common';
import { Public } from '@trialstream/auth';
import { PLATFORM_CONFIG, type PlatformConfig } from '@trialstream/config';
import { Relay, type RelayMetrics } from './relay';

export interface RelayHealth {
  /**
   * ok: publishing or idle; retrying: the last attempt failed (broker or database unavailable); stalled: its
   * position has not moved for a while though it is neither idle nor failing (a publish hangs); stopped.
   */
  status: 'ok' | 'retrying' | 'stalled' | 'stopped';
  /** leader: this relay publishes; standby: another one does, and this one takes over if it goes. */
  role: 'leader' | 'standby';
  lastPublishedPosition: string | null;
  lastPublishedTransactionId: string | null;
  lastPublishedAt: string | null;
  eventsPublished: number;
  consecutiveFailures: number;
  /** Milliseconds since the relay last published or found nothing to publish. */
  msSinceProgress: number;
  lastError: string | null;
}

/** The relay's state as its health endpoint and its readiness check report it. */
export function relayHealth(metrics: RelayMetrics, stalledAfterMs: number, now = Date.now()): RelayHealth {
  const msSinceProgress = Math.max(0, now - metrics.lastProgressAt);
  const status = !metrics.running
    ? 'stopped'
    : metrics.consecutiveFailures > 0
      ? 'retrying'
      : metrics.role === 'leader' && msSinceProgress > stalledAfterMs
        ? 'stalled'
        : 'ok';
  return {
    status,
    role: metrics.role,
    lastPublishedPosition: metrics.lastPublished?.globalPosition ?? null,
    lastPublishedTransactionId: metrics.lastPublished?.transactionId ?? null,
    lastPublishedAt: metrics.lastPublishedAt,
    eventsPublished: metrics.eventsPublished,
    consecutiveFailures: metrics.consecutiveFailures,
    msSinceProgress,
    lastError: metrics.lastError,
  };
}

/** What `GET /health` of a relay answers (`RelayHealth`). */
export class RelayHealthView implements RelayHealth {
  @ApiProperty({ enum: ['ok', 'retrying', 'stalled', 'stopped'] }) status: RelayHealth['status'];
  @ApiProperty({ enum: ['leader', 'standby'], description: 'leader: this relay publishes' }) role: RelayHealth['role'];
  @ApiProperty({ type: String, nullable: true }) lastPublishedPosition: string | null;
  @ApiProperty({ type: String, nullable: true }) lastPublishedTransactionId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastPublishedAt: string | null;
  @ApiProperty() eventsPublished: number;
  @ApiProperty() consecutiveFailures: number;
  @ApiProperty({ description: 'Milliseconds since the relay last published or found nothing to publish' }) msSinceProgress: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
}

@ApiTags('health')
@Controller('health')
export class RelayHealthController {
  constructor(
    private readonly relay: Relay,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  @Get()
  @Public()
  @ApiEndpoint({
    summary: "The relay's position, failures and whether it is stalled",
    public: true,
    ok: RelayHealthView,
    refusals: { 503: false },
  })
  health(): RelayHealth {
    return relayHealth(this.relay.metrics, this.config.relayStalledAfterMs);
  }
}
