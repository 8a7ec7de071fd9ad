import type { PatientCommand } from '@trialstream/domain';
import type { CorrectEntryDto, VoidEntryDto } from './dto/amendment.dto';
import type {
  RecordClinicalAssessmentDto,
  RecordInfusionDto,
  RecordLabResultDto,
  RecordNeurographyDto,
  ReportAdverseEventDto,
  WithdrawPatientDto,
} from './dto/clinical-data.dto';
import { submittedFields } from './dto/submission.dto';

/** Every submission about an enrolled patient, by the route segment that receives it: its body as its DTO checked it. */
export interface PatientSubmissionBodies {
  infusions: RecordInfusionDto;
  labs: RecordLabResultDto;
  neurography: RecordNeurographyDto;
  assessments: RecordClinicalAssessmentDto;
  'adverse-events': ReportAdverseEventDto;
  withdrawal: WithdrawPatientDto;
  corrections: CorrectEntryDto;
  voids: VoidEntryDto;
}

export type PatientSubmissionKind = keyof PatientSubmissionBodies;

/** A route's kind with its own body: `{ kind: 'labs', body: RecordLabResultDto }`. */
export type PatientDataSubmission = { [K in PatientSubmissionKind]: { kind: K; body: PatientSubmissionBodies[K] } }[PatientSubmissionKind];

/**
 * Turns a validated request body into the patient decider's command. Each DTO implements its command's
 * fields, so the compiler checks this mapping; the domain re-checks every field it reads, and finds the
 * type of the entry an amendment targets in the patient's own stream.
 */
export function commandFor(submission: PatientDataSubmission): PatientCommand {
  switch (submission.kind) {
    case 'infusions':
      return { kind: 'infusion', command: submittedFields(submission.body) };
    case 'labs':
      return { kind: 'lab', command: submittedFields(submission.body) };
    case 'neurography':
      return { kind: 'neurography', command: submittedFields(submission.body) };
    case 'assessments':
      return { kind: 'assessment', command: submittedFields(submission.body) };
    case 'adverse-events':
      return { kind: 'adverse-event', command: submittedFields(submission.body) };
    case 'withdrawal':
      return { kind: 'withdrawal', command: submittedFields(submission.body) };
    case 'corrections':
      return { kind: 'correction', command: submittedFields(submission.body) };
    case 'voids':
      return { kind: 'void', command: submittedFields(submission.body) };
  }
}
