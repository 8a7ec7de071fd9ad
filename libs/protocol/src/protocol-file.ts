import type {
  EndpointMeasure,
  LabAnalyte,
  NumericRange,
  ProtocolDefinition,
  ResponderRule,
  TrialDesign,
  VisitAnchor,
} from '@trialstream/domain';

/** A protocol file as written (YAML), once its shape passed the JSON Schema. */
export interface ProtocolFile {
  trial: { id: string; title: string };
  design: {
    kind: TrialDesign;
    arms: Array<{ code: string; label: string; ratio: number; placebo?: boolean }>;
    strata: 'site'[];
    blockSizes: number[];
    plannedPatients?: number;
  };
  blinding: { unblindingRiskAnalytes: LabAnalyte[] };
  treatment: {
    doseLevelsMgPerM2: number[];
    infusionsPerCycle: number;
    intervalDays: number;
    windowDays: number;
    deviationThreshold: number;
    firstInfusion: { daysAfterRandomization: number; window: FileWindow };
    administeredDoseMg: NumericRange;
  };
  visits: Array<{
    name: string;
    label?: string;
    anchor: VisitAnchor;
    day: number;
    window: FileWindow;
    forms: Array<'neurography' | 'clinical-assessment'>;
    analytes: LabAnalyte[];
  }>;
  endpoints: Array<{
    name: string;
    label?: string;
    primary?: boolean;
    measure: EndpointMeasure;
    visit: string;
    responder?: Omit<ResponderRule, 'strict'> & { strict?: boolean };
    population: 'randomized' | 'treated';
    missing: 'non-responder' | 'exclude';
    test: 'fisher-exact' | 'welch-mean-difference' | 'none';
    byDoseLevel?: boolean;
  }>;
  units: Record<LabAnalyte, Record<string, { canonical: string; factor: number; range: NumericRange }>>;
  measures: Pick<ProtocolDefinition, 'limbTemperatureThresholdC' | 'allowedClockSkewMinutes' | 'anthropometry' | 'neurography' | 'scores'>;
  siteIdPattern: string;
}

export interface FileWindow {
  before: number;
  after: number;
}

/** One problem of a protocol file: where in the file (`visits[3].window.before`) and which rule. */
export interface ProtocolProblem {
  field: string;
  rule: string;
  message: string;
}

/** `visits[3].window.before: must be >= 0`. */
export const describeProblem = (problem: ProtocolProblem): string => `${problem.field}: ${problem.message}`;
