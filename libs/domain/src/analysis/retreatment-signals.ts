import { daysBetween } from '../clinical-time';
import { baselineOf } from './baseline';
import { byDate, InfusionDay, Observation, PatientSeries } from './observations';

/**
 * Re-treatment signals. Whether a new cycle should follow clinical worsening, a rise of IgM or a
 * rise of the anti-MAG titer is an open question of the disease; the platform shows, per patient,
 * when each signal appeared and which came first, and leaves the judgement to the clinicians.
 */

export interface RetreatmentThresholds {
  /** Fraction IgM must rise above its nadir (0.25 = 25%). */
  igmRiseFromNadir: number;
  antiMagRiseFromNadir: number;
  /** INCAT total points above the pre-treatment baseline. */
  incatRise: number;
}

export const DEFAULT_RETREATMENT_THRESHOLDS: Readonly<RetreatmentThresholds> = {
  igmRiseFromNadir: 0.25,
  antiMagRiseFromNadir: 0.25,
  incatRise: 1,
};

export type RetreatmentSignalKind = 'igmRise' | 'antiMagRise' | 'clinicalWorsening';

/** Same-day signals are listed in this order. */
const KIND_ORDER: readonly RetreatmentSignalKind[] = ['igmRise', 'antiMagRise', 'clinicalWorsening'];

export interface RiseSignal {
  kind: 'igmRise' | 'antiMagRise';
  date: string;
  visit: string;
  value: Observation;
  /** The lowest value before the rise, from the value before the window's start on. */
  nadir: Observation;
  /** (value − nadir) / nadir; a lower bound when either is censored; absent from a nadir of zero. */
  riseFraction?: number;
  daysAfterFirst: number;
}

export interface WorseningSignal {
  kind: 'clinicalWorsening';
  date: string;
  visit: string;
  /** What showed the worsening on that day: the INCAT rise, the investigator's global status, or both. */
  reasons: ('incat' | 'globalStatus')[];
  daysAfterFirst: number;
}

export type RetreatmentSignal = RiseSignal | WorseningSignal;

export interface RetreatmentSignals {
  /** Each kind at most once, at its first occurrence, by date (same day: IgM, anti-MAG, clinical). */
  signals: RetreatmentSignal[];
  /** The kinds that came first: more than one when they appeared on the same day. */
  first: RetreatmentSignalKind[];
  firstDate?: string;
}

/** The stretch of time searched: after `from` (default the first infusion day) and before `until`. */
export interface RetreatmentWindow {
  from?: string;
  until?: string;
}

/** Below this, a difference from a threshold is floating-point noise. */
const NOISE = 1e-9;

const inWindow = (date: string, from: string, until: string | undefined): boolean => date > from && (until === undefined || date < until);

/**
 * The first observation that rose by the threshold above the lowest value before it. A value above
 * quantification (`>U`) cannot be a nadir, since how high it really was is unknown, but it can show
 * a rise (it is at least U). A value below detection (`<L`) can be a nadir, through its limit,
 * which understates the rise that follows, but it cannot show a rise.
 */
const firstRise = (
  kind: RiseSignal['kind'],
  observations: readonly Observation[],
  from: string,
  until: string | undefined,
  threshold: number,
): Omit<RiseSignal, 'daysAfterFirst'> | undefined => {
  const start = baselineOf(observations, from);
  let nadir = start && start.qualifier !== '>' ? start : undefined;
  for (const observation of byDate(observations).filter((o) => inWindow(o.date, from, until))) {
    if (nadir && observation.qualifier !== '<') {
      const rise = observation.value - nadir.value;
      const rose = nadir.value > 0 ? rise / nadir.value >= threshold - NOISE : observation.value > 0;
      if (rose) {
        const riseFraction = nadir.value > 0 ? rise / nadir.value : undefined;
        return { kind, date: observation.date, visit: observation.visit, value: observation, nadir, riseFraction };
      }
    }
    const lower =
      nadir === undefined || observation.value < nadir.value || (observation.value === nadir.value && observation.qualifier === '<');
    if (observation.qualifier !== '>' && lower) nadir = observation;
  }
  return undefined;
};

