import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DATA_SOURCE } from '@trialstream/database';
import type { DataSource } from 'typeorm';
import { AllocationController } from './allocation/allocation.controller';
import { AllocationModule } from '@trialstream/allocation';
import { AnalysisController } from './api/analysis.controller';
import { AnalysisService } from './api/analysis.service';
import { ReaderAccess } from './api/reader-access';
import { AnalysisReader } from './read/analysis-reader';
import { TrialStatusReader } from './read/trial-status';
import { BreakCodeHandler } from './trial/code-break';
import { TakeTrialStepHandler } from './trial/trial-decisions';
import { CodeBreakController, TrialController } from './trial/trial.controller';

/**
 * The blinded placebo-controlled analysis: the allocation list (schema `allocation`), the trial's
 * lock and unblinding, emergency code-breaks, and the analysis query API over the `analysis` read
 * model. The read model is fed elsewhere: `ProjectionsModule.forRoot(ANALYSIS_PROJECTIONS)`.
 *
 * Needs, from the composing app: DATA_SOURCE, EVENT_STORE, CLOCK, PROTOCOL, AuthModule's guards, the
 * global AccessLog and CqrsModule.forRoot(). Its writes (trial steps, code-breaks) go through the
 * process's one StreamWriter (WriteSideModule): the same single write path as ingest's.
 */
@Module({
  imports: [CqrsModule, AllocationModule],
  controllers: [AnalysisController, TrialController, CodeBreakController, AllocationController],
  providers: [
    TrialStatusReader,
    ReaderAccess,
    AnalysisService,
    { provide: AnalysisReader, useFactory: (dataSource: DataSource) => new AnalysisReader(dataSource), inject: [DATA_SOURCE] },
    TakeTrialStepHandler,
    BreakCodeHandler,
  ],
})
export class AnalysisModule {}
