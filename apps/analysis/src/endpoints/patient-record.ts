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
