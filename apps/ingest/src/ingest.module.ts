import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AllocationModule } from '@trialstream/allocation';
import { MonitorWorkflowController, RecordMonitorActionHandler } from './monitor-workflow';
import { GetPatientHistoryHandler } from './patients/patient-history';
import { PatientsController } from './patients/patients.controller';
import { RandomizePatientHandler } from './patients/randomize-patient';
import { SubmitPatientDataHandler } from './patients/submit-patient-data';
import { ActivateSiteHandler } from './sites/activate-site';
import { EnrolPatientHandler } from './sites/enrol-patient';
import { SignaturesController } from './signatures/signatures.controller';
import { SitesController } from './sites/sites.controller';
import { MeController, UsersController } from './users/users.controller';

/**
 * The site-facing write side. Needs, from the composing app: DATA_SOURCE (DatabaseModule), EVENT_STORE
 * (EventStoreModule), CLOCK and PROTOCOL (PlatformConfigModule), AuthModule's guards and
 * WriteSideModule's StreamWriter. Randomization takes its
 * kits from the allocation list (AllocationModule, the analysis app's schema `allocation`).
 */
@Module({
  imports: [CqrsModule, AllocationModule],
  controllers: [SitesController, PatientsController, UsersController, MeController, MonitorWorkflowController, SignaturesController],
  providers: [
    ActivateSiteHandler,
    EnrolPatientHandler,
    SubmitPatientDataHandler,
    RandomizePatientHandler,
    GetPatientHistoryHandler,
    RecordMonitorActionHandler,
  ],
})
export class IngestModule {}
