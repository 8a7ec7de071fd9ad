/** Small builders for the analysis unit tests. */
import { GlobalStatus } from '../events/clinical';
import { Observation, PatientSeries, StatusAssessment } from '../analysis/observations';

export const observation = (date: string, value: number, overrides: Partial<Observation> = {}): Observation => ({
  date,
  visit: date,
  cycle: 0,
  value,
  qualifier: '=',
  ...overrides,
});

/** A result reported as below the limit of detection (`<limit`). */
export const belowDetection = (date: string, limit: number, overrides: Partial<Observation> = {}): Observation =>
  observation(date, limit, { qualifier: '<', ...overrides });

/** A result reported as above the upper limit of quantification (`>limit`). */
export const aboveQuantification = (date: string, limit: number, overrides: Partial<Observation> = {}): Observation =>
  observation(date, limit, { qualifier: '>', ...overrides });

/** A series from [date, value] pairs. */
export const series = (...points: [string, number][]): Observation[] => points.map(([date, value]) => observation(date, value));

export const status = (date: string, value: GlobalStatus, overrides: Partial<StatusAssessment> = {}): StatusAssessment => ({
  date,
  visit: date,
  cycle: 1,
  status: value,
  ...overrides,
});

export const patient = (overrides: Partial<PatientSeries> = {}): PatientSeries => ({
  subjectId: 'ZH01-007',
  firstInfusionDate: '2024-02-01',
  series: {},
  globalStatus: [],
  ...overrides,
});
