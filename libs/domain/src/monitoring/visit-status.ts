import { clinicalTimeOf, daysBetween } from '../clinical-time';
import { InfusionGiven } from '../events/infusion';
import { PatientState } from '../patient-state';
import { asOfDate } from './calendar';
import { flaggedDeviationsOf, FormCode, formOf, RecordedEvent } from './forms';
import { ExpectedVisit, scheduleDatesOf, scheduleFor } from './schedule';
import { VisitSchedule } from './visit-schedule';

/**
 * - `upcoming`: the window opens after the reporting date;
 * - `due`: the window is open and forms are missing;
 * - `overdue`: the window has closed and forms are missing;
 * - `done`: every expected form is recorded (late ones too: lateness is a deviation, not a gap).
 */
export type VisitStatus = 'upcoming' | 'due' | 'overdue' | 'done';

export interface RecordedVisitForm {
  form: FormCode;
  eventId: string;
  occurredOn: string;
  inWindow: boolean;
}

export interface VisitStatusReport extends ExpectedVisit {
  status: VisitStatus;
  recordedForms: RecordedVisitForm[];
  /** Expected forms not recorded by the reporting date. */
  missingForms: FormCode[];
}

/** The patient's record as it stands now (corrected values and times, voids marked), in stream order. */
export const recordedEventsOf = (state: PatientState): RecordedEvent[] =>
  Object.entries(state.entries).map(([eventId, entry]) => ({
    eventId,
    type: entry.type,
    occurredAt: entry.occurredAt,
    data: entry.data,
    voided: entry.voided,
  }));

interface Candidate {
  event: RecordedEvent;
  form: FormCode;
  date: string;
  order: number;
}

const slotKey = (visitId: string, form: FormCode): string => `${visitId} ${form}`;
const distance = (date: string, visit: ExpectedVisit): number => Math.abs(daysBetween(visit.targetDate, date));
const inWindow = (date: string, visit: ExpectedVisit): boolean => visit.windowStart <= date && date <= visit.windowEnd;
const closer =
  (visit: ExpectedVisit) =>
  (a: Candidate, b: Candidate): number =>
    distance(a.date, visit) - distance(b.date, visit) || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || a.order - b.order;

/**
 * What a stable sort by `order` would put first (the earliest listed of equals), without sorting:
 * rating a patient picks a best candidate for every visit and every left-over form.
 */
const firstBy = <T>(items: readonly T[], order: (a: T, b: T) => number): T | undefined => {
  let best: T | undefined;
  for (const item of items) if (best === undefined || order(item, best) < 0) best = item;
  return best;
};

/** The forms recorded by `until` (void entries left out), with their clinical date and stream order. */
const candidatesOf = (recorded: readonly RecordedEvent[], until: string): Candidate[] =>
  recorded.flatMap((event, order) => {
    const form = event.voided ? undefined : formOf(event);
    if (form === undefined) return [];
    const date = clinicalTimeOf(event.occurredAt).date;
    return date <= until ? [{ event, form, date, order }] : [];
  });

/** Which recorded form fills which visit's slot. */
type Slots = Map<string, RecordedVisitForm>;

/** Infusions fill their visit by cycle position; in window unless the domain flagged it out of window. */
const fillInfusions = (expected: readonly ExpectedVisit[], candidates: readonly Candidate[], filled: Slots): void => {
  for (const visit of expected) {
    if (visit.kind !== 'infusion') continue;
    const infusion = candidates.find(({ event, form }) => {
      const data = event.data as InfusionGiven;
      return form === 'infusion' && data.cycle === visit.cycle && data.infusionInCycle === visit.infusionInCycle;
    });
    if (!infusion) continue;
    const onTime = !flaggedDeviationsOf(infusion.event).some((deviation) => deviation.code === 'infusion-out-of-window');
    filled.set(slotKey(visit.visitId, 'infusion'), {
      form: 'infusion',
      eventId: infusion.event.eventId,
      occurredOn: infusion.date,
      inWindow: onTime,
    });
  }
};

