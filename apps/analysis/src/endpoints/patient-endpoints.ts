import {
  baselineOf,
  byDate,
  changeFromBaseline,
  firstBCellDepletion,
  isIncatResponder,
  isUlnarEvaluable,
  isUlnarResponder,
  isUlnarWorsener,
  labEndpointOf,
  latest,
  Observation,
  ParameterCode,
  Qualifier,
  RetreatmentSignalKind,
  retreatmentSignals,
  RetreatmentThresholds,
  UlnarVelocities,
  ScheduleInForce,
  valueAtVisit,
  visitAnchorsOf,
} from '@trialstream/domain';
import { PatientRecord, seriesOf } from './patient-record';

/** Which follow-up an endpoint reads: the patient's latest after treatment began, or a named visit (`month-12`). */
export interface EvaluationOptions {
  visit?: string;
  /**
   * The protocol's schedule (the version in force on each date): a named visit reads the one observation
   * its window assigns (closest to target, then earliest).
   */
  schedule?: ScheduleInForce;
  /** B-cell counts reveal the arm: only readers allowed to see masked analytes get depletion. */
  includeBCells: boolean;
  thresholds?: Partial<RetreatmentThresholds>;
}

export interface ValueAt {
  date: string;
  visit: string;
  value: number;
  qualifier: Qualifier;
}

export interface LabEndpointView {
  baseline?: ValueAt;
  nadir?: ValueAt;
  latest?: ValueAt;
  nadirPercentChange?: number;
  nadirPercentOfBaseline?: number;
  latestPercentChange?: number;
  latestPercentOfBaseline?: number;
  /** A change was due but the value or the baseline is censored: counted, never guessed. */
  censored: boolean;
}

export interface UlnarEndpoint {
  evaluable: boolean;
  responder: boolean;
  worsener: boolean;
  baseline: UlnarVelocities;
  followUp: UlnarVelocities;
}

export interface IncatEndpoint {
  evaluable: boolean;
  responder: boolean;
  legResponder: boolean;
  baseline: { total?: number; legs?: number };
  followUp: { total?: number; legs?: number };
  change?: number;
  sensorySumChange?: number;
}

export interface SignalView {
  kind: RetreatmentSignalKind;
  date: string;
  visit: string;
  daysAfterFirst: number;
  reasons?: string[];
  /** For a rise: the value that rose and the nadir it rose from, and by how much (0.5 = +50%). */
  value?: number;
  nadir?: number;
  riseFraction?: number;
}

export interface PatientEndpoints {
  subjectId: string;
  siteId: string | null;
  status: string;
  firstInfusionDate?: string;
  cycles: number;
  doseLevels: number[];
  codeBroken: boolean;
  igm: LabEndpointView;
  antiMag: LabEndpointView;
  /** Only for readers allowed to see masked analytes. */
  bCellDepleted?: boolean;
  ulnar: UlnarEndpoint;
  incat: IncatEndpoint;
  globalStatus?: { date: string; visit: string; status: string };
  retreatment: { signals: SignalView[]; first: RetreatmentSignalKind[]; firstDate?: string };
}

const at = (observation: Observation | undefined): ValueAt | undefined =>
  observation && { date: observation.date, visit: observation.visit, value: observation.value, qualifier: observation.qualifier };

/** The observations an endpoint may read as follow-up: after the first infusion day, at the visit asked for. */
const followUps = <T extends { date: string; visit: string }>(
  observations: readonly T[],
  patient: PatientRecord,
  options: EvaluationOptions,
): T[] => {
  if (patient.firstInfusionDate === undefined) return [];
  const after = byDate(observations).filter((observation) => observation.date > (patient.firstInfusionDate as string));
  if (options.visit === undefined) return after;
  if (options.schedule === undefined) return after.filter((observation) => observation.visit === options.visit);
  const atVisit = valueAtVisit(after, options.schedule, options.visit, visitAnchorsOf(patient));
  return atVisit === undefined ? [] : [atVisit];
};

const labEndpoint = (patient: PatientRecord, parameter: ParameterCode, options: EvaluationOptions): LabEndpointView => {
  const observations = patient.series[parameter] ?? [];
  const endpoint = labEndpointOf(observations, patient.firstInfusionDate);
  const last = latest(followUps(observations, patient, options));
  const latestChange = endpoint.baseline && last ? changeFromBaseline(last, endpoint.baseline) : undefined;
  return {
    baseline: at(endpoint.baseline),
    nadir: at(endpoint.nadir),
    latest: at(last),
    nadirPercentChange: endpoint.nadirChange?.percentChange,
    nadirPercentOfBaseline: endpoint.nadirChange?.percentOfBaseline,
    latestPercentChange: latestChange?.percentChange,
    latestPercentOfBaseline: latestChange?.percentOfBaseline,
    censored: Boolean(endpoint.nadirChange?.censored || latestChange?.censored),
  };
};

