import { parseCalendarDate } from '../clinical-time';
import { GlobalStatus } from '../events/clinical';
import { LabAnalyte, LabQualifier } from '../events/lab';
import { Nerve, Side } from '../events/neurography';

/**
 * What the analysis functions read: per patient and parameter, a series of observations already in
 * canonical units, with corrections and voids applied by the caller (the projection).
 */

/** `<` below the limit of detection, `>` above the upper limit of quantification: the value is then the limit. */
export type Qualifier = LabQualifier;

export type ConductionMeasure = 'MCV' | 'DML' | 'CMAP' | 'SNAP' | 'FWAVE';

/** e.g. `MCV_ULNAR_LEFT`: one measure of one nerve on one side. */
export type ConductionParameterCode = `${ConductionMeasure}_${Uppercase<Nerve>}_${Uppercase<Side>}`;

export type ScaleParameterCode = 'INCAT_TOTAL' | 'INCAT_LEGS' | 'SENSORY_SUM' | 'MRC_SUM' | 'WALK_10M';

export type ParameterCode = LabAnalyte | ScaleParameterCode | ConductionParameterCode;

export const conductionParameter = (measure: ConductionMeasure, nerve: Nerve, side: Side): ConductionParameterCode =>
  `${measure}_${nerve.toUpperCase() as Uppercase<Nerve>}_${side.toUpperCase() as Uppercase<Side>}`;

const CONDUCTION_UNITS: Readonly<Record<ConductionMeasure, string>> = {
  MCV: 'm/s',
  DML: 'ms',
  CMAP: 'mV',
  SNAP: 'µV',
  FWAVE: 'ms',
};

const UNITS: Readonly<Record<LabAnalyte | ScaleParameterCode, string>> = {
  IGM: 'g/L',
  ANTI_MAG: 'BTU',
  CD19: 'cells/µL',
  CD20: 'cells/µL',
  INCAT_TOTAL: 'points',
  INCAT_LEGS: 'points',
  SENSORY_SUM: 'points',
  MRC_SUM: 'points',
  WALK_10M: 's',
};

/** The canonical unit a parameter is analysed in. */
export const parameterUnit = (parameter: ParameterCode): string =>
  parameter in UNITS ? UNITS[parameter as keyof typeof UNITS] : CONDUCTION_UNITS[parameter.split('_')[0] as ConductionMeasure];

/** Where an observation stands in the treatment: cycle 0 is before the first infusion. */
export interface TreatmentContext {
  cycle: number;
  /** mg/m² of the cycle in effect; absent before treatment. */
  doseLevelMgPerM2?: number;
}

/** A dated fact in the patient's treatment, before a protocol names its visit. */
export interface Dated extends TreatmentContext {
  /** Clinical calendar date, YYYY-MM-DD. */
  date: string;
}

export interface Visit extends Dated {
  /** The protocol's name of the visit the date falls in (withProtocolVisits), e.g. `month-3`, or `unscheduled`. */
  visit: string;
}

export interface Measurement {
  value: number;
  qualifier: Qualifier;
}

/** A measured value as stored: date, treatment context and value, no visit name. */
export interface DatedObservation extends Dated, Measurement {}

export interface Observation extends Visit, Measurement {}

/** An investigator's global status as stored, no visit name. */
export interface DatedStatusAssessment extends Dated {
  status: GlobalStatus;
}

export interface StatusAssessment extends DatedStatusAssessment, Visit {}

export interface PatientSeries {
  subjectId: string;
  /** Absent while the patient has not been treated: no baseline then. */
  firstInfusionDate?: string;
  series: Partial<Record<ParameterCode, readonly Observation[]>>;
  globalStatus: readonly StatusAssessment[];
}

/** An infusion as the cycle assignment needs it. */
export interface InfusionDay {
  date: string;
  cycle: number;
  doseLevelMgPerM2: number;
}

/** Analysis dates are calendar dates, compared as text: a date-time here would sort wrongly, so it is refused. */
const requireCalendarDate = (date: string): void => {
  if (parseCalendarDate(date) === null) throw new RangeError(`expected a calendar date YYYY-MM-DD, got ${date}`);
};

/**
 * A copy sorted by date. The sort is stable, so observations of the same day keep the caller's
 * order, which should be the order they were recorded in: the later one then counts as later.
 */
export const byDate = <T extends { date: string }>(items: readonly T[]): T[] => {
  for (const item of items) requireCalendarDate(item.date);
  return [...items].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
};

/**
 * The cycle and dose level in effect on a day: those of the last infusion strictly before it. An
 * observation on an infusion day is taken before dosing, so it still belongs to what came before
 * (on the first infusion day: to the baseline, cycle 0). The infusions' dates are checked once, for a caller
 * that asks for many days.
 */
export const treatmentContexts = (infusions: readonly InfusionDay[]): ((date: string) => TreatmentContext) => {
  for (const infusion of infusions) requireCalendarDate(infusion.date);
  return (date) => {
    requireCalendarDate(date);
    // One pass, not a sort per observation: the latest infusion day before the date, the later-listed on a tie (as a stable sort would give).
    let last: InfusionDay | undefined;
    for (const infusion of infusions) {
      if (infusion.date < date && (last === undefined || infusion.date >= last.date)) last = infusion;
    }
    return last ? { cycle: last.cycle, doseLevelMgPerM2: last.doseLevelMgPerM2 } : { cycle: 0 };
  };
};

/** The cycle and dose level in effect on one day (`treatmentContexts`). */
export const treatmentContextAt = (date: string, infusions: readonly InfusionDay[]): TreatmentContext => treatmentContexts(infusions)(date);
