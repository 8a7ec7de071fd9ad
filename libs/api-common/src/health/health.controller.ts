import { Controller, Get } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '@trialstream/auth';
import { ApiEndpoint } from '../openapi';

export class HealthStatusView {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  @Get()
  @Public()
  @ApiEndpoint({
    summary: 'The process answers (see /health/ready for what it can serve)',
    public: true,
    ok: HealthStatusView,
    refusals: { 503: false },
  })
  health() {
    return { status: 'ok' };
  }
}