const firstClinicalWorsening = (
  patient: PatientSeries,
  from: string,
  until: string | undefined,
  incatRise: number,
): Omit<WorseningSignal, 'daysAfterFirst'> | undefined => {
  const incat = patient.series.INCAT_TOTAL ?? [];
  const baseline = patient.firstInfusionDate === undefined ? undefined : baselineOf(incat, patient.firstInfusionDate);
  const incatWorse = baseline
    ? byDate(incat).find((o) => inWindow(o.date, from, until) && o.qualifier === '=' && o.value - baseline.value >= incatRise - NOISE)
    : undefined;
  const globalWorse = byDate(patient.globalStatus).find((a) => inWindow(a.date, from, until) && a.status === 'worsened');
  const candidates = [incatWorse, globalWorse].filter((c): c is NonNullable<typeof c> => c !== undefined);
  if (candidates.length === 0) return undefined;
  const earliest = byDate(candidates)[0];
  const reasons: WorseningSignal['reasons'] = [];
  if (incatWorse?.date === earliest.date) reasons.push('incat');
  if (globalWorse?.date === earliest.date) reasons.push('globalStatus');
  return { kind: 'clinicalWorsening', date: earliest.date, visit: earliest.visit, reasons };
};

/**
 * When IgM rose by ≥ 25% from its nadir, when the anti-MAG titer did, and when the patient worsened
 * clinically (INCAT total ≥ 1 point above the pre-treatment baseline, or global status
 * `worsened`), each at its first occurrence after treatment began; which came first; and how many
 * days each followed the first. Nadirs are running minima from the last value before the window.
 */
export const retreatmentSignals = (
  patient: PatientSeries,
  thresholds: Partial<RetreatmentThresholds> = {},
  window: RetreatmentWindow = {},
): RetreatmentSignals => {
  const limits = { ...DEFAULT_RETREATMENT_THRESHOLDS, ...thresholds };
  const from = window.from ?? patient.firstInfusionDate;
  if (from === undefined) return { signals: [], first: [] };
  const { until } = window;

  const found = [
    firstRise('igmRise', patient.series.IGM ?? [], from, until, limits.igmRiseFromNadir),
    firstRise('antiMagRise', patient.series.ANTI_MAG ?? [], from, until, limits.antiMagRiseFromNadir),
    firstClinicalWorsening(patient, from, until, limits.incatRise),
  ]
    .filter((signal): signal is NonNullable<typeof signal> => signal !== undefined)
    .sort((a, b) => daysBetween(b.date, a.date) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));

  if (found.length === 0) return { signals: [], first: [] };
  const firstDate = found[0].date;
  return {
    signals: found.map((signal) => ({ ...signal, daysAfterFirst: daysBetween(firstDate, signal.date) })),
    first: found.filter((signal) => signal.date === firstDate).map((signal) => signal.kind),
    firstDate,
  };
};

export interface CycleRetreatmentSignals extends RetreatmentSignals {
  cycle: number;
  /** First infusion of the cycle. */
  start: string;
  /** First infusion of the next cycle, if any: the window ends there. */
  end?: string;
}

/**
 * The signals of each cycle: from its first infusion to the next cycle's first infusion, nadirs
 * restarting from the value before the cycle and clinical worsening still measured against the
 * baseline before the first cycle.
 */
export const retreatmentSignalsPerCycle = (
  patient: PatientSeries,
  infusions: readonly InfusionDay[],
  thresholds: Partial<RetreatmentThresholds> = {},
): CycleRetreatmentSignals[] => {
  const starts = new Map<number, string>();
  for (const infusion of byDate(infusions)) if (!starts.has(infusion.cycle)) starts.set(infusion.cycle, infusion.date);
  const cycles = [...starts].sort(([a], [b]) => a - b);
  return cycles.map(([cycle, start], index) => {
    const end = cycles[index + 1]?.[1];
    return { cycle, start, end, ...retreatmentSignals(patient, thresholds, { from: start, until: end }) };
  });
};
