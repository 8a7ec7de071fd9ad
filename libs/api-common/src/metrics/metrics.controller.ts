import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@trialstream/auth';
import { ApiEndpoint } from '../openapi';
import { Metrics } from './metrics';

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Public()
  @ApiEndpoint({
    summary: 'Prometheus metrics (text exposition format)',
    public: true,
    ok: { mediaType: 'text/plain', description: 'Prometheus text exposition format 0.0.4' },
    refusals: { 503: false },
  })
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
