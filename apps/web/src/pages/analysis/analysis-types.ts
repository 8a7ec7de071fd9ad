import type { Summary } from '../../domain';

/** Shapes of the analysis API's answers that the page reads. */
export interface GroupView {
  group: number;
  patients: number;
  percentChange: Summary;
  percentOfBaseline: Summary;
}

export interface EndpointSummary {
  patients: number;
  treated: number;
  igm: { evaluable: number; censored: number; latestPercentChange: Summary; nadirPercentChange: Summary };
  antiMag: { evaluable: number; censored: number; latestPercentChange: Summary; nadirPercentChange: Summary };
  ulnar: { evaluable: number; responders: number; worseners: number };
  incat: { evaluable: number; responders: number; legResponders: number; change: Summary; sensorySumChange: Summary };
  byDoseLevel: { IGM: GroupView[]; ANTI_MAG: GroupView[] };
  byCycle: { IGM: GroupView[]; ANTI_MAG: GroupView[] };
}

export interface TrialView {
  status: string;
  lockedAt: string | null;
  unblindedAt: string | null;
}

export interface PatientEndpoints {
  subjectId: string;
  igm: { latestPercentChange?: number };
  antiMag: { latestPercentChange?: number };
}

export interface Interval {
  difference: number;
  lower: number;
  upper: number;
  level: number;
}

export interface Proportion {
  respondersA: number;
  nA: number;
  respondersB: number;
  nB: number;
  difference?: number;
  p: number;
}

export interface ArmComparison {
  armA: string;
  armB: string;
  ulnarResponders: Proportion;
  incatResponders: Proportion;
  igmLatestPercentChange: Interval | null;
  antiMagLatestPercentChange: Interval | null;
  incatChange: Interval | null;
}

export interface ByArm {
  arms: Record<string, EndpointSummary>;
  comparison: null | ArmComparison;
}

export const fixed = (value: number | undefined, digits = 1) => (value === undefined || value === null ? '–' : value.toFixed(digits));
