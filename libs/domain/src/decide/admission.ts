import { ClinicalTime, clinicalTimeOf, compareClinicalTimes } from '../clinical-time';
import { DecisionContext } from '../protocol';
import { PatientState } from '../patient-state';
import { RULE } from '../rules';
import { Violations } from '../validation';

/** Violations about the patient as a whole (not enrolled, screen-failed, ...) name the patient. */
export const PATIENT_FIELD = 'patientId';

/** Refuses any data for a patient who never enrolled or failed screening. */
export const requireEnrolledPatient = (state: PatientState, issues: Violations): boolean => {
  if (state.status === 'not_enrolled') {
    issues.add(PATIENT_FIELD, RULE.patientNotEnrolled, 'the patient is not enrolled');
    return false;
  }
  if (state.status === 'screen_failed') {
    issues.add(PATIENT_FIELD, RULE.screenFailed, 'the patient failed screening and accepts no further data');
    return false;
  }
  return true;
};

/**
 * The clinical-time rules every fact about an enrolled patient obeys: a valid time, not in the
 * future, not before consent, not after withdrawal (a late entry dated before withdrawal is fine).
 */
export const admitClinicalTime = (
  state: PatientState,
  occurredAt: unknown,
  ctx: DecisionContext,
  issues: Violations,
  field = 'occurredAt',
): ClinicalTime | undefined => {
  const time = issues.clinicalTime(occurredAt, field, ctx.now, ctx.protocol.allowedClockSkewMinutes);
  if (!time) return undefined;
  if (state.consentDate && time.date < state.consentDate) {
    return void issues.add(field, RULE.beforeEnrolment, `${field} is before the consent date ${state.consentDate}`);
  }
  if (state.withdrawnAt && compareClinicalTimes(time, clinicalTimeOf(state.withdrawnAt)) > 0) {
    return void issues.add(field, RULE.afterWithdrawal, `${field} is after the withdrawal on ${state.withdrawnAt}`);
  }
  return time;
};

/** Both of the above, in the order a user would fix them. */
export const admitPatientData = (
  state: PatientState,
  occurredAt: unknown,
  ctx: DecisionContext,
  issues: Violations,
): ClinicalTime | undefined => (requireEnrolledPatient(state, issues) ? admitClinicalTime(state, occurredAt, ctx, issues) : undefined);
