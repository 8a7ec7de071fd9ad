import {
  ANTI_MAG_RITUXIMAB_PROTOCOL,
  Decision,
  DecisionContext,
  PatientState,
  decideAdverseEvent,
  decideClinicalAssessment,
  decideCorrection,
  decideEnrolment,
  decideInfusion,
  decideLabResult,
  decideNeurography,
  decideVoid,
  decideWithdrawal,
  initialPatientState,
} from '../domain';

/**
 * Every data-entry form of a site, described once: its fields, the route it posts to, and the domain
 * decide function the server runs on it. The browser runs the same function on the patient's state
 * (folded from the patient's own history) before sending, so a field error shows without a round trip
 * and can never disagree with the server's.
 */
export type FieldType = 'number' | 'integer' | 'text' | 'date' | 'select' | 'checkbox' | 'textarea';

export interface FieldSpec {
  name: string;
  label: string;
  type: FieldType;
  options?: readonly string[];
  optional?: boolean;
  hint?: string;
}

export type Values = Record<string, string | boolean>;

/** A field's value as trimmed text: '' when it is unset or a checkbox. */
export const textOf = (values: Values, name: string): string => {
  const value = values[name];
  return typeof value === 'string' ? value.trim() : '';
};

type Decide = (state: PatientState, command: never, ctx: DecisionContext) => Decision<unknown>;

export interface FormSpec {
  kind: string;
  title: string;
  /** The route segment under /patients/{id}/ (enrolment posts to /sites/{siteId}/patients). */
  route: string;
  fields: FieldSpec[];
  decide: Decide;
  defaults?: Values;
}

/** The protocol in force; the rules read it as the server does (DecisionContext). */
export const protocol = ANTI_MAG_RITUXIMAB_PROTOCOL;
export const decisionContext = (): DecisionContext => ({ now: new Date(), protocol });

export const NERVES = ['median', 'ulnar', 'fibular', 'tibial', 'sural', 'radial'] as const;
export const NERVE_MEASURES = [
  'motorConductionVelocityMs',
  'distalMotorLatencyMs',
  'cmapAmplitudeMv',
  'snapAmplitudeUv',
  'fWaveLatencyMs',
  'distalDistanceMm',
] as const;
export const ELIGIBILITY_CRITERIA = ['ANTI_MAG_ABOVE_1000_BTU', 'SENSORY_SUM_AT_LEAST_4'] as const;

const occurredAt: FieldSpec = { name: 'occurredAt', label: 'Date', type: 'date' };

export const ENROLMENT: FormSpec = {
  kind: 'enrolment',
  title: 'Enrol a patient',
  route: 'patients',
  decide: decideEnrolment,
  fields: [
    { name: 'screeningNumber', label: 'Screening number', type: 'text' },
    { name: 'consentDate', label: 'Consent date', type: 'date' },
    occurredAt,
    ...ELIGIBILITY_CRITERIA.map((code, index): FieldSpec => ({
      name: `eligibility.criteria[${index}].met`,
      label: `Criterion ${code}`,
      type: 'checkbox',
    })),
    { name: 'sex', label: 'Sex', type: 'select', options: ['female', 'male'] },
    { name: 'birthYear', label: 'Birth year', type: 'integer' },
    { name: 'heightCm', label: 'Height (cm)', type: 'number' },
    { name: 'weightKg', label: 'Weight (kg)', type: 'number' },
  ],
  defaults: Object.fromEntries(ELIGIBILITY_CRITERIA.map((_, index) => [`eligibility.criteria[${index}].met`, true])),
};

export const INFUSION: FormSpec = {
  kind: 'infusion',
  title: 'Infusion',
  route: 'infusions',
  decide: decideInfusion,
  fields: [
    occurredAt,
    { name: 'doseLevelMgPerM2', label: 'Dose level (mg/m²)', type: 'select', options: protocol.doseLevelsMgPerM2.map(String) },
    { name: 'administeredDoseMg', label: 'Administered dose (mg)', type: 'number' },
    { name: 'heightCm', label: 'Height (cm)', type: 'number', optional: true, hint: 'if measured today' },
    { name: 'weightKg', label: 'Weight (kg)', type: 'number', optional: true, hint: 'if measured today' },
  ],
};

export const LAB: FormSpec = {
  kind: 'lab',
  title: 'Laboratory result',
  route: 'labs',
  decide: decideLabResult,
  fields: [
    occurredAt,
    { name: 'analyte', label: 'Analyte', type: 'select', options: Object.keys(protocol.labs) },
    { name: 'value', label: 'Value', type: 'number' },
    {
      name: 'unit',
      label: 'Unit',
      type: 'select',
      options: [...new Set(Object.values(protocol.labs).flatMap((lab) => Object.keys(lab.units)))],
    },
    { name: 'qualifier', label: 'Qualifier', type: 'select', options: ['=', '<', '>'] },
    { name: 'specimenId', label: 'Specimen id', type: 'text', optional: true },
  ],
  defaults: { qualifier: '=' },
};

export const nerveFields = (index: number): FieldSpec[] => [
  { name: `nerves[${index}].nerve`, label: 'Nerve', type: 'select', options: NERVES },
  { name: `nerves[${index}].side`, label: 'Side', type: 'select', options: ['left', 'right'] },
  ...NERVE_MEASURES.map((measure): FieldSpec => ({
    name: `nerves[${index}].${measure}`,
    label: MEASURE_LABELS[measure],
    type: 'number',
    optional: true,
  })),
];

