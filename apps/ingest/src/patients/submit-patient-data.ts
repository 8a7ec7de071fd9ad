import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiError } from '@trialstream/api-common';
import { Action, authorize, Principal } from '@trialstream/auth';
import { MonitoredPatientState, patientDecider, PatientState, type TrialStreams } from '@trialstream/domain';
import { TRIAL_STREAMS } from '@trialstream/config';
import { StreamWriter, WriteResult } from '@trialstream/write-side';
import { commandFor, PatientDataSubmission } from './patient-submissions';

export class SubmitPatientData {
  constructor(
    readonly principal: Principal,
    readonly patientId: string,
    readonly submission: PatientDataSubmission,
  ) {}
}

/** The patient must exist and belong to one of the caller's sites (checked on the stream, not the URL). */
export function assertPatientAccess(principal: Principal, patientId: string, state: PatientState, action: Action): void {
  if (state.status === 'not_enrolled' || state.siteId === null) throw ApiError.notFound(`Patient ${patientId}`, 'patientId');
  const denial = authorize(principal, action, state.siteId);
  if (denial) throw ApiError.forbidden(denial.message, [{ field: 'patientId', rule: denial.rule }]);
}

@CommandHandler(SubmitPatientData)
export class SubmitPatientDataHandler implements ICommandHandler<SubmitPatientData, WriteResult> {
  constructor(
    private readonly writer: StreamWriter,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  execute({ principal, patientId, submission }: SubmitPatientData): Promise<WriteResult> {
    const { kind, body } = submission;
    return this.writer.write<MonitoredPatientState>({
      principal,
      streamId: this.streams.patient(patientId),
      siteOf: (state) => state.patient.siteId,
      submissionId: body.submissionId,
      expectedVersion: body.expectedVersion,
      request: { kind, body },
      resource: { patientId },
      fold: patientDecider,
      authorize: (state) => assertPatientAccess(principal, patientId, state.patient, 'submit-clinical-data'),
      decide: (state, ctx) => patientDecider.decide(commandFor(submission), state, ctx),
    });
  }
}
