import type { Action } from '@trialstream/auth';
import type { PatientCommand, PatientCommandByKind } from '@trialstream/domain';

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
} as const satisfies { [K in keyof PatientCommandByKind]?: { permission: Action } };

export type MonitorActionKind = keyof typeof MONITOR_ACTIONS;

/** A validated request body as the patient decider's command: its DTO checked the shape, the domain re-checks every field. */
export const monitorCommand = (kind: MonitorActionKind, command: object): PatientCommand => ({ kind, command }) as PatientCommand;
