import { AdverseEventReported } from '../events/adverse-event';
import { AmendableEventType } from '../events/amendment';
import { ClinicalAssessed } from '../events/clinical';
import { LabResulted } from '../events/lab';
import { NerveStudy } from '../events/neurography';
import { EligibilityCriterion, Sex } from '../events/patient-lifecycle';

/**
 * Commands as the API hands them to the domain. Every command carries the clinical time it
 * reports: an ISO 8601 date (`YYYY-MM-DD`) or a date-time with offset. The domain re-checks every
 * field: these types describe what is expected, not what is guaranteed.
 */
export interface ClinicalTimeField {
  occurredAt: string;
}

export interface SiteActivationCommand extends ClinicalTimeField {
  siteId: string;
  name: string;
  country?: string;
}

export interface EnrolmentCommand extends ClinicalTimeField {
  siteId: string;
  screeningNumber: string;
  consentDate: string;
  eligibility: { met: boolean; criteria: EligibilityCriterion[] };
  /** Required when eligibility is met (they set the dose); not stored on a screen failure. */
  heightCm?: number;
  weightKg?: number;
  sex: Sex;
  birthYear: number;
}

export interface RandomizationCommand extends ClinicalTimeField {
  kitNumber: string;
  stratum: string;
}

export interface InfusionFields {
  doseLevelMgPerM2: number;
  administeredDoseMg: number;
  /** Current measurements; the enrolment's are used when absent. */
  heightCm?: number;
  weightKg?: number;
}
export interface InfusionCommand extends ClinicalTimeField, InfusionFields {}

export type LabResultFields = LabResulted;
export interface LabResultCommand extends ClinicalTimeField, LabResultFields {}

export interface NeurographyFields {
  limbTemperatureC: number;
  nerves: NerveStudy[];
}
export interface NeurographyCommand extends ClinicalTimeField, NeurographyFields {}

export type ClinicalAssessmentFields = ClinicalAssessed;
export interface ClinicalAssessmentCommand extends ClinicalTimeField, ClinicalAssessmentFields {}

export interface AdverseEventFields extends Omit<AdverseEventReported, 'grade'> {
  grade: number;
}
export interface AdverseEventCommand extends ClinicalTimeField, AdverseEventFields {}

export interface WithdrawalCommand extends ClinicalTimeField {
  reason: string;
}

/** What a correction carries as `data` for each type: the fields a site enters for a new entry. */
export interface AmendableFieldsByType {
  InfusionGiven: InfusionFields;
  LabResulted: LabResultFields;
  NeurographyRecorded: NeurographyFields;
  ClinicalAssessed: ClinicalAssessmentFields;
  AdverseEventReported: AdverseEventFields;
}

/**
 * A correction: `occurredAt` is when the site made it; it never moves the entry. The entry keeps its
 * clinical time unless `correctedOccurredAt` corrects that too. `data` holds all of the entry's fields
 * as they should have been (`AmendableFieldsByType` of the entry's type), checked by that type's rules.
 * Fields the domain derives (cycle, dose, deviations) are derived again; if sent, they are ignored.
 */
export interface CorrectionCommand extends ClinicalTimeField {
  correctedEventId: string;
  /** The type the sender believes the entry has, checked against the record; absent: the entry's own type. */
  correctedType?: AmendableEventType;
  reason: string;
  data: object;
  /** The entry's corrected clinical time; absent: the entry keeps the time it has. */
  correctedOccurredAt?: string;
}

/** A void: `occurredAt` is when the site decided the entry was void. */
export interface VoidCommand extends ClinicalTimeField {
  voidedEventId: string;
  /** As for a correction: checked against the record when given. */
  voidedType?: AmendableEventType;
  reason: string;
}
