import { Module } from '@nestjs/common';
import { DATA_SOURCE } from '@trialstream/database';
import type { DataSource } from 'typeorm';
import { MonitoringController } from './api/monitoring.controller';
import { MonitoringReader } from './api/monitoring-reader';
import { MonitoringService } from './api/monitoring.service';
import { MonitoringWarmUp } from './api/monitoring-warm-up';
import { RegistryModule } from './registry';

/**
 * The monitoring app's query APIs: per-site monitoring and the patient registry. Needs DATA_SOURCE,
 * CLOCK, the ProtocolRegistry and the AccessLog from the composing app; the read models are fed elsewhere
 * (`ProjectionsModule.forRoot(MONITORING_PROJECTIONS)` and the registry's projection).
 */
@Module({
  imports: [RegistryModule],
  controllers: [MonitoringController],
  providers: [
    { provide: MonitoringReader, useFactory: (dataSource: DataSource) => new MonitoringReader(dataSource), inject: [DATA_SOURCE] },
    MonitoringService,
    MonitoringWarmUp,
  ],
  exports: [MonitoringService],
})
export class MonitoringModule {}