const valueOf = (observation: Observation | undefined): number | undefined =>
  observation && observation.qualifier === '=' ? observation.value : undefined;

const ulnarEndpoint = (patient: PatientRecord, options: EvaluationOptions): UlnarEndpoint => {
  const side = (parameter: 'MCV_ULNAR_LEFT' | 'MCV_ULNAR_RIGHT') => {
    const observations = patient.series[parameter] ?? [];
    const baseline = patient.firstInfusionDate === undefined ? undefined : baselineOf(observations, patient.firstInfusionDate);
    return { baseline: valueOf(baseline), followUp: valueOf(latest(followUps(observations, patient, options))) };
  };
  const left = side('MCV_ULNAR_LEFT');
  const right = side('MCV_ULNAR_RIGHT');
  const baseline: UlnarVelocities = { left: left.baseline, right: right.baseline };
  const followUp: UlnarVelocities = { left: left.followUp, right: right.followUp };
  return {
    evaluable: isUlnarEvaluable(baseline, followUp),
    responder: isUlnarResponder(baseline, followUp),
    worsener: isUlnarWorsener(baseline, followUp),
    baseline,
    followUp,
  };
};

const incatEndpoint = (patient: PatientRecord, options: EvaluationOptions): IncatEndpoint => {
  const pick = (parameter: ParameterCode) => {
    const observations = patient.series[parameter] ?? [];
    const baseline = patient.firstInfusionDate === undefined ? undefined : baselineOf(observations, patient.firstInfusionDate);
    return { baseline: valueOf(baseline), followUp: valueOf(latest(followUps(observations, patient, options))) };
  };
  const total = pick('INCAT_TOTAL');
  const legs = pick('INCAT_LEGS');
  const sensory = pick('SENSORY_SUM');
  const baseline = { total: total.baseline, legs: legs.baseline };
  const followUp = { total: total.followUp, legs: legs.followUp };
  return {
    evaluable: total.baseline !== undefined && total.followUp !== undefined,
    responder: isIncatResponder(baseline, followUp),
    legResponder: isIncatResponder(baseline, followUp, { part: 'legs' }),
    baseline,
    followUp,
    change: total.baseline !== undefined && total.followUp !== undefined ? total.followUp - total.baseline : undefined,
    sensorySumChange: sensory.baseline !== undefined && sensory.followUp !== undefined ? sensory.followUp - sensory.baseline : undefined,
  };
};

const isBCellDepleted = (patient: PatientRecord): boolean =>
  patient.firstInfusionDate !== undefined &&
  firstBCellDepletion([...(patient.series.CD19 ?? []), ...(patient.series.CD20 ?? [])], { after: patient.firstInfusionDate }) !== undefined;

/** Every endpoint of DOMAIN.md for one patient. */
export const patientEndpoints = (patient: PatientRecord, options: EvaluationOptions): PatientEndpoints => {
  const statuses = followUps(patient.globalStatus, patient, options);
  const status = statuses[statuses.length - 1];
  const signals = retreatmentSignals(seriesOf(patient), options.thresholds);
  return {
    subjectId: patient.patientId,
    siteId: patient.siteId,
    status: patient.status,
    firstInfusionDate: patient.firstInfusionDate,
    cycles: patient.cycles,
    doseLevels: patient.doseLevels,
    codeBroken: patient.codeBroken,
    igm: labEndpoint(patient, 'IGM', options),
    antiMag: labEndpoint(patient, 'ANTI_MAG', options),
    ...(options.includeBCells ? { bCellDepleted: isBCellDepleted(patient) } : {}),
    ulnar: ulnarEndpoint(patient, options),
    incat: incatEndpoint(patient, options),
    globalStatus: status && { date: status.date, visit: status.visit, status: status.status },
    retreatment: {
      signals: signals.signals.map((signal) =>
        signal.kind === 'clinicalWorsening'
          ? { kind: signal.kind, date: signal.date, visit: signal.visit, daysAfterFirst: signal.daysAfterFirst, reasons: signal.reasons }
          : {
              kind: signal.kind,
              date: signal.date,
              visit: signal.visit,
              daysAfterFirst: signal.daysAfterFirst,
              value: signal.value.value,
              nadir: signal.nadir.value,
              riseFraction: signal.riseFraction,
            },
      ),
      first: signals.first,
      firstDate: signals.firstDate,
    },
  };
};
