import { EventDraft } from '../envelope';
import { draftEvent } from '../events/catalog';
import { EligibilityCriterion, PatientEnrolled, PatientScreenFailed, SEXES } from '../events/patient-lifecycle';
import { PatientState } from '../patient-state';
import { DecisionContext } from '../protocol';
import { accept, Decision, reject } from '../rule-violation';
import { RULE } from '../rules';
import { patientIdFor } from '../streams';
import { fieldPath, fieldsOf, Violations } from '../validation';
import { PATIENT_FIELD } from './admission';
import { EnrolmentCommand } from './commands';

const criteriaOf = (value: unknown, issues: Violations): EligibilityCriterion[] | undefined => {
  const raw = issues.items(value, 'eligibility.criteria');
  if (!raw) return undefined;
  const criteria: EligibilityCriterion[] = [];
  const seen = new Set<string>();
  raw.forEach((item, index) => {
    const at = (name: string) => fieldPath('eligibility.criteria', index, name);
    if (!issues.object(item, fieldPath('eligibility.criteria', index))) return;
    const fields = fieldsOf(item);
    const code = issues.requiredText(fields.code, at('code'), 64);
    const met = issues.requiredBoolean(fields.met, at('met'));
    if (code !== undefined && seen.has(code)) issues.add(at('code'), RULE.duplicateCriterion, `criterion ${code} is listed twice`);
    if (code !== undefined) seen.add(code);
    if (code !== undefined && met !== undefined) criteria.push({ code, met });
  });
  return criteria.length === raw.length ? criteria : undefined;
};

/**
 * Enrols a consented patient, or records the screen failure when eligibility is not met. The
 * overall verdict must agree with the criteria: eligible means every criterion met, a screen
 * failure names at least one that was not.
 */
export const decideEnrolment = (
  state: PatientState,
  command: EnrolmentCommand,
  ctx: DecisionContext,
): Decision<EventDraft<'PatientEnrolled', PatientEnrolled> | EventDraft<'PatientScreenFailed', PatientScreenFailed>> => {
  const issues = new Violations();
  if (state.status === 'screen_failed') {
    issues.add(PATIENT_FIELD, RULE.screenFailed, 'the patient failed screening; re-screening needs a new screening number');
    return reject(issues.list);
  }
  if (state.status !== 'not_enrolled') {
    issues.add(PATIENT_FIELD, RULE.alreadyEnrolled, 'the patient is already enrolled');
    return reject(issues.list);
  }

  const fields = fieldsOf(command);
  const { now, protocol } = ctx;
  const skew = protocol.allowedClockSkewMinutes;
  const siteId = issues.identifier(fields.siteId, 'siteId');
  const screeningNumber = issues.identifier(fields.screeningNumber, 'screeningNumber');
  const consentDate = issues.pastDate(fields.consentDate, 'consentDate', now, skew);
  const time = issues.clinicalTime(fields.occurredAt, 'occurredAt', now, skew);
  if (time && consentDate && time.date < consentDate) {
    issues.add('occurredAt', RULE.beforeConsent, `enrolment must not be before the consent date ${consentDate}`);
  }
  const sex = issues.oneOf(fields.sex, 'sex', SEXES);
  const latestBirthYear = Number((consentDate ?? now.toISOString()).slice(0, 4));
  const birthYear = issues.requiredNumber(fields.birthYear, 'birthYear', { min: 1900, max: latestBirthYear, integer: true });

  const eligibility = issues.object(fields.eligibility, 'eligibility');
  const met = eligibility && issues.requiredBoolean(eligibility.met, 'eligibility.met');
  const criteria = eligibility && criteriaOf(eligibility.criteria, issues);
  const failedCriteria = criteria?.filter((criterion) => !criterion.met).map((criterion) => criterion.code);
  if (met === true && failedCriteria && failedCriteria.length > 0) {
    issues.add('eligibility.met', RULE.eligibilityInconsistent, `eligible, yet criteria not met: ${failedCriteria.join(', ')}`);
  }
  if (met === false && failedCriteria && failedCriteria.length === 0) {
    issues.add('eligibility.met', RULE.eligibilityInconsistent, 'not eligible, yet every criterion is met');
  }

  // height and weight set the dose, so an enrolled patient needs them; a screen failure does not
  const { heightCm: heightRange, weightKg: weightRange } = protocol.anthropometry;
  const heightCm = met === true ? issues.requiredNumber(fields.heightCm, 'heightCm', heightRange) : undefined;
  const weightKg = met === true ? issues.requiredNumber(fields.weightKg, 'weightKg', weightRange) : undefined;

  if (issues.any) return reject(issues.list);
  const occurredAt = fields.occurredAt as string;
  const patientId = patientIdFor(siteId!, screeningNumber!);
  if (met === false) {
    return accept(
      draftEvent('PatientScreenFailed', occurredAt, {
        patientId,
        siteId: siteId!,
        screeningNumber: screeningNumber!,
        consentDate: consentDate!,
        failedCriteria: failedCriteria!,
        sex: sex!,
        birthYear: birthYear!,
      }),
    );
  }
  return accept(
    draftEvent('PatientEnrolled', occurredAt, {
      patientId,
      siteId: siteId!,
      screeningNumber: screeningNumber!,
      consentDate: consentDate!,
      eligibility: { met: true, criteria: criteria! },
      heightCm: heightCm!,
      weightKg: weightKg!,
      sex: sex!,
      birthYear: birthYear!,
    }),
  );
};
