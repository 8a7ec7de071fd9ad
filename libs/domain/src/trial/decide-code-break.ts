import { PATIENT_FIELD, requireEnrolledPatient } from '../decide/admission';
import { EventDraft } from '../envelope';
import { PatientState } from '../patient-state';
import { DecisionContext } from '../protocol';
import { accept, Decision, reject } from '../rule-violation';
import { RULE } from '../rules';
import { fieldsOf, Violations } from '../validation';
import { CodeBreakPerformed, draftTrialEvent } from './events';

export interface CodeBreakCommand {
  reason: string;
}

/**
 * Records an emergency code-break on the patient's stream. Only a randomized patient has an
 * allocation to reveal; a withdrawn one may still need it (an adverse event after withdrawal). The
 * event carries the reason and nothing of the arm, which the caller answers to the requester alone.
 */
export const decideCodeBreak = (
  state: PatientState,
  command: CodeBreakCommand,
  ctx: DecisionContext,
): Decision<EventDraft<'CodeBreakPerformed', CodeBreakPerformed>> => {
  const issues = new Violations();
  if (!requireEnrolledPatient(state, issues)) return reject(issues.list);
  if (!state.randomizedAt || !state.kitNumber) {
    issues.add(PATIENT_FIELD, RULE.notRandomized, 'the patient has not been randomized: there is no allocation to reveal');
    return reject(issues.list);
  }
  const reason = issues.requiredText(fieldsOf(command).reason, 'reason', 1000);
  if (issues.any || reason === undefined) return reject(issues.list);
  return accept(draftTrialEvent('CodeBreakPerformed', ctx.now.toISOString(), { reason }));
};
