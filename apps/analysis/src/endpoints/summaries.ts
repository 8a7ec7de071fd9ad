import {
  byDate,
  clinicalStatusCounts,
  ClinicalStatusCounts,
  compareByCycle,
  compareByDoseLevel,
  GlobalStatus,
  GroupComparison,
  GroupPoint,
  RetreatmentSignalKind,
  summarize,
  Summary,
} from '@trialstream/domain';
import { EvaluationOptions, LabEndpointView, PatientEndpoints } from './patient-endpoints';
import { PatientRecord, seriesOf } from './patient-record';

export interface LabSummary {
  /** Patients with a baseline and a follow-up value. */
  evaluable: number;
  /** Of those, patients whose change is censored. */
  censored: number;
  nadirPercentChange: Summary;
  nadirPercentOfBaseline: Summary;
  latestPercentChange: Summary;
  latestPercentOfBaseline: Summary;
}

export interface GroupView {
  /** Cycle number or dose level (mg/m²). */
  group: number;
  patients: number;
  percentChange: Summary;
  percentOfBaseline: Summary;
}

export interface EndpointSummary {
  patients: number;
  treated: number;
  igm: LabSummary;
  antiMag: LabSummary;
  /** Absent for blinded readers: see `bCellDepletion` in analysis.service. */
  bCellDepletion?: { evaluable: number; depleted: number };
  clinicalStatus: Array<{ visit: string } & ClinicalStatusCounts>;
  ulnar: { evaluable: number; responders: number; worseners: number };
  incat: { evaluable: number; responders: number; legResponders: number; change: Summary; sensorySumChange: Summary };
  byCycle: { IGM: GroupView[]; ANTI_MAG: GroupView[] };
  byDoseLevel: { IGM: GroupView[]; ANTI_MAG: GroupView[] };
  retreatment: { patientsWithSignal: number; firstSignal: Record<RetreatmentSignalKind, number> };
}

const labSummary = (views: readonly LabEndpointView[]): LabSummary => {
  const evaluable = views.filter((view) => view.baseline !== undefined && view.latest !== undefined);
  return {
    evaluable: evaluable.length,
    censored: evaluable.filter((view) => view.censored).length,
    nadirPercentChange: summarize(evaluable.map((view) => view.nadirPercentChange)),
    nadirPercentOfBaseline: summarize(evaluable.map((view) => view.nadirPercentOfBaseline)),
    latestPercentChange: summarize(evaluable.map((view) => view.latestPercentChange)),
    latestPercentOfBaseline: summarize(evaluable.map((view) => view.latestPercentOfBaseline)),
  };
};

const groupViews = (comparisons: GroupComparison<number>[]): GroupView[] =>
  comparisons.map((comparison) => ({
    group: comparison.group,
    patients: comparison.patients.length,
    percentChange: comparison.percentChange,
    percentOfBaseline: comparison.percentOfBaseline,
  }));

/**
 * The investigators' global status per visit after treatment began, in visit order: each treated
 * patient's last status at the visit, and the treated patients without one.
 */
const statusCountsByVisit = (patients: readonly PatientRecord[]): EndpointSummary['clinicalStatus'] => {
  const treated = patients.filter((patient) => patient.firstInfusionDate !== undefined);
  const firstDateOfVisit = new Map<string, string>();
  const statusByVisit = new Map<string, Map<string, GlobalStatus>>();
  for (const patient of treated) {
    for (const assessment of byDate(patient.globalStatus)) {
      if (assessment.date <= (patient.firstInfusionDate as string)) continue;
      if (!firstDateOfVisit.has(assessment.visit) || assessment.date < (firstDateOfVisit.get(assessment.visit) as string)) {
        firstDateOfVisit.set(assessment.visit, assessment.date);
      }
      const perPatient = statusByVisit.get(assessment.visit) ?? new Map<string, GlobalStatus>();
      perPatient.set(patient.patientId, assessment.status);
      statusByVisit.set(assessment.visit, perPatient);
    }
  }
  return [...firstDateOfVisit]
    .sort(([visitA, a], [visitB, b]) => (a < b ? -1 : a > b ? 1 : visitA < visitB ? -1 : 1))
    .map(([visit]) => {
      const perPatient = statusByVisit.get(visit) as Map<string, GlobalStatus>;
      return { visit, ...clinicalStatusCounts(treated.map((patient) => perPatient.get(patient.patientId))) };
    });
};

/** Pooled summaries of a group of patients (all of them while blinded, one arm after unblinding). */
export const summarizeEndpoints = (
  patients: readonly PatientRecord[],
  endpoints: readonly PatientEndpoints[],
  options: EvaluationOptions & { point?: GroupPoint },
): EndpointSummary => {
  const point = options.point ?? 'latest';
  const series = patients.map(seriesOf);
  const firstSignal: Record<RetreatmentSignalKind, number> = { igmRise: 0, antiMagRise: 0, clinicalWorsening: 0 };
  for (const endpoint of endpoints) for (const kind of endpoint.retreatment.first) firstSignal[kind]++;
  const ulnar = endpoints.filter((endpoint) => endpoint.ulnar.evaluable);
  const incat = endpoints.filter((endpoint) => endpoint.incat.evaluable);
  const treated = endpoints.filter((endpoint) => endpoint.firstInfusionDate !== undefined);
  return {
    patients: patients.length,
    treated: treated.length,
    igm: labSummary(endpoints.map((endpoint) => endpoint.igm)),
    antiMag: labSummary(endpoints.map((endpoint) => endpoint.antiMag)),
    ...(options.includeBCells
      ? {
          bCellDepletion: {
            evaluable: patients.filter((p) => p.firstInfusionDate !== undefined && (p.series.CD19?.length || p.series.CD20?.length)).length,
            depleted: endpoints.filter((endpoint) => endpoint.bCellDepleted).length,
          },
        }
      : {}),
    clinicalStatus: statusCountsByVisit(patients),
    ulnar: {
      evaluable: ulnar.length,
      responders: ulnar.filter((endpoint) => endpoint.ulnar.responder).length,
      worseners: ulnar.filter((endpoint) => endpoint.ulnar.worsener).length,
    },
    incat: {
      evaluable: incat.length,
      responders: incat.filter((endpoint) => endpoint.incat.responder).length,
      legResponders: incat.filter((endpoint) => endpoint.incat.legResponder).length,
      change: summarize(incat.map((endpoint) => endpoint.incat.change)),
      sensorySumChange: summarize(endpoints.filter((e) => e.incat.sensorySumChange !== undefined).map((e) => e.incat.sensorySumChange)),
    },
    byCycle: { IGM: groupViews(compareByCycle(series, 'IGM', point)), ANTI_MAG: groupViews(compareByCycle(series, 'ANTI_MAG', point)) },
    byDoseLevel: {
      IGM: groupViews(compareByDoseLevel(series, 'IGM', point)),
      ANTI_MAG: groupViews(compareByDoseLevel(series, 'ANTI_MAG', point)),
    },
    retreatment: { patientsWithSignal: endpoints.filter((endpoint) => endpoint.retreatment.signals.length > 0).length, firstSignal },
  };
};
