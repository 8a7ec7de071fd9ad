import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEVIATION_CODES, type Deviation, type DeviationCode } from '@trialstream/domain';
import type { HeadersObject } from '@nestjs/swagger';

/** The header of an answer repeated for a retried submission id. */
export const SUBMISSION_HEADERS: HeadersObject = {
  'Idempotent-Replayed': {
    description: '`true` when the submission id was seen before: the first answer, repeated; nothing new was stored',
    schema: { type: 'string', enum: ['true'] },
  },
};

export class DeviationView implements Deviation {
  @ApiProperty({ enum: DEVIATION_CODES })
  code: DeviationCode;

  @ApiProperty({ example: 'given on day 10, due on day 8 ± 2' })
  detail: string;
}

export class SubmittedEventView {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ example: 'LabResulted' }) type: string;
  @ApiProperty() streamVersion: number;
  @ApiProperty({ example: '42', description: 'Global position (a decimal string: positions outgrow JavaScript numbers)' })
  globalPosition: string;
  @ApiProperty({ format: 'date-time', description: 'Server time' }) recordedAt: string;
  @ApiProperty({ type: [DeviationView], description: 'Protocol deviations flagged on the event: stored, not refused' })
  deviations: DeviationView[];
}

/** What an accepted submission answers (`SubmissionResponse`), and again, verbatim, for a retry of its submission id. */
export class SubmissionAnswer {
  @ApiProperty({
    example: 'anti-mag-rituximab-rct.patient-S01-0001',
    description: "The trial's stream: `<trialId>.patient-<id>`, or `patient-<id>` in a log from before trial names",
  })
  streamId: string;
  @ApiProperty({ description: "The stream's version after the submission: send it as `expectedVersion` next" })
  streamVersion: number;
  @ApiProperty({
    example: '42',
    description: 'Global position of the last event: a read with `minPosition` set to it sees this submission',
  })
  position: string;
  @ApiProperty({ type: [SubmittedEventView] }) events: SubmittedEventView[];
}

export class PatientSubmissionAnswer extends SubmissionAnswer {
  @ApiProperty({ example: 'S01-0001' }) patientId: string;
}

export class RandomizationAnswer extends PatientSubmissionAnswer {
  @ApiProperty({ example: 'K-0042', description: 'The kit to dispense; never the arm' }) kitNumber: string;
  @ApiPropertyOptional({ example: 'S01', description: "The randomization stratum (the patient's site)" }) stratum?: string;
}

export class QueryActionAnswer extends PatientSubmissionAnswer {
  @ApiProperty({ format: 'uuid', description: 'The query (a new one gets its id from the server)' }) queryId: string;
}

export class SiteSubmissionAnswer extends SubmissionAnswer {
  @ApiProperty({ example: 'S01' }) siteId: string;
}

/** What every submission may be refused with, besides the shared refusals of every route. */
export const SUBMISSION_REFUSALS = {
  409: "`expectedVersion` is not the stream's version, the stream kept changing, or the trial database is frozen or locked",
  422: 'A protocol or consistency rule refuses it (`details` names the field and the rule), or the submission id was used for another request',
} as const;
