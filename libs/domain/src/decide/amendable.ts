import { AmendableEventType } from '../events/amendment';
import { adverseEventPayload } from './adverse-event';
import { clinicalAssessmentPayload } from './clinical-assessment';
import { PayloadBuilder } from './entry';
import { infusionPayload } from './infusion';
import { labResultPayload } from './lab-result';
import { neurographyPayload } from './neurography';

/** The one rule set per amendable type, shared by new entries and their corrections. */
export const PAYLOAD_BUILDERS: { [K in AmendableEventType]: PayloadBuilder<K> } = {
  InfusionGiven: infusionPayload,
  LabResulted: labResultPayload,
  NeurographyRecorded: neurographyPayload,
  ClinicalAssessed: clinicalAssessmentPayload,
  AdverseEventReported: adverseEventPayload,
};
