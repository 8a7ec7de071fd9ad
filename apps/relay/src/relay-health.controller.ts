import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Relay } from './relay';

export interface RelayHealth {
  /** ok: publishing or idle; retrying: the last attempt failed (broker or database unavailable); stopped. */
  status: 'ok' | 'retrying' | 'stopped';
  /** leader: this relay publishes; standby: another one does, and this one takes over if it goes. */
  role: 'leader' | 'standby';
  lastPublishedPosition: string | null;
  lastPublishedTransactionId: string | null;
  lastPublishedAt: string | null;
  eventsPublished: number;
  consecutiveFailures: number;
  lastError: string | null;
}

@ApiTags('health')
@Controller('health')
export class RelayHealthController {
  constructor(private readonly relay: Relay) {}

  @Get()
  health(): RelayHealth {
    const metrics = this.relay.metrics;
    const status = !metrics.running ? 'stopped' : metrics.consecutiveFailures > 0 ? 'retrying' : 'ok';
    return {
      status,
      role: metrics.role,
      lastPublishedPosition: metrics.lastPublished?.globalPosition ?? null,
      lastPublishedTransactionId: metrics.lastPublished?.transactionId ?? null,
      lastPublishedAt: metrics.lastPublishedAt,
      eventsPublished: metrics.eventsPublished,
      consecutiveFailures: metrics.consecutiveFailures,
      lastError: metrics.lastError,
    };
  }
}
