import { clinicalTimeOf } from '../clinical-time';
import { activeInfusions, PatientState } from '../patient-state';
import { addDays, asOfDate } from './calendar';
import { FormCode } from './forms';
import { VisitSchedule, VisitWindow } from './visit-schedule';

/** The dates a patient's schedule is computed from: calendar dates (YYYY-MM-DD) as the site wrote them. */
export interface PatientScheduleDates {
  consentDate: string | null;
  screenFailed: boolean;
  randomizationDate: string | null;
  withdrawalDate: string | null;
  /** Infusions that count (not voided), with their position in their cycle. */
  infusions: readonly { cycle: number; infusionInCycle: number; date: string }[];
}

export interface ExpectedVisit {
  /** `screening`, `baseline`, `month-3`, `cycle-2-infusion-3`. */
  visitId: string;
  label: string;
  kind: 'assessment' | 'infusion';
  /** Set on infusion visits. */
  cycle?: number;
  infusionInCycle?: number;
  targetDate: string;
  windowStart: string;
  windowEnd: string;
  forms: readonly FormCode[];
  /** True while the target rests on the planned, not yet recorded, first infusion. */
  provisional: boolean;
}

const dateOf = (value: string): string => clinicalTimeOf(value).date;

/**
 * The schedule dates of a patient from the folded stream. With `asOf`, only what had happened by
 * that date counts (clinical dates), so a schedule at an earlier date is the one seen then.
 */
export const scheduleDatesOf = (state: PatientState, asOf?: string): PatientScheduleDates => {
  const until = asOf === undefined ? undefined : asOfDate(asOf);
  const happened = (date: string | null): string | null => (date !== null && (until === undefined || date <= until) ? date : null);
  const consentDate = happened(state.consentDate);
  return {
    consentDate,
    screenFailed: consentDate !== null && state.status === 'screen_failed',
    randomizationDate: happened(state.randomizedAt && dateOf(state.randomizedAt)),
    withdrawalDate: happened(state.withdrawnAt && dateOf(state.withdrawnAt)),
    infusions: activeInfusions(state)
      .map((infusion) => ({ cycle: infusion.cycle, infusionInCycle: infusion.infusionInCycle, date: dateOf(infusion.occurredAt) }))
      .filter((infusion) => happened(infusion.date) !== null),
  };
};

const windowAround = (targetDate: string, window: VisitWindow) => ({
  targetDate,
  windowStart: addDays(targetDate, -window.daysBefore),
  windowEnd: addDays(targetDate, window.daysAfter),
});

/**
 * Day 1 of each cycle that has a recorded infusion: the earliest infusion of the cycle that counts,
 * moved back to its cycle day (the same anchor the infusion rules use when a day-1 infusion is voided).
 */
const recordedCycleStarts = (dates: PatientScheduleDates, schedule: VisitSchedule): Map<number, string> => {
  const starts = new Map<number, { infusionInCycle: number; start: string }>();
  for (const infusion of dates.infusions) {
    const known = starts.get(infusion.cycle);
    if (known && known.infusionInCycle <= infusion.infusionInCycle) continue;
    const cycleDay = schedule.infusionDays[infusion.infusionInCycle - 1] ?? 1;
    starts.set(infusion.cycle, { infusionInCycle: infusion.infusionInCycle, start: addDays(infusion.date, 1 - cycleDay) });
  }
  return new Map([...starts].map(([cycle, { start }]) => [cycle, start]));
};

type Anchor = { date: string; provisional: boolean };

/** The first infusion as recorded (cycle 1's day 1), or planned from randomization until it is given. */
const firstInfusionOf = (dates: PatientScheduleDates, cycleStarts: ReadonlyMap<number, string>, plannedStart: string | undefined) => {
  if (dates.screenFailed) return undefined;
  const recordedStart = cycleStarts.get(1);
  if (recordedStart !== undefined) return { date: recordedStart, provisional: false };
  return plannedStart === undefined ? undefined : { date: plannedStart, provisional: true };
};

