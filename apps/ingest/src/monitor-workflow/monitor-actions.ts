import type { Action } from '@trialstream/auth';
import type { PatientCommand, PatientCommandByKind } from '@trialstream/domain';
import { submittedFields } from '../patients/dto/submission.dto';
import type {
  AnswerQueryDto,
  CancelQueryDto,
  CloseQueryDto,
  RaiseQueryDto,
  ReopenQueryDto,
  VerifySourceDataDto,
} from './monitor-workflow.dto';

/**
 * The monitor's workflow on a patient's record, by the name the API gives each step (the patient
 * decider's command kind) and who may take it (libs/auth policy). Raising and reviewing queries and
 * verifying source data are the monitor's; answering is the site's.
 */
export const MONITOR_ACTIONS = {
  'raise-query': { permission: 'raise-query' },
  'answer-query': { permission: 'answer-query' },
  'close-query': { permission: 'review-query' },
  'cancel-query': { permission: 'review-query' },
  'reopen-query': { permission: 'review-query' },
  'verify-source-data': { permission: 'verify-source-data' },
} as const satisfies { [K in MonitorStep['kind']]: { permission: Action } } & { [K in keyof PatientCommandByKind]?: unknown };

/**
 * One step with its body as its DTO checked it. Every query step names its query: a new one by the id
 * the server gave it, the others by the id in the URL.
 */
export type MonitorStep =
  | { kind: 'raise-query'; body: RaiseQueryDto; queryId: string }
  | { kind: 'answer-query'; body: AnswerQueryDto; queryId: string }
  | { kind: 'close-query'; body: CloseQueryDto; queryId: string }
  | { kind: 'cancel-query'; body: CancelQueryDto; queryId: string }
  | { kind: 'reopen-query'; body: ReopenQueryDto; queryId: string }
  | { kind: 'verify-source-data'; body: VerifySourceDataDto };

/** The step as the patient decider's command. Each DTO has its command's fields; the domain re-checks every one. */
export function monitorCommand(action: MonitorStep): PatientCommand {
  switch (action.kind) {
    case 'raise-query':
      return { kind: action.kind, command: { ...submittedFields(action.body), queryId: action.queryId } };
    case 'answer-query':
      return { kind: action.kind, command: { ...submittedFields(action.body), queryId: action.queryId } };
    case 'close-query':
      return { kind: action.kind, command: { ...submittedFields(action.body), queryId: action.queryId } };
    case 'cancel-query':
      return { kind: action.kind, command: { ...submittedFields(action.body), queryId: action.queryId } };
    case 'reopen-query':
      return { kind: action.kind, command: { ...submittedFields(action.body), queryId: action.queryId } };
    case 'verify-source-data':
      return { kind: action.kind, command: submittedFields(action.body) };
  }
}
