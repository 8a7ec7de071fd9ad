/** Enrolment, randomization and withdrawal: the facts that move a patient through the trial. */

export const SEXES = ['female', 'male'] as const;
export type Sex = (typeof SEXES)[number];

export interface EligibilityCriterion {
  code: string;
  met: boolean;
}

export interface PatientEnrolled {
  patientId: string;
  siteId: string;
  screeningNumber: string;
  /** Calendar date (YYYY-MM-DD) of informed consent; no data may be dated before it. */
  consentDate: string;
  eligibility: { met: true; criteria: EligibilityCriterion[] };
  heightCm: number;
  weightKg: number;
  sex: Sex;
  /** Birth year rather than birth date keeps the log pseudonymous. */
  birthYear: number;
}

export interface PatientScreenFailed {
  patientId: string;
  siteId: string;
  screeningNumber: string;
  consentDate: string;
  /** Codes of the eligibility criteria not met. */
  failedCriteria: string[];
  sex: Sex;
  birthYear: number;
}

/** Sites see the kit, never the arm: the allocation list lives outside the event flow. */
export interface PatientRandomized {
  kitNumber: string;
  stratum: string;
}

export interface PatientWithdrawn {
  reason: string;
}
