import { afterTreatmentStart, baselineOf, ChangeFromBaseline, changeFromBaseline, latest, nadir } from './baseline';
import { Observation, ParameterCode, PatientSeries } from './observations';
import { summarize, Summary } from './summary';

/**
 * Per cycle and per dose level (375 vs 750 mg/m²): what each patient reached during the group,
 * against the baseline before the first cycle, so that later cycles are judged against the
 * untreated disease and not against the previous cycle.
 */

/** Which observation of the group stands for the patient: the last one, or the lowest. */
export type GroupPoint = 'latest' | 'nadir';

export interface PatientInGroup {
  subjectId: string;
  baseline: Observation;
  observation: Observation;
  change: ChangeFromBaseline;
}

export interface GroupComparison<TKey> {
  group: TKey;
  patients: PatientInGroup[];
  change: Summary;
  percentChange: Summary;
  percentOfBaseline: Summary;
}

const compareByGroup = <TKey extends number>(
  patients: readonly PatientSeries[],
  parameter: ParameterCode,
  keyOf: (observation: Observation) => TKey | undefined,
  point: GroupPoint,
): GroupComparison<TKey>[] => {
  const groups = new Map<TKey, PatientInGroup[]>();
  for (const patient of patients) {
    const observations = patient.series[parameter] ?? [];
    if (patient.firstInfusionDate === undefined) continue;
    const baseline = baselineOf(observations, patient.firstInfusionDate);
    if (baseline === undefined) continue;
    const perGroup = new Map<TKey, Observation[]>();
    for (const observation of afterTreatmentStart(observations, patient.firstInfusionDate)) {
      const key = keyOf(observation);
      if (key !== undefined) perGroup.set(key, [...(perGroup.get(key) ?? []), observation]);
    }
    for (const [key, inGroup] of perGroup) {
      const observation = (point === 'nadir' ? nadir(inGroup) : latest(inGroup)) as Observation;
      const entry = { subjectId: patient.subjectId, baseline, observation, change: changeFromBaseline(observation, baseline) };
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
  }
  return [...groups]
    .sort(([a], [b]) => a - b)
    .map(([group, members]) => ({
      group,
      patients: members,
      change: summarize(members.map((m) => m.change.change)),
      percentChange: summarize(members.map((m) => m.change.percentChange)),
      percentOfBaseline: summarize(members.map((m) => m.change.percentOfBaseline)),
    }));
};

/**
 * Per treatment cycle (1, 2, …), each patient's last (or lowest) value during the cycle against
 * the pre-treatment baseline, summarised across patients. Patients without a baseline are left out.
 */
export const compareByCycle = (
  patients: readonly PatientSeries[],
  parameter: ParameterCode,
  point: GroupPoint = 'latest',
): GroupComparison<number>[] =>
  compareByGroup(patients, parameter, (observation) => (observation.cycle >= 1 ? observation.cycle : undefined), point);

/** Per dose level (mg/m²), likewise: a patient treated at 375 and later at 750 appears in both groups. */
export const compareByDoseLevel = (
  patients: readonly PatientSeries[],
  parameter: ParameterCode,
  point: GroupPoint = 'latest',
): GroupComparison<number>[] => compareByGroup(patients, parameter, (observation) => observation.doseLevelMgPerM2, point);
