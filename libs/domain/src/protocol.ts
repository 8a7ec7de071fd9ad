import { LabAnalyte } from './events/lab';
import { ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE, type VisitSchedule } from './monitoring/visit-schedule';

/** An accepted interval of a measure. Bounds are inclusive unless marked exclusive. */
export interface NumericRange {
  min: number;
  max: number;
  minExclusive?: boolean;
  integer?: boolean;
}

/** Open-label: everyone knows the treatment, nothing is masked. Double-blind: arms and masked analytes are hidden from blinded roles. */
export type TrialDesign = 'open-label' | 'double-blind-placebo-controlled';

export interface ArmDefinition {
  code: string;
  label: string;
  /** Relative share in each block (1:1 -> both 1). */
  ratio: number;
  placebo: boolean;
}

export interface RandomizationDesign {
  arms: readonly ArmDefinition[];
  /** What blocks are stratified by. */
  strata: readonly 'site'[];
  blockSizes: readonly number[];
  plannedPatients?: number;
}

/** What an endpoint reads: a lab, a scale, the ulnar motor conduction velocity, B-cell depletion, the investigator's global status. */
export const ENDPOINT_MEASURES = [
  'IGM',
  'ANTI_MAG',
  'INCAT_TOTAL',
  'INCAT_LEGS',
  'SENSORY_SUM',
  'MRC_SUM',
  'WALK_10M',
  'ULNAR_MCV',
  'B_CELL_DEPLETION',
  'GLOBAL_STATUS',
] as const;
export type EndpointMeasure = (typeof ENDPOINT_MEASURES)[number];

/**
 * A responder rule against the pre-treatment baseline: `decrease by 1 points` (INCAT improved by
 * ≥ 1), `decrease by 50 percent, strict` (titer fell by more than 50 %). For the ulnar velocity the
 * rule holds when it holds in at least one ulnar nerve.
 */
export interface ResponderRule {
  direction: 'decrease' | 'increase';
  by: number;
  scale: 'points' | 'percent';
  /** `more than` rather than `at least`. */
  strict: boolean;
}

export interface EndpointDefinition {
  name: string;
  label: string;
  primary: boolean;
  measure: EndpointMeasure;
  /** The named visit the endpoint is read at (by default; any visit may be asked for). */
  visit: string;
  /** Absent: the endpoint is the change from baseline (or, for depletion and global status, their own yes/no). */
  responder?: ResponderRule;
  /** Who is in the denominator: every randomized patient, or those who received an infusion. */
  population: 'randomized' | 'treated';
  /** A patient of the population without a value at the visit: a non-responder, or left out. */
  missing: 'non-responder' | 'exclude';
  /** Between the arms, after unblinding. */
  test: 'fisher-exact' | 'welch-mean-difference' | 'none';
  /** Also reported per dose level (each group against the baseline before the first cycle). */
  byDoseLevel: boolean;
}

/**
 * What a protocol fixes, as data: a later protocol (another dose, other masked analytes, other
 * scales) is a new definition, not new code.
 */
export interface ProtocolDefinition {
  id: string;
  title: string;
  /** Allowed dose levels; constant within a cycle. */
  doseLevelsMgPerM2: readonly number[];
  /** An administered dose further than this fraction from the planned dose is a deviation. */
  doseTolerance: number;
  infusionsPerCycle: number;
  /** Days between consecutive infusions of a cycle. */
  infusionIntervalDays: number;
  /** Allowed distance (± days) of an infusion from its due day. */
  infusionWindowDays: number;
  /** Analytes that reveal the allocation and are hidden from blinded roles. */
  maskedAnalytes: readonly LabAnalyte[];
  /** A nerve conduction study of a colder limb is flagged: conduction slows with temperature. */
  limbTemperatureThresholdC: number;
  /** How far a clinical time may lie ahead of the server's clock (site clocks drift). */
  allowedClockSkewMinutes: number;
  anthropometry: { heightCm: NumericRange; weightKg: NumericRange };
  administeredDoseMg: NumericRange;
  /** Allowed units per analyte, each with the plausible range of a reported value. */
  labs: Readonly<Record<LabAnalyte, { units: Readonly<Record<string, NumericRange>> }>>;
  neurography: {
    limbTemperatureC: NumericRange;
    motorConductionVelocityMs: NumericRange;
    distalMotorLatencyMs: NumericRange;
    cmapAmplitudeMv: NumericRange;
    snapAmplitudeUv: NumericRange;
    fWaveLatencyMs: NumericRange;
    distalDistanceMm: NumericRange;
  };
  scores: {
    incatArms: NumericRange;
    incatLegs: NumericRange;
    sensorySumScore: NumericRange;
    mrcSumScore: NumericRange;
    tenMetreWalkSeconds: NumericRange;
  };
  design: TrialDesign;
  randomization: RandomizationDesign;
  /** Named visits with their anchor, target day, window and required forms. */
  schedule: VisitSchedule;
  endpoints: readonly EndpointDefinition[];
  /** Site ids of this trial match it (anchored regular expression source). */
  siteIdPattern: string;
  /** Per analyte, reported unit -> factor to its canonical unit (canonical units map to themselves). */
  unitConversions: Readonly<Record<LabAnalyte, Readonly<Record<string, { factor: number; unit: string }>>>>;
}

