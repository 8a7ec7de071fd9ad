import { Module } from '@nestjs/common';
import { DATA_SOURCE } from '@trialstream/database';
import type { DataSource } from 'typeorm';
import { AllocationModule } from '@trialstream/allocation';
import { ExportAllocation } from './exports/export-allocation';
import { ExportsController } from './exports/exports.controller';
import { AuditLogController } from './log/audit-log.controller';
import { EventLog } from './log/event-log';
import { PatientAuditController } from './patients/patient-audit.controller';
import { ProjectionAsOfController } from './point-in-time/projection-as-of.controller';
import { VerificationController } from './verification/verification.controller';

/**
 * The auditor's API (role `auditor`, permission `read-audit-log`): the raw log, patient histories,
 * verification, point-in-time views and CDISC exports. Read-only; the only thing it writes is the
 * access events of its own reads. Needs, from the composing app: DATA_SOURCE, EVENT_STORE, CLOCK,
 * PROTOCOL, AuthModule's guards, the global AccessLog and AUDITED_PROJECTIONS (every read model it checks).
 */
@Module({
  imports: [AllocationModule],
  controllers: [AuditLogController, PatientAuditController, VerificationController, ProjectionAsOfController, ExportsController],
  providers: [
    { provide: EventLog, useFactory: (dataSource: DataSource) => new EventLog(dataSource), inject: [DATA_SOURCE] },
    ExportAllocation,
  ],
})
export class AuditModule {}
