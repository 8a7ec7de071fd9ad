import type { InfusionDay, Observation, ParameterCode, PatientSeries, StatusAssessment } from '@trialstream/domain';

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
 * One patient as the endpoint functions read it, assembled from the analysis read model. For a blinded
 * reader the masked analytes are never loaded, so they cannot leak from any computation.
 */
export interface PatientRecord {
  patientId: string;
  siteId: string | null;
  status: string;
  kitNumber: string | null;
  randomizedOn?: string;
  firstInfusionDate?: string;
  codeBroken: boolean;
  cycles: number;
  doseLevels: number[];
  series: Partial<Record<ParameterCode, readonly Observation[]>>;
  globalStatus: readonly StatusAssessment[];
  infusions: readonly InfusionDay[];
  adverseEvents: readonly AdverseEventRecord[];
}

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
export const recordAsOf = (record: PatientRecord, asOf: string): PatientRecord | undefined => {
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