/** Rule 1: each visit's form takes the closest event within its window. Returns the events used. */
const fillInWindow = (assessments: readonly ExpectedVisit[], forms: readonly Candidate[], filled: Slots): Set<Candidate> => {
  const used = new Set<Candidate>();
  for (const visit of assessments) {
    for (const form of visit.forms) {
      const best = firstBy(
        forms.filter((c) => c.form === form && inWindow(c.date, visit)),
        closer(visit),
      );
      if (!best) continue;
      used.add(best);
      filled.set(slotKey(visit.visitId, form), { form, eventId: best.event.eventId, occurredOn: best.date, inWindow: true });
    }
  }
  return used;
};

/** Rule 2: an event left over fills the still-missing form of the visit with the closest target day, out of window. */
const fillOutOfWindow = (assessments: readonly ExpectedVisit[], leftOver: readonly Candidate[], filled: Slots): void => {
  const byNearestVisit = new Map<string, { visit: ExpectedVisit; candidates: Candidate[] }>();
  for (const candidate of leftOver) {
    const nearest = firstBy(
      assessments.filter((visit) => visit.forms.includes(candidate.form)),
      (a, b) => distance(candidate.date, a) - distance(candidate.date, b),
    );
    if (!nearest || filled.has(slotKey(nearest.visitId, candidate.form))) continue;
    const key = slotKey(nearest.visitId, candidate.form);
    const group = byNearestVisit.get(key) ?? { visit: nearest, candidates: [] };
    group.candidates.push(candidate);
    byNearestVisit.set(key, group);
  }
  for (const [key, { visit, candidates }] of byNearestVisit) {
    const best = firstBy(candidates, closer(visit));
    if (!best) continue;
    filled.set(key, { form: best.form, eventId: best.event.eventId, occurredOn: best.date, inWindow: false });
  }
};

const rated = (visit: ExpectedVisit, filled: Slots, until: string): VisitStatusReport => {
  const recordedForms = visit.forms.flatMap((form) => filled.get(slotKey(visit.visitId, form)) ?? []);
  const missingForms = visit.forms.filter((form) => !filled.has(slotKey(visit.visitId, form)));
  let status: VisitStatus;
  if (missingForms.length === 0) status = 'done';
  else if (until < visit.windowStart) status = 'upcoming';
  else if (until <= visit.windowEnd) status = 'due';
  else status = 'overdue';
  return { ...visit, status, recordedForms, missingForms };
};

/**
 * Matches recorded forms to the expected visits and rates each visit at `asOf` (a date; only events
 * dated on or before it count: a late entry dated earlier counts, its lateness shows as latency).
 *
 * Infusions fill their visit by cycle position; whether one was on time is the deviation the
 * domain flagged on it. Other forms fill assessment visits by the protocol's windows (the rule of
 * analysis/visit-assignment.ts):
 * 1. each visit's form takes the event within the visit's window that lies closest to the target
 *    day, then the earliest; an event inside two overlapping windows (screening labs drawn within
 *    the baseline window) fills both;
 * 2. an event left over belongs to the visit (expecting that form) with the closest target day, the
 *    earlier visit on a tie; if that visit's form is still missing, the event fills it, out of window.
 * Anything else left over is an unscheduled extra and fills nothing.
 */
export const visitStatus = (expected: readonly ExpectedVisit[], recorded: readonly RecordedEvent[], asOf: string): VisitStatusReport[] => {
  const until = asOfDate(asOf);
  const candidates = candidatesOf(recorded, until);
  const filled: Slots = new Map();
  fillInfusions(expected, candidates, filled);
  const assessments = expected.filter((visit) => visit.kind === 'assessment');
  const assessmentForms = candidates.filter((candidate) => candidate.form !== 'infusion');
  const used = fillInWindow(assessments, assessmentForms, filled);
  fillOutOfWindow(
    assessments,
    assessmentForms.filter((candidate) => !used.has(candidate)),
    filled,
  );
  return expected.map((visit) => rated(visit, filled, until));
};

/** A patient's visits at `asOf`: the schedule seen on that date, rated with the record as it stands. */
export const patientVisitStatus = (state: PatientState, schedule: VisitSchedule, asOf: string): VisitStatusReport[] =>
  visitStatus(scheduleFor(scheduleDatesOf(state, asOf), schedule), recordedEventsOf(state), asOf);
