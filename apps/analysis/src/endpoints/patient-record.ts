import {
  visitAnchorsOf,
  withProtocolVisits,
  type DatedObservation,
  type DatedStatusAssessment,
  type InfusionDay,
  type Observation,
  type ParameterCode,
  type PatientSeries,
  type ScheduleInForce,
  type StatusAssessment,
  type VisitAnchorFacts,
} from '@trialstream/domain';

/** One adverse event as the safety summaries read it. */
export interface AdverseEventRecord {
  date: string;
  term: string;
  serious: boolean;
  grade: number;
  relatedness: string;
  cycle: number;
}

/**
 * One patient as the analysis read model stores them: dated values and the dates visits count from, no
 * visit names (those are the protocol's, see withVisitsNamed). For a blinded reader the masked analytes are
 * never loaded, so they cannot leak from any computation.
 */
export interface StoredPatientRecord extends VisitAnchorFacts {
  patientId: string;
  siteId: string | null;
  status: string;
  kitNumber: string | null;
  codeBroken: boolean;
  cycles: number;
  doseLevels: number[];
  series: Partial<Record<ParameterCode, readonly DatedObservation[]>>;
  globalStatus: readonly DatedStatusAssessment[];
  infusions: readonly InfusionDay[];
  adverseEvents: readonly AdverseEventRecord[];
}

/** One patient as the endpoint functions read it: each value in the visit the protocol names for its date. */
export interface PatientRecord extends Omit<StoredPatientRecord, 'series' | 'globalStatus'> {
  series: Partial<Record<ParameterCode, readonly Observation[]>>;
  globalStatus: readonly StatusAssessment[];
}

/**
 * The patient's values named by the protocol's visits, counted from the patient's anchors, each by the
 * schedule of the version in force on its date: the analysis names visits here and nowhere else.
 */
export const withVisitsNamed = (record: StoredPatientRecord, schedule: ScheduleInForce): PatientRecord => {
  const anchors = visitAnchorsOf(record);
  const series = Object.fromEntries(
    Object.entries(record.series).map(([parameter, observations]) => [
      parameter,
      withProtocolVisits(observations ?? [], schedule, anchors),
    ]),
  );
  return { ...record, series, globalStatus: withProtocolVisits(record.globalStatus, schedule, anchors) };
};

/** The same for one dated row that carries its patient's anchors (a row of the dataset export). */
export const withVisitNamed = <T extends { date: string } & VisitAnchorFacts>(row: T, schedule: ScheduleInForce): T & { visit: string } =>
  withProtocolVisits([row], schedule, visitAnchorsOf(row))[0];

export const seriesOf = (patient: PatientRecord): PatientSeries => ({
  subjectId: patient.patientId,
  firstInfusionDate: patient.firstInfusionDate,
  series: patient.series,
  globalStatus: patient.globalStatus,
});

/**
 * The patient as the data dated on or before a day show them (a point-in-time view by clinical date):
 * later results, assessments, infusions and adverse events left out; none before randomization.
 */
export const recordAsOf = (record: StoredPatientRecord, asOf: string): StoredPatientRecord | undefined => {
  if (record.randomizedOn !== undefined && record.randomizedOn > asOf) return undefined;
  const until = <T extends { date: string }>(items: readonly T[]): T[] => items.filter((item) => item.date <= asOf);
  const infusions = until(record.infusions);
  const first = record.firstInfusionDate !== undefined && record.firstInfusionDate <= asOf ? record.firstInfusionDate : undefined;
  return {
    ...record,
    ...(first === undefined ? { firstInfusionDate: undefined } : { firstInfusionDate: first }),
    cycles: infusions.reduce((highest, infusion) => Math.max(highest, infusion.cycle), 0),
    doseLevels: [...new Set(infusions.map((infusion) => infusion.doseLevelMgPerM2))].sort((a, b) => a - b),
    series: Object.fromEntries(Object.entries(record.series).map(([parameter, observations]) => [parameter, until(observations ?? [])])),
    globalStatus: until(record.globalStatus),
    infusions,
    adverseEvents: until(record.adverseEvents),
  };
};
