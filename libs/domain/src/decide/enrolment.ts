import { EventDraft } from '../envelope';
import { draftEvent } from '../events/catalog';
import { EligibilityCriterion, PatientEnrolled, PatientScreenFailed, Sex, SEXES } from '../events/patient-lifecycle';
import { PatientState } from '../patient-state';
import { DecisionContext } from '../protocol';
import { accept, Decision, reject, violation } from '../rule-violation';
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

/** Who the patient is: pseudonymous subject number, consent, demographics; the enrolment time is not before consent. */
interface Subject {
  siteId: string;
  screeningNumber: string;
  consentDate: string;
  occurredAt: string;
  sex: Sex;
  birthYear: number;
}

/** Eligibility as the site assessed it: the verdict agrees with the criteria. */
interface Eligibility {
  met: boolean;
  criteria: EligibilityCriterion[];
  failedCriteria: string[];
}

/** A patient is enrolled (or fails screening) once: a second attempt is refused before anything else is checked. */
const refusedAdmission = (state: PatientState): Decision<never> | undefined => {
  if (state.status === 'screen_failed') {
    return reject([violation(PATIENT_FIELD, RULE.screenFailed, 'the patient failed screening; re-screening needs a new screening number')]);
  }
  if (state.status !== 'not_enrolled') return reject([violation(PATIENT_FIELD, RULE.alreadyEnrolled, 'the patient is already enrolled')]);
  return undefined;
};

const subjectOf = (fields: Record<string, unknown>, { now, protocol }: DecisionContext, issues: Violations): Subject | undefined => {
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
  if (siteId === undefined || screeningNumber === undefined || consentDate === undefined || !time) return undefined;
  if (sex === undefined || birthYear === undefined) return undefined;
  return { siteId, screeningNumber, consentDate, occurredAt: fields.occurredAt as string, sex, birthYear };
};

const eligibilityOf = (value: unknown, issues: Violations): Partial<Eligibility> => {
  const eligibility = issues.object(value, 'eligibility');
  const met = eligibility && issues.requiredBoolean(eligibility.met, 'eligibility.met');
  const criteria = eligibility && criteriaOf(eligibility.criteria, issues);
  const failedCriteria = criteria?.filter((criterion) => !criterion.met).map((criterion) => criterion.code);
  if (met === true && failedCriteria && failedCriteria.length > 0) {
    issues.add('eligibility.met', RULE.eligibilityInconsistent, `eligible, yet criteria not met: ${failedCriteria.join(', ')}`);
  }
  if (met === false && failedCriteria && failedCriteria.length === 0) {
    issues.add('eligibility.met', RULE.eligibilityInconsistent, 'not eligible, yet every criterion is met');
  }
  return { met, criteria, failedCriteria };
};

/** Height and weight set the dose, so an enrolled patient needs them; a screen failure does not. */
const anthropometryOf = (
  fields: Record<string, unknown>,
  eligible: boolean,
  { protocol }: DecisionContext,
  issues: Violations,
): { heightCm: number; weightKg: number } | undefined => {
  if (!eligible) return undefined;
  const heightCm = issues.requiredNumber(fields.heightCm, 'heightCm', protocol.anthropometry.heightCm);
  const weightKg = issues.requiredNumber(fields.weightKg, 'weightKg', protocol.anthropometry.weightKg);
  return heightCm === undefined || weightKg === undefined ? undefined : { heightCm, weightKg };
};

const screenFailure = ({ occurredAt, ...subject }: Subject, { failedCriteria }: Eligibility) =>
  draftEvent('PatientScreenFailed', occurredAt, {
    patientId: patientIdFor(subject.siteId, subject.screeningNumber),
    siteId: subject.siteId,
    screeningNumber: subject.screeningNumber,
    consentDate: subject.consentDate,
    failedCriteria,
    sex: subject.sex,
    birthYear: subject.birthYear,
  });

const enrolment = ({ occurredAt, ...subject }: Subject, { criteria }: Eligibility, size: { heightCm: number; weightKg: number }) =>
  draftEvent('PatientEnrolled', occurredAt, {
    patientId: patientIdFor(subject.siteId, subject.screeningNumber),
    siteId: subject.siteId,
    screeningNumber: subject.screeningNumber,
    consentDate: subject.consentDate,
    eligibility: { met: true, criteria },
    heightCm: size.heightCm,
    weightKg: size.weightKg,
    sex: subject.sex,
    birthYear: subject.birthYear,
  });

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
  const refused = refusedAdmission(state);
  if (refused) return refused;
  const issues = new Violations();
  const fields = fieldsOf(command);
  const subject = subjectOf(fields, ctx, issues);
  const { met, criteria, failedCriteria } = eligibilityOf(fields.eligibility, issues);
  const size = anthropometryOf(fields, met === true, ctx, issues);
  if (issues.any || !subject || met === undefined || !criteria || !failedCriteria) return reject(issues.list);
  const eligibility = { met, criteria, failedCriteria };
  if (!met) return accept(screenFailure(subject, eligibility));
  return size ? accept(enrolment(subject, eligibility, size)) : reject(issues.list);
};
