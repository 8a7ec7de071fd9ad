import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PlatformReadiness } from './platform-readiness';
import { ProbesController } from './probes.controller';
import { ReadinessChecks } from './readiness-checks';

/** `/health/live` and `/health/ready` (with @nestjs/terminus); modules add their checks to ReadinessChecks. */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [ProbesController],
  providers: [ReadinessChecks, PlatformReadiness],
  exports: [ReadinessChecks],
})
export class HealthModule {}
