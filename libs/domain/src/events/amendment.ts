import type { AdverseEventReported } from './adverse-event';
import type { ClinicalAssessed } from './clinical';
import type { InfusionGiven } from './infusion';
import type { LabResulted } from './lab';
import type { NeurographyRecorded } from './neurography';

/**
 * Clinical data may be corrected or voided; nothing else may. Enrolment, screen failure,
 * randomization and withdrawal move the patient through the trial and other facts depend on
 * them (consent date, allocation, the end of data collection), so amending them needs a process
 * of its own. Corrections and voids are not amended either: to change a corrected value, correct
 * the original entry again; a void is final.
 */
export const AMENDABLE_EVENT_TYPES = [
  'InfusionGiven',
  'LabResulted',
  'NeurographyRecorded',
  'ClinicalAssessed',
  'AdverseEventReported',
] as const;
export type AmendableEventType = (typeof AMENDABLE_EVENT_TYPES)[number];

export interface AmendablePayloadByType {
  InfusionGiven: InfusionGiven;
  LabResulted: LabResulted;
  NeurographyRecorded: NeurographyRecorded;
  ClinicalAssessed: ClinicalAssessed;
  AdverseEventReported: AdverseEventReported;
}

export const isAmendableEventType = (type: unknown): type is AmendableEventType =>
  typeof type === 'string' && (AMENDABLE_EVENT_TYPES as readonly string[]).includes(type);

/**
 * A correction carries the full corrected payload of the original type, validated by the same
 * rules; the correction's own occurredAt is the (possibly corrected) clinical time of the entry.
 */
export type EntryCorrected = {
  [K in AmendableEventType]: {
    correctedEventId: string;
    correctedType: K;
    reason: string;
    data: AmendablePayloadByType[K];
  };
}[AmendableEventType];

export interface EntryVoided {
  voidedEventId: string;
  voidedType: AmendableEventType;
  reason: string;
}
