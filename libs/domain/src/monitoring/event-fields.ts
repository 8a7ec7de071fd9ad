import { AdverseEventReported } from '../events/adverse-event';
import { ClinicalAssessed } from '../events/clinical';
import { Deviation } from '../events/deviation';
import { InfusionGiven } from '../events/infusion';
import { LabResulted } from '../events/lab';
import { NerveStudy, NeurographyRecorded } from '../events/neurography';
import { ownValue } from './own';
import {
  EligibilityCriterion,
  PatientEnrolled,
  PatientRandomized,
  PatientScreenFailed,
  PatientWithdrawn,
} from '../events/patient-lifecycle';

/** A field of an event payload: a value, an object with fields of its own, or a list of items. */
export type PayloadFieldSpec = true | { fields: Readonly<Record<string, PayloadFieldSpec>> } | { items: PayloadFieldSpec };

/** Every key of the payload type, optional ones included: a field added to an event must be added here. */
type FieldsOf<T> = { readonly [K in keyof Required<T>]: PayloadFieldSpec };

const DEVIATION_FIELDS: FieldsOf<Deviation> = { code: true, detail: true };
const deviations: PayloadFieldSpec = { items: { fields: DEVIATION_FIELDS } };
const CRITERION_FIELDS: FieldsOf<EligibilityCriterion> = { code: true, met: true };
const NERVE_STUDY_FIELDS: FieldsOf<NerveStudy> = {
  nerve: true,
  side: true,
  motorConductionVelocityMs: true,
  distalMotorLatencyMs: true,
  cmapAmplitudeMv: true,
  snapAmplitudeUv: true,
  fWaveLatencyMs: true,
  distalDistanceMm: true,
};

/**
 * The patient's facts a monitor checks against source documents and may question: lifecycle facts
 * (consent, eligibility, kit, withdrawal) and clinical data. Not corrections or voids (the query goes
 * to the entry they amend), nor the monitor's own events.
 */
export const MONITORED_EVENT_FIELDS = {
  PatientEnrolled: {
    patientId: true,
    siteId: true,
    screeningNumber: true,
    consentDate: true,
    eligibility: { fields: { met: true, criteria: { items: { fields: CRITERION_FIELDS } } } },
    heightCm: true,
    weightKg: true,
    sex: true,
    birthYear: true,
  } satisfies FieldsOf<PatientEnrolled>,
  PatientScreenFailed: {
    patientId: true,
    siteId: true,
    screeningNumber: true,
    consentDate: true,
    failedCriteria: { items: true },
    sex: true,
    birthYear: true,
  } satisfies FieldsOf<PatientScreenFailed>,
  PatientRandomized: { kitNumber: true, stratum: true } satisfies FieldsOf<PatientRandomized>,
  PatientWithdrawn: { reason: true } satisfies FieldsOf<PatientWithdrawn>,
  InfusionGiven: {
    cycle: true,
    infusionInCycle: true,
    doseLevelMgPerM2: true,
    heightCm: true,
    weightKg: true,
    bsaM2: true,
    plannedDoseMg: true,
    administeredDoseMg: true,
    deviations,
  } satisfies FieldsOf<InfusionGiven>,
  LabResulted: { analyte: true, value: true, unit: true, qualifier: true, specimenId: true } satisfies FieldsOf<LabResulted>,
  NeurographyRecorded: {
    limbTemperatureC: true,
    nerves: { items: { fields: NERVE_STUDY_FIELDS } },
    deviations,
  } satisfies FieldsOf<NeurographyRecorded>,
  ClinicalAssessed: {
    assessorId: true,
    incatArms: true,
    incatLegs: true,
    sensorySumScore: true,
    mrcSumScore: true,
    tenMetreWalkSeconds: true,
    globalStatus: true,
  } satisfies FieldsOf<ClinicalAssessed>,
  AdverseEventReported: {
    term: true,
    serious: true,
    grade: true,
    relatedness: true,
    outcome: true,
  } satisfies FieldsOf<AdverseEventReported>,
} as const;

export type MonitoredEventType = keyof typeof MONITORED_EVENT_FIELDS;
export const MONITORED_EVENT_TYPES = Object.keys(MONITORED_EVENT_FIELDS) as readonly MonitoredEventType[];

export const isMonitoredEventType = (type: unknown): type is MonitoredEventType =>
  typeof type === 'string' && Object.prototype.hasOwnProperty.call(MONITORED_EVENT_FIELDS, type);

/** Every event's clinical time is a field of its own: the visit date is what monitors question most. */
export const CLINICAL_TIME_FIELD = 'occurredAt';

const SEGMENT = /^([A-Za-z][A-Za-z0-9]*)((?:\[\d+\])*)$/;

/**
 * Why a field path does not name a field of this event, or undefined when it does. Names come from
 * the event type; list positions from the entry as it stands now (after corrections), so that
 * `nerves[2]` exists only when the study has a third nerve.
 */
export const fieldPathProblem = (type: MonitoredEventType, data: unknown, path: string): string | undefined => {
  if (path === CLINICAL_TIME_FIELD) return undefined;
  let fields: Readonly<Record<string, PayloadFieldSpec>> | undefined = MONITORED_EVENT_FIELDS[type];
  let value: unknown = data;
  let walked = '';
  for (const segment of path.split('.')) {
    const match = SEGMENT.exec(segment);
    if (!match) return `'${segment}' is not a field name`;
    const [, name, indexPart] = match;
    let spec: PayloadFieldSpec | undefined = fields ? ownValue(fields, name) : undefined;
    if (spec === undefined) return `${type} has no field ${walked ? `${walked}.` : ''}${name}`;
    walked = walked ? `${walked}.${name}` : name;
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
    for (const index of (indexPart.match(/\d+/g) ?? []).map(Number)) {
      if (spec === true || !('items' in spec)) return `${walked} is not a list`;
      if (!Array.isArray(value) || index >= value.length) return `${walked} has no item ${index}`;
      spec = spec.items;
      value = value[index];
      walked = `${walked}[${index}]`;
    }
    fields = spec !== true && 'fields' in spec ? spec.fields : undefined;
  }
  return undefined;
};
