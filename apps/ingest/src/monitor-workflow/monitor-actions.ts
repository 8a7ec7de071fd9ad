import type { Action } from '@trialstream/auth';
import {
  decideAnswerQuery, decideCancelQuery, decideCloseQuery, decideRaiseQuery, decideReopenQuery, decideSourceDataVerification, Decision,
  DecisionContext, EventDraft, MonitoredPatientState,
} from '@trialstream/domain';

type MonitorDecider = (state: MonitoredPatientState, command: never, ctx: DecisionContext) => Decision<EventDraft>;

/**
 * The monitor's workflow on a patient's record, by the name the API gives each step: who may take it
 * (libs/auth policy) and the domain function that decides it. Raising and reviewing queries and
 * verifying source data are the monitor's; answering is the site's.
 */
export const MONITOR_ACTIONS = {
  'raise-query': { permission: 'raise-query', decide: decideRaiseQuery },
  'answer-query': { permission: 'answer-query', decide: decideAnswerQuery },
  'close-query': { permission: 'review-query', decide: decideCloseQuery },
  'cancel-query': { permission: 'review-query', decide: decideCancelQuery },
  'reopen-query': { permission: 'review-query', decide: decideReopenQuery },
  'verify-source-data': { permission: 'verify-source-data', decide: decideSourceDataVerification },
} as const satisfies Record<string, { permission: Action; decide: (state: MonitoredPatientState, command: never, ctx: DecisionContext) => unknown }>;

export type MonitorActionKind = keyof typeof MONITOR_ACTIONS;

export function decideMonitorAction(
  kind: MonitorActionKind,
  state: MonitoredPatientState,
  command: Record<string, unknown>,
  ctx: DecisionContext,
): Decision<EventDraft> {
  const decide = MONITOR_ACTIONS[kind].decide as MonitorDecider;
  return decide(state, command as never, ctx);
}
