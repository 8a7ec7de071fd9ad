import { daysBetween } from '../clinical-time';
import { addDays } from '../monitoring/calendar';
import type { AssessmentVisitDefinition, VisitAnchor, VisitSchedule } from '../monitoring/visit-schedule';

/**
 * Observations belong to the protocol's named visits by the protocol's windows, one rule for the
 * analysis and for monitoring:
 * - an observation belongs to the visit whose window contains its date; when windows overlap, to
 *   the visit whose target day is closest, the earlier visit on a tie;
 * - a date outside every window is `unscheduled` (never forced into a visit it missed);
 * - a visit reads, of the observations of one measure dated within its window, the one closest to
 *   the target day, then the earliest, then the first recorded. An observation inside two
 *   overlapping windows may serve both (screening labs drawn within the baseline window).
 */
export const UNSCHEDULED = 'unscheduled';

/**
 * The schedule data are judged by: one schedule, or the schedule of the protocol version in force on
 * each date (an amendment judges data from its effective date on, never data dated before it).
 */
export type ScheduleInForce = Pick<VisitSchedule, 'assessmentVisits'> | ((date: string) => Pick<VisitSchedule, 'assessmentVisits'>);

export const scheduleOn = (schedule: ScheduleInForce, date: string): Pick<VisitSchedule, 'assessmentVisits'> =>
  typeof schedule === 'function' ? schedule(date) : schedule;

/** Calendar dates (YYYY-MM-DD) a patient's visits are counted from; an anchor not reached yet is absent. */
export type VisitAnchorDates = Partial<Record<VisitAnchor, string>>;

/**
 * What the analysis counts a patient's visits from: randomization and the first infusion given. Not
 * consent: screening's window (consent + 28 days) overlaps the baseline's, and by the closer target day
 * a pre-dose sample drawn soon after consent would be screening's, not the baseline's; data before
 * treatment are the baseline's by date anyway (baselineOf).
 */
export interface VisitAnchorFacts {
  randomizedOn?: string;
  firstInfusionDate?: string;
}

/** The anchors of a patient's visits, as far as the patient reached them. */
export const visitAnchorsOf = ({ randomizedOn, firstInfusionDate }: VisitAnchorFacts): VisitAnchorDates => ({
  ...(randomizedOn === undefined ? {} : { randomization: randomizedOn }),
  ...(firstInfusionDate === undefined ? {} : { 'first-infusion': firstInfusionDate }),
});

export interface VisitWindowDates {
  visit: string;
  targetDate: string;
  windowStart: string;
  windowEnd: string;
}

export const visitWindowDates = (definition: AssessmentVisitDefinition, anchors: VisitAnchorDates): VisitWindowDates | undefined => {
  const anchor = anchors[definition.anchor];
  if (anchor === undefined) return undefined;
  const targetDate = addDays(anchor, definition.daysAfterAnchor);
  return {
    visit: definition.visitId,
    targetDate,
    windowStart: addDays(targetDate, -definition.window.daysBefore),
    windowEnd: addDays(targetDate, definition.window.daysAfter),
  };
};

/** The windows of the schedule's assessment visits for one patient, in schedule order. */
export const visitWindowsFor = (schedule: Pick<VisitSchedule, 'assessmentVisits'>, anchors: VisitAnchorDates): VisitWindowDates[] =>
  schedule.assessmentVisits.flatMap((definition) => visitWindowDates(definition, anchors) ?? []);

const contains = (window: VisitWindowDates, date: string): boolean => window.windowStart <= date && date <= window.windowEnd;
const distance = (window: VisitWindowDates, date: string): number => Math.abs(daysBetween(window.targetDate, date));

/** The visit a date belongs to (see the rule above). */
export const visitOfDate = (date: string, windows: readonly VisitWindowDates[]): string => {
  let best: VisitWindowDates | undefined;
  for (const window of windows) {
    if (!contains(window, date)) continue;
    if (
      best === undefined ||
      distance(window, date) < distance(best, date) ||
      (distance(window, date) === distance(best, date) && window.targetDate < best.targetDate)
    ) {
      best = window;
    }
  }
  return best?.visit ?? UNSCHEDULED;
};

/**
 * The one observation a visit reads among those of one measure (see the rule above); the input is in
 * recording order. Each observation is judged by the visit's window on its date: `windowOn` gives the
 * window of the protocol version in force then (the same window on every date without amendments).
 */
export const observationAtVisitBy = <T extends { date: string }>(
  observations: readonly T[],
  windowOn: (date: string) => VisitWindowDates | undefined,
): T | undefined => {
  let best: { observation: T; distance: number } | undefined;
  for (const observation of observations) {
    const window = windowOn(observation.date);
    if (window === undefined || !contains(window, observation.date)) continue;
    const away = distance(window, observation.date);
    if (best === undefined || away < best.distance || (away === best.distance && observation.date < best.observation.date)) {
      best = { observation, distance: away };
    }
  }
  return best?.observation;
};

/** The same with one window for every date. */
export const observationAtVisit = <T extends { date: string }>(observations: readonly T[], window: VisitWindowDates): T | undefined =>
  observationAtVisitBy(observations, () => window);
