import { GlobalStatus } from '../events/clinical';
import { byDate, Observation } from './observations';

/** Below this, a difference from a threshold is floating-point noise: 42.57 m/s after 38.7 is exactly +10%. */
const NOISE = 1e-9;

export interface BCellDepletionOptions {
  /** cells/µL; a measured count strictly below it counts as depleted (a protocol parameter). */
  thresholdCellsPerUl?: number;
  /** Only counts taken after this date count (e.g. the first infusion day). */
  after?: string;
}

/**
 * Whether a B-cell count shows depletion: reported below detection (`<`), zero, or below the
 * protocol's threshold. A count above quantification (`>`) never does.
 */
export const isDepletedCount = (count: Observation, thresholdCellsPerUl?: number): boolean => {
  if (count.qualifier === '<') return true;
  if (count.qualifier === '>') return false;
  return count.value === 0 || (thresholdCellsPerUl !== undefined && count.value < thresholdCellsPerUl);
};

/** The first count (CD19 or CD20) that shows depletion, if any. */
export const firstBCellDepletion = (counts: readonly Observation[], options: BCellDepletionOptions = {}): Observation | undefined =>
  byDate(counts).find(
    (count) => (options.after === undefined || count.date > options.after) && isDepletedCount(count, options.thresholdCellsPerUl),
  );

/** Whether the patient's B cells fell below detection (or below the threshold) at any count. */
export const isBCellDepleted = (counts: readonly Observation[], options: BCellDepletionOptions = {}): boolean =>
  firstBCellDepletion(counts, options) !== undefined;

export interface ClinicalStatusCounts {
  improved: number;
  stable: number;
  worsened: number;
  /** Patients expected at the visit without a global status. */
  notAssessed: number;
}

/** The investigators' global status at one visit, counted; `undefined` stands for a patient not assessed. */
export const clinicalStatusCounts = (statuses: readonly (GlobalStatus | undefined)[]): ClinicalStatusCounts => {
  const counts: ClinicalStatusCounts = { improved: 0, stable: 0, worsened: 0, notAssessed: 0 };
  for (const status of statuses) counts[status ?? 'notAssessed']++;
  return counts;
};

/** Motor conduction velocity (m/s) of the left and right ulnar nerve at one study; a side not studied is absent. */
export interface UlnarVelocities {
  left?: number;
  right?: number;
}

const SIDES = ['left', 'right'] as const;

/** Relative change of each side studied both times (a side with a velocity of zero cannot give one). */
const ulnarRelativeChanges = (baseline: UlnarVelocities, followUp: UlnarVelocities): number[] =>
  SIDES.flatMap((side) => {
    const before = baseline[side];
    const after = followUp[side];
    return before === undefined || after === undefined || before <= 0 ? [] : [(after - before) / before];
  });

/** Whether at least one ulnar nerve was studied at both times, i.e. the patient counts in the denominator. */
export const isUlnarEvaluable = (baseline: UlnarVelocities, followUp: UlnarVelocities): boolean =>
  ulnarRelativeChanges(baseline, followUp).length > 0;

/** Neurography responder: velocity ≥ 10% (threshold) faster than baseline in at least one ulnar nerve. */
export const isUlnarResponder = (baseline: UlnarVelocities, followUp: UlnarVelocities, threshold = 0.1): boolean =>
  ulnarRelativeChanges(baseline, followUp).some((change) => change >= threshold - NOISE);

/**
 * Neurography worsener: velocity ≥ 10% slower than baseline in at least one ulnar nerve. A patient
 * can be both, one nerve better and the other worse: the two are reported side by side.
 */
export const isUlnarWorsener = (baseline: UlnarVelocities, followUp: UlnarVelocities, threshold = 0.1): boolean =>
  ulnarRelativeChanges(baseline, followUp).some((change) => change <= -threshold + NOISE);

/** INCAT disability score (0–10) and its leg part (0–5); lower is better. */
export interface IncatScores {
  total?: number;
  legs?: number;
}

export interface IncatResponseOptions {
  /** Which score the endpoint reads: the 26-patient trial's primary endpoint used the leg part. */
  part?: 'total' | 'legs';
  /** Points the score must fall by. */
  minimumFall?: number;
}

/** INCAT responder: the score fell by at least one point from baseline at the primary visit; false when either is missing. */
export const isIncatResponder = (
  baseline: IncatScores,
  primaryVisit: IncatScores,
  { part = 'total', minimumFall = 1 }: IncatResponseOptions = {},
): boolean => {
  const before = baseline[part];
  const after = primaryVisit[part];
  return before !== undefined && after !== undefined && before - after >= minimumFall;
};

/** Change in the INCAT sensory sum score (0–20): negative is better. */
export const sensorySumChange = (baseline: number, followUp: number): number => followUp - baseline;
