import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '@trialstream/auth';
import { ApiEndpoint } from '../openapi';
import { ReadinessChecks } from './readiness-checks';

/** Liveness and readiness for orchestrators: `live` says the process answers, `ready` that it can serve a request now. */
@ApiTags('health')
@Controller('health')
export class ProbesController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessChecks,
  ) {}

  @Get('live')
  @Public()
  @HealthCheck()
  // Terminus's @HealthCheck documents the report of 200 and 503
  @ApiEndpoint({ summary: 'Liveness: the process answers (restart it if not)', public: true, refusals: { 503: false } })
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiEndpoint({
    summary: 'Readiness: database, Kafka, relay and projection lags within their thresholds (503 when not)',
    public: true,
    refusals: { 503: false },
  })
  ready() {
    return this.health.check(
      this.readiness.all().map((check) => async () => {
        const session = this.indicators.check(check.name);
        try {
          const { up, details } = await check.check();
          return up ? session.up(details) : session.down(details);
        } catch (error) {
          return session.down({ message: (error as Error).message });
        }
      }),
    );
  }
}
