import { Module } from '@nestjs/common';
import { DATA_SOURCE } from '@trialstream/database';
import type { DataSource } from 'typeorm';
import { AllocationModule } from '@trialstream/allocation';
import { CheckpointSchedule } from './checkpoints/checkpoint-schedule';
import { CheckpointsController } from './checkpoints/checkpoints.controller';
import { ExportAllocation } from './exports/export-allocation';
import { ExportsController } from './exports/exports.controller';
import { AuditLogController } from './log/audit-log.controller';
import { EventLog } from './log/event-log';
import { PatientAuditController } from './patients/patient-audit.controller';
import { ProjectionAsOfController } from './point-in-time/projection-as-of.controller';
import { ProtocolAtMoment } from './point-in-time/protocol-at-moment';
import { VerificationController } from './verification/verification.controller';
import { VerificationJobs } from './verification/verification-jobs';

/**
 * The auditor's API (role `auditor`, permission `read-audit-log`): the raw log, patient histories,
 * verification, checkpoints, point-in-time views and CDISC exports. Read-only; the only things it writes
 * are the access events of its own reads and the scheduled checkpoints of the log (AUDIT_CHECKPOINT_MINUTES).
 * Needs, from the composing app: DATA_SOURCE, EVENT_STORE, CLOCK, PLATFORM_CONFIG, PROTOCOL, AuthModule's
 * guards, the global AccessLog and AUDITED_PROJECTIONS (every read model it checks).
 */
@Module({
  imports: [AllocationModule],
  controllers: [
    AuditLogController,
    PatientAuditController,
    VerificationController,
    ProjectionAsOfController,
    ExportsController,
    CheckpointsController,
  ],
  providers: [
    { provide: EventLog, useFactory: (dataSource: DataSource) => new EventLog(dataSource), inject: [DATA_SOURCE] },
    ExportAllocation,
    CheckpointSchedule,
    VerificationJobs,
    ProtocolAtMoment,
  ],
})
export class AuditModule {}
