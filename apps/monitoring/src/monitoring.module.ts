import { Module } from '@nestjs/common';
import { DATA_SOURCE } from '@trialstream/database';
import { PROTOCOL } from '@trialstream/config';
import type { ProtocolDefinition } from '@trialstream/domain';
import type { DataSource } from 'typeorm';
import { MonitoringController } from './api/monitoring.controller';
import { MonitoringReader } from './api/monitoring-reader';
import { MonitoringService, VISIT_SCHEDULE } from './api/monitoring.service';
import { RegistryModule } from './registry';

/**
 * The monitoring app's query APIs: per-site monitoring and the patient registry. Needs DATA_SOURCE,
 * CLOCK, PROTOCOL and the AccessLog from the composing app; the read models are fed elsewhere
 * (`ProjectionsModule.forRoot(MONITORING_PROJECTIONS)` and the registry's projection).
 */
@Module({
  imports: [RegistryModule],
  controllers: [MonitoringController],
  providers: [
    { provide: MonitoringReader, useFactory: (dataSource: DataSource) => new MonitoringReader(dataSource), inject: [DATA_SOURCE] },
    // the active protocol's named visits, windows and required forms
    { provide: VISIT_SCHEDULE, useFactory: (protocol: ProtocolDefinition) => protocol.schedule, inject: [PROTOCOL] },
    MonitoringService,
  ],
  exports: [MonitoringService],
})
export class MonitoringModule {}
