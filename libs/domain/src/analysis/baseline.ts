import { roundTo } from '../calculators';
import { byDate, DatedObservation, Measurement, Observation, ParameterCode, parameterUnit, PatientSeries, Qualifier } from './observations';

/**
 * The baseline: the last observation dated on or before the first infusion day. Same-day samples
 * count as baseline because protocols draw them on day 1 before dosing (the event carries a date,
 * not always a time, and rituximab does not lower IgM or titers within hours). Among observations
 * of the same day the later one in the caller's (recording) order wins.
 */
export const baselineOf = <T extends DatedObservation>(observations: readonly T[], firstInfusionDate: string): T | undefined =>
  byDate(observations)
    .filter((observation) => observation.date <= firstInfusionDate)
    .pop();

/** Observations dated after the first infusion day: what treatment can have changed. */
export const afterTreatmentStart = <T extends DatedObservation>(observations: readonly T[], firstInfusionDate: string): T[] =>
  byDate(observations).filter((observation) => observation.date > firstInfusionDate);

/** The most recent observation (same-day ties: the later recorded). */
export const latest = (observations: readonly Observation[]): Observation | undefined => byDate(observations).pop();

/** `<5` lies below `=5`, which lies below `>5`. */
const QUALIFIER_ORDER: Readonly<Record<Qualifier, number>> = { '<': 0, '=': 1, '>': 2 };

const isLower = (a: Measurement, b: Measurement): boolean =>
  a.value < b.value || (a.value === b.value && QUALIFIER_ORDER[a.qualifier] < QUALIFIER_ORDER[b.qualifier]);

/**
 * The lowest observation, ordered by value and then by qualifier (`<L` below `=L`); of equal ones
 * the earliest, when the low was first reached. A censored value is compared through its limit,
 * which is all that is known of it.
 */
export const nadir = <T extends DatedObservation>(observations: readonly T[]): T | undefined =>
  byDate(observations).reduce<T | undefined>(
    (lowest, observation) => (lowest === undefined || isLower(observation, lowest) ? observation : lowest),
    undefined,
  );

/** Numbers are kept to 9 decimals: enough for any measurement, and free of binary noise. */
export interface ChangeFromBaseline {
  /** True when the value or the baseline is censored: the numbers below are then absent, not guessed. */
  censored: boolean;
  /** value − baseline, in the parameter's unit. */
  change?: number;
  /** 100 × change / baseline; absent also when the baseline is 0. */
  percentChange?: number;
  /** 100 × value / baseline; absent also when the baseline is 0. */
  percentOfBaseline?: number;
}

/**
 * Change from baseline. A censored value or baseline gives no numbers: `<0.5` after `2.0` is a
 * fall of more than 1.5, but of how much nobody knows, and a median of guesses (the limit, half the
 * limit) would report a precision the data lack. Such a patient is counted as censored instead;
 * a B-cell count below detection counts as depleted (see isBCellDepleted), not as a percent change.
 */
export const changeFromBaseline = (value: Measurement, baseline: Measurement): ChangeFromBaseline => {
  if (value.qualifier !== '=' || baseline.qualifier !== '=') return { censored: true };
  // rounding to 1e-9 removes binary noise (3.2 − 4.0 = −0.7999999999999998) that read models and
  // exports would otherwise show, far below any measurement's precision
  const change = roundTo(value.value - baseline.value, 9);
  if (baseline.value === 0) return { censored: false, change };
  return {
    censored: false,
    change,
    percentChange: roundTo((100 * (value.value - baseline.value)) / baseline.value, 9),
    percentOfBaseline: roundTo((100 * value.value) / baseline.value, 9),
  };
};

/** A laboratory endpoint of one patient: baseline, the lowest and the last value after treatment began, and their changes. */
export interface LabEndpoint {
  baseline?: Observation;
  nadir?: Observation;
  latest?: Observation;
  nadirChange?: ChangeFromBaseline;
  latestChange?: ChangeFromBaseline;
}

export const labEndpointOf = (observations: readonly Observation[], firstInfusionDate: string | undefined): LabEndpoint => {
  if (firstInfusionDate === undefined) return {};
  const baseline = baselineOf(observations, firstInfusionDate);
  const treated = afterTreatmentStart(observations, firstInfusionDate);
  const low = nadir(treated);
  const last = latest(treated);
  return {
    baseline,
    nadir: low,
    latest: last,
    nadirChange: baseline && low ? changeFromBaseline(low, baseline) : undefined,
    latestChange: baseline && last ? changeFromBaseline(last, baseline) : undefined,
  };
};

/** What a row of the analysis read model adds to an observation: its parameter, baseline and change. */
export interface AnalysisRowFacts {
  subjectId: string;
  parameter: ParameterCode;
  unit: string;
  isBaseline: boolean;
  baselineValue?: number;
  baselineQualifier?: Qualifier;
  change?: number;
  percentChange?: number;
  percentOfBaseline?: number;
  /** A change was due (after the first infusion day, baseline known) but the value or the baseline is censored. */
  changeCensored: boolean;
}

/** One row of the analysis read model and of the analysis dataset export: the observation as given, with its facts. */
export type AnalysisRow<T extends DatedObservation = Observation> = T & AnalysisRowFacts;

/**
 * Every observation of a patient with its baseline and change. Only observations after the first
 * infusion day carry a change; earlier ones (screening, the baseline itself) carry the baseline for
 * reference and no change. Rows come per parameter, in date order, each the caller's observation (with
 * whatever else it carries) and its facts.
 */
export const analysisRowsOf = <T extends DatedObservation>(
  patient: Pick<PatientSeries, 'subjectId' | 'firstInfusionDate'> & { series: Partial<Record<ParameterCode, readonly T[]>> },
): AnalysisRow<T>[] =>
  (Object.entries(patient.series) as [ParameterCode, readonly T[]][]).flatMap(([parameter, observations]) => {
    const start = patient.firstInfusionDate;
    const baseline = start === undefined ? undefined : baselineOf(observations, start);
    return byDate(observations).map((observation): AnalysisRow<T> => {
      const changeDue = start !== undefined && observation.date > start && baseline !== undefined;
      const { censored, ...change } = changeDue ? changeFromBaseline(observation, baseline) : { censored: false };
      return {
        subjectId: patient.subjectId,
        parameter,
        unit: parameterUnit(parameter),
        ...observation,
        isBaseline: observation === baseline,
        baselineValue: baseline?.value,
        baselineQualifier: baseline?.qualifier,
        ...change,
        changeCensored: censored,
      };
    });
  });
