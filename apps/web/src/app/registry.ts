import { allPages } from './paged';

export interface RegistryPatient {
  patientId: string;
  siteId: string | null;
  status: string;
  enrolledAt: string | null;
}

/** Every patient the caller may see in the registry (site, status, enrolment date). */
export function allRegistryPatients(): Promise<RegistryPatient[]> {
  return allPages<RegistryPatient>('/registry/patients');
}

/** Cumulative enrolment per site by date, up to a date: one step series per site. */
export function cumulativeEnrolment(patients: RegistryPatient[], asOf: string): Record<string, Array<[string, number]>> {
  const bySite: Record<string, string[]> = {};
  for (const patient of patients) {
    const date = patient.enrolledAt?.slice(0, 10);
    if (!date || date > asOf || !patient.siteId) continue;
    (bySite[patient.siteId] ??= []).push(date);
  }
  return Object.fromEntries(
    Object.entries(bySite).map(([siteId, dates]) => {
      dates.sort();
      const series: Array<[string, number]> = [];
      dates.forEach((date, index) => {
        if (series.length > 0 && series[series.length - 1][0] === date) series[series.length - 1][1] = index + 1;
        else series.push([date, index + 1]);
      });
      series.push([asOf, dates.length]);
      return [siteId, series];
    }),
  );
}

export const AGE_BUCKETS: Array<[string, number, number]> = [
  ['0-7 days', 0, 7],
  ['8-14 days', 8, 14],
  ['15-30 days', 15, 30],
  ['over 30 days', 31, Infinity],
];

export function ageBuckets(ages: number[]): number[] {
  return AGE_BUCKETS.map(([, min, max]) => ages.filter((age) => age >= min && age <= max).length);
}
