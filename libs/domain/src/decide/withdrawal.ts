import { ClinicalTime, clinicalTimeOf, compareClinicalTimes } from '../clinical-time';
import { EventDraft } from '../envelope';
import { isAmendableEventType } from '../events/amendment';
import { draftEvent } from '../events/catalog';
import { PatientWithdrawn } from '../events/patient-lifecycle';
import { PatientState } from '../patient-state';
import { DecisionContext } from '../protocol';
import { accept, Decision, reject } from '../rule-violation';
import { RULE } from '../rules';
import { fieldsOf, Violations } from '../validation';
import { admitClinicalTime, PATIENT_FIELD, requireEnrolledPatient } from './admission';
import { WithdrawalCommand } from './commands';

/** The latest clinical time of anything that still counts (clinical data and randomization). */
const latestRecordedTime = (state: PatientState): string | undefined => {
  const times = Object.values(state.entries)
    .filter((entry) => !entry.voided && (isAmendableEventType(entry.type) || entry.type === 'PatientRandomized'))
    .map((entry) => entry.occurredAt);
  return times.reduce<string | undefined>(
    (latest, time) => (!latest || compareClinicalTimes(clinicalTimeOf(time), clinicalTimeOf(latest)) > 0 ? time : latest),
    undefined,
  );
};

/**
 * Ends the patient's participation. Nothing may be dated after it, so it may not be dated before
 * data already recorded (void or correct that data first).
 */
export const decideWithdrawal = (
  state: PatientState,
  command: WithdrawalCommand,
  ctx: DecisionContext,
): Decision<EventDraft<'PatientWithdrawn', PatientWithdrawn>> => {
  const issues = new Violations();
  if (!requireEnrolledPatient(state, issues)) return reject(issues.list);
  if (state.status === 'withdrawn') {
    issues.add(PATIENT_FIELD, RULE.alreadyWithdrawn, `the patient withdrew on ${state.withdrawnAt}`);
    return reject(issues.list);
  }

  const fields = fieldsOf(command);
  const time: ClinicalTime | undefined = admitClinicalTime(state, fields.occurredAt, ctx, issues);
  const reason = issues.requiredText(fields.reason, 'reason', 1000);
  const latest = latestRecordedTime(state);
  if (time && latest && compareClinicalTimes(time, clinicalTimeOf(latest)) < 0) {
    issues.add('occurredAt', RULE.beforeRecordedData, `data is recorded up to ${latest}; a withdrawal cannot precede it`);
  }
  if (issues.any || reason === undefined) return reject(issues.list);
  return accept(draftEvent('PatientWithdrawn', fields.occurredAt as string, { reason }));
};