export const MEASURE_LABELS: Record<(typeof NERVE_MEASURES)[number], string> = {
  motorConductionVelocityMs: 'Motor CV (m/s)',
  distalMotorLatencyMs: 'Distal motor latency (ms)',
  cmapAmplitudeMv: 'CMAP (mV)',
  snapAmplitudeUv: 'SNAP (µV)',
  fWaveLatencyMs: 'F-wave latency (ms)',
  distalDistanceMm: 'Distal distance (mm)',
};

export const NEUROGRAPHY: FormSpec = {
  kind: 'neurography',
  title: 'Nerve conduction study',
  route: 'neurography',
  decide: decideNeurography,
  fields: [occurredAt, { name: 'limbTemperatureC', label: 'Limb temperature (°C)', type: 'number' }, ...nerveFields(0), ...nerveFields(1)],
  defaults: { 'nerves[0].nerve': 'ulnar', 'nerves[0].side': 'left', 'nerves[1].nerve': 'sural', 'nerves[1].side': 'right' },
};

export const ASSESSMENT: FormSpec = {
  kind: 'assessment',
  title: 'Clinical assessment',
  route: 'assessments',
  decide: decideClinicalAssessment,
  fields: [
    occurredAt,
    { name: 'assessorId', label: 'Assessor', type: 'text' },
    { name: 'incatArms', label: 'INCAT arms', type: 'integer', optional: true },
    { name: 'incatLegs', label: 'INCAT legs', type: 'integer', optional: true },
    { name: 'sensorySumScore', label: 'Sensory sum score', type: 'integer', optional: true },
    { name: 'mrcSumScore', label: 'MRC sum score', type: 'integer', optional: true },
    { name: 'tenMetreWalkSeconds', label: '10-metre walk (s)', type: 'number', optional: true },
    { name: 'globalStatus', label: 'Global status', type: 'select', options: ['', 'improved', 'stable', 'worsened'], optional: true },
  ],
};

export const ADVERSE_EVENT: FormSpec = {
  kind: 'adverse-event',
  title: 'Adverse event',
  route: 'adverse-events',
  decide: decideAdverseEvent,
  fields: [
    occurredAt,
    { name: 'term', label: 'Term', type: 'text' },
    { name: 'serious', label: 'Serious', type: 'checkbox' },
    { name: 'grade', label: 'Grade (1-5)', type: 'integer' },
    { name: 'relatedness', label: 'Relatedness', type: 'select', options: ['not_related', 'unlikely', 'possible', 'probable', 'definite'] },
    { name: 'outcome', label: 'Outcome', type: 'text', optional: true },
  ],
  defaults: { serious: false },
};

export const WITHDRAWAL: FormSpec = {
  kind: 'withdrawal',
  title: 'Withdrawal',
  route: 'withdrawal',
  decide: decideWithdrawal,
  fields: [occurredAt, { name: 'reason', label: 'Reason', type: 'textarea' }],
};

/** The entry forms, keyed by the event type each records (a correction reuses the form of what it amends). */
export const ENTRY_FORMS: Record<string, FormSpec> = {
  InfusionGiven: INFUSION,
  LabResulted: LAB,
  NeurographyRecorded: NEUROGRAPHY,
  ClinicalAssessed: ASSESSMENT,
  AdverseEventReported: ADVERSE_EVENT,
};

export const CORRECTION_DECIDE = decideCorrection as Decide;
export const VOID_DECIDE = decideVoid as Decide;

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.match(/[^.[\]]+/g) ?? [];
  let node: Record<string, unknown> = target;
  keys.forEach((key, index) => {
    if (index === keys.length - 1) {
      node[key] = value;
      return;
    }
    const nextIsIndex = /^\d+$/.test(keys[index + 1]);
    node[key] ??= nextIsIndex ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
}

/** Input strings to the command's JSON: numbers as numbers (or left as typed, for the rules to refuse), blanks left out. */
export function bodyOf(fields: FieldSpec[], values: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = values[field.name];
    if (field.type === 'checkbox') {
      setPath(body, field.name, raw === true);
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (text === '') continue;
    const numeric = field.type === 'number' || field.type === 'integer' || field.name === 'doseLevelMgPerM2';
    setPath(body, field.name, numeric && text !== '' && !Number.isNaN(Number(text)) ? Number(text) : text);
  }
  if (Array.isArray(body.nerves)) body.nerves = body.nerves.filter((nerve) => nerve && Object.keys(nerve as object).length > 2);
  return body;
}

/** Values a form starts from for an existing entry (a correction starts from what it corrects). */
export function valuesOf(data: unknown, occurredAtValue: string, prefix = ''): Values {
  const values: Values = prefix ? {} : { occurredAt: occurredAtValue.slice(0, 10) };
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) node.forEach((item, index) => walk(item, `${path}[${index}]`));
    else if (node && typeof node === 'object') for (const [key, value] of Object.entries(node)) walk(value, path ? `${path}.${key}` : key);
    else if (typeof node === 'boolean') values[path] = node;
    else if (node !== undefined && node !== null) values[path] = String(node);
  };
  walk(data, prefix);
  return values;
}

/** The domain's verdict on a command, as field → message. */
export function violationsOf(decide: Decide, state: PatientState, command: Record<string, unknown>): Record<string, string> {
  const decision = decide(state, command as never, decisionContext());
  if (decision.ok) return {};
  const errors: Record<string, string> = {};
  for (const violation of decision.violations) errors[violation.field] ??= `${violation.message} (${violation.rule})`;
  return errors;
}

export const NEW_PATIENT_STATE: PatientState = initialPatientState;