/** Everything a decide function needs besides the state and the command. */
export interface DecisionContext {
  /** The server's clock, passed in so that decisions stay pure and testable. */
  now: Date;
  protocol: ProtocolDefinition;
}

const CELLS_PER_MICROLITRE: NumericRange = { min: 0, max: 10_000 };

/** A count is reported in cells/µL under any of its UCUM spellings, in 10^9/L (1000 per µL), or as % of lymphocytes. */
const cellCounts = {
  units: {
    'cells/µL': CELLS_PER_MICROLITRE,
    'cells/uL': CELLS_PER_MICROLITRE,
    '/uL': CELLS_PER_MICROLITRE,
    '10*6/L': CELLS_PER_MICROLITRE,
    '10*9/L': { min: 0, max: CELLS_PER_MICROLITRE.max / 1000 },
    '%': { min: 0, max: 100 },
  },
};

/** UCUM codes and common spellings of a cell count per µL, all one canonical unit (10*6/L = 1/µL). */
const cellCountConversions = {
  'cells/µL': { factor: 1, unit: 'cells/µL' },
  'cells/uL': { factor: 1, unit: 'cells/µL' },
  '/uL': { factor: 1, unit: 'cells/µL' },
  '10*6/L': { factor: 1, unit: 'cells/µL' },
  // 10^9 cells per litre are 1000 per µL.
  '10*9/L': { factor: 1000, unit: 'cells/µL' },
  '%': { factor: 1, unit: '%' },
};

/** Rituximab in anti-MAG IgM neuropathy: the first protocol of the platform. */
export const ANTI_MAG_RITUXIMAB_PROTOCOL: ProtocolDefinition = {
  id: 'anti-mag-rituximab',
  title: 'Rituximab in anti-MAG IgM neuropathy',
  doseLevelsMgPerM2: [375, 750],
  doseTolerance: 0.1,
  infusionsPerCycle: 4,
  infusionIntervalDays: 7,
  infusionWindowDays: 2,
  maskedAnalytes: ['CD19', 'CD20'],
  limbTemperatureThresholdC: 32,
  allowedClockSkewMinutes: 5,
  anthropometry: {
    heightCm: { min: 100, max: 250 },
    weightKg: { min: 25, max: 300 },
  },
  administeredDoseMg: { min: 0, minExclusive: true, max: 5_000 },
  labs: {
    IGM: {
      units: {
        'g/L': { min: 0, minExclusive: true, max: 200 },
        'mg/dL': { min: 0, minExclusive: true, max: 20_000 },
      },
    },
    ANTI_MAG: { units: { BTU: { min: 0, minExclusive: true, max: 10_000_000 } } },
    CD19: cellCounts,
    CD20: cellCounts,
  },
  neurography: {
    limbTemperatureC: { min: 20, max: 40 },
    motorConductionVelocityMs: { min: 0, minExclusive: true, max: 90 },
    distalMotorLatencyMs: { min: 0, minExclusive: true, max: 50 },
    // zero is a real finding: an absent response
    cmapAmplitudeMv: { min: 0, max: 50 },
    snapAmplitudeUv: { min: 0, max: 200 },
    fWaveLatencyMs: { min: 0, minExclusive: true, max: 150 },
    distalDistanceMm: { min: 20, max: 200 },
  },
  scores: {
    incatArms: { min: 0, max: 5, integer: true },
    incatLegs: { min: 0, max: 5, integer: true },
    sensorySumScore: { min: 0, max: 20, integer: true },
    mrcSumScore: { min: 0, max: 60, integer: true },
    tenMetreWalkSeconds: { min: 0, minExclusive: true, max: 600 },
  },
  design: 'double-blind-placebo-controlled',
  randomization: {
    arms: [
      { code: 'rituximab', label: 'Rituximab', ratio: 1, placebo: false },
      { code: 'placebo', label: 'Placebo', ratio: 1, placebo: true },
    ],
    strata: ['site'],
    blockSizes: [4],
  },
  schedule: ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE,
  endpoints: [],
  siteIdPattern: '^[A-Z0-9]{2,8}$',
  unitConversions: {
    IGM: { 'g/L': { factor: 1, unit: 'g/L' }, 'mg/dL': { factor: 0.01, unit: 'g/L' } },
    ANTI_MAG: { BTU: { factor: 1, unit: 'BTU' } },
    CD19: cellCountConversions,
    CD20: cellCountConversions,
  },
};

/** Whether the trial hides anything from blinded roles at all: an open-label trial masks nothing. */
export const isBlindedDesign = (protocol: Pick<ProtocolDefinition, 'design'>): boolean => protocol.design !== 'open-label';

/** Whether results of this analyte reveal the allocation under this protocol (B cells vanish under rituximab). */
export const isMaskedAnalyte = (protocol: Pick<ProtocolDefinition, 'maskedAnalytes'>, analyte: string): boolean =>
  (protocol.maskedAnalytes as readonly string[]).includes(analyte);