/** Each assessment visit whose anchor (consent, randomization, first infusion) the patient has reached. */
const assessmentVisits = (
  dates: PatientScheduleDates & { consentDate: string },
  schedule: VisitSchedule,
  firstInfusion: Anchor | undefined,
): ExpectedVisit[] =>
  schedule.assessmentVisits.flatMap((definition): ExpectedVisit[] => {
    const randomization =
      dates.randomizationDate === null || dates.screenFailed ? undefined : { date: dates.randomizationDate, provisional: false };
    const anchor =
      definition.anchor === 'consent'
        ? { date: dates.consentDate, provisional: false }
        : definition.anchor === 'randomization'
          ? randomization
          : firstInfusion;
    if (!anchor) return [];
    return [
      {
        visitId: definition.visitId,
        label: definition.label,
        kind: 'assessment',
        ...windowAround(addDays(anchor.date, definition.daysAfterAnchor), definition.window),
        forms: definition.forms,
        provisional: anchor.provisional,
      },
    ];
  });

/** Every infusion of every cycle that has started (cycle 1 once it is planned). */
const infusionVisits = (
  cycleStarts: ReadonlyMap<number, string>,
  schedule: VisitSchedule,
  firstInfusion: Anchor | undefined,
  plannedStart: string | undefined,
): ExpectedVisit[] => {
  const cycles = new Map(cycleStarts);
  if (firstInfusion) cycles.set(1, firstInfusion.date);
  return [...cycles]
    .sort(([a], [b]) => a - b)
    .flatMap(([cycle, start]) =>
      schedule.infusionDays.map((day, index): ExpectedVisit => {
        const infusionInCycle = index + 1;
        // cycle 1's first infusion is planned from randomization; every other one from its cycle's day 1
        const timing =
          cycle === 1 && infusionInCycle === 1 && plannedStart !== undefined
            ? windowAround(plannedStart, schedule.firstInfusion.window)
            : windowAround(addDays(start, day - 1), schedule.infusionWindow);
        return {
          visitId: `cycle-${cycle}-infusion-${infusionInCycle}`,
          label: `Cycle ${cycle}, infusion ${infusionInCycle} (day ${day})`,
          kind: 'infusion',
          cycle,
          infusionInCycle,
          ...timing,
          forms: ['infusion'],
          provisional: cycle === 1 && firstInfusion?.provisional === true && infusionInCycle > 1,
        };
      }),
    );
};

const KIND_ORDER = { assessment: 0, infusion: 1 };

/** By target date; on one day assessments before infusions; otherwise as listed. */
const byTargetDate = (visits: readonly ExpectedVisit[]): ExpectedVisit[] =>
  visits
    .map((visit, order) => ({ visit, order }))
    .sort((a, b) =>
      a.visit.targetDate !== b.visit.targetDate
        ? a.visit.targetDate < b.visit.targetDate
          ? -1
          : 1
        : KIND_ORDER[a.visit.kind] - KIND_ORDER[b.visit.kind] || a.order - b.order,
    )
    .map(({ visit }) => visit);

/**
 * The visits a patient is expected to attend, computed from the patient's own dates: screening from
 * consent; after randomization, cycle 1 and the visits counted from the first infusion (planned until
 * given); further cycles once they have started. A screen failure keeps its screening visit only;
 * after withdrawal, visits whose window had not opened are no longer expected. Ordered by target
 * date, assessments before infusions on the same day (baseline is taken before the dose).
 */
export const scheduleFor = (dates: PatientScheduleDates, schedule: VisitSchedule): ExpectedVisit[] => {
  const { consentDate, randomizationDate, withdrawalDate } = dates;
  if (consentDate === null) return [];
  const cycleStarts = recordedCycleStarts(dates, schedule);
  const plannedStart = randomizationDate === null ? undefined : addDays(randomizationDate, schedule.firstInfusion.daysAfterRandomization);
  const firstInfusion = firstInfusionOf(dates, cycleStarts, plannedStart);
  const visits = [
    ...assessmentVisits({ ...dates, consentDate }, schedule, firstInfusion),
    ...infusionVisits(cycleStarts, schedule, firstInfusion, plannedStart),
  ];
  return byTargetDate(withdrawalDate === null ? visits : visits.filter((visit) => visit.windowStart <= withdrawalDate));
};
