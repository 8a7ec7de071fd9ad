import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiError } from '@trialstream/api-common';
import { authorize, Principal } from '@trialstream/auth';
import {
  decideEnrolment,
  EnrolmentCommand,
  evolveSite,
  initialSiteState,
  patientIdFor,
  patientStateFrom,
  PatientState,
  type TrialStreams,
} from '@trialstream/domain';
import { TRIAL_STREAMS } from '@trialstream/config';
import type { PostgresEventStore } from '@trialstream/event-store';
import { StreamWriter, WriteResult } from '@trialstream/write-side';
import { EVENT_STORE } from '@trialstream/event-store';

export class EnrolPatient {
  constructor(
    readonly principal: Principal,
    readonly siteId: string,
    readonly body: Omit<EnrolmentCommand, 'siteId'> & { submissionId: string; expectedVersion?: number },
  ) {}
}

@CommandHandler(EnrolPatient)
export class EnrolPatientHandler implements ICommandHandler<EnrolPatient, WriteResult> {
  constructor(
    private readonly writer: StreamWriter,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  async execute({ principal, siteId, body }: EnrolPatient): Promise<WriteResult> {
    const denial = authorize(principal, 'submit-clinical-data', siteId);
    if (denial) throw ApiError.forbidden(denial.message, [{ field: 'siteId', rule: denial.rule }]);
    const site = (await this.store.readStream(this.streams.site(siteId))).reduce(evolveSite, initialSiteState);
    if (!site.activated) {
      throw new ApiError(404, 'not_found', `Site ${siteId} is not an activated site of this trial`, [
        { field: 'siteId', rule: 'activated-site' },
      ]);
    }
    const { submissionId, expectedVersion, ...fields } = body;
    const patientId = patientIdFor(siteId, String(fields.screeningNumber));
    return this.writer.write<PatientState>({
      principal,
      streamId: this.streams.patient(patientId),
      siteOf: () => siteId,
      submissionId,
      expectedVersion,
      request: { kind: 'enrolment', body: { siteId, ...body } },
      resource: { patientId },
      fold: patientStateFrom,
      authorize: () => undefined,
      decide: (state, ctx) => decideEnrolment(state, { ...fields, siteId }, ctx),
    });
  }
}
