import { ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE } from '../monitoring/visit-schedule';
import { observation } from '../testing';
import { observationAtVisit, UNSCHEDULED, visitOfDate, visitWindowsFor } from './visit-assignment';
import { valueAtVisit, withProtocolVisits } from './protocol-endpoints';

// first infusion 2026-03-06: baseline 02-20..03-06, month 3 = day 91 (06-05) ± 14, month 6 = day 182 (09-04) ± 14
const FIRST_INFUSION = { 'first-infusion': '2026-03-06' };
const windows = visitWindowsFor(ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE, { consent: '2026-02-01', 'first-infusion': '2026-03-06' });

describe('observations belong to the protocol visits by their windows', () => {
  it('computes each visit window from its anchor', () => {
    expect(windows.find((w) => w.visit === 'baseline')).toEqual({
      visit: 'baseline',
      targetDate: '2026-03-06',
      windowStart: '2026-02-20',
      windowEnd: '2026-03-06',
    });
    expect(windows.find((w) => w.visit === 'month-3')).toEqual({
      visit: 'month-3',
      targetDate: '2026-06-05',
      windowStart: '2026-05-22',
      windowEnd: '2026-06-19',
    });
  });

  it('puts a date inside two overlapping windows in the visit with the closer target day, and a date outside every window nowhere', () => {
    // screening 02-01..03-01 overlaps baseline 02-20..03-06: 03-01 is 28 days from screening, 5 from baseline
    expect(visitOfDate('2026-03-01', windows)).toBe('baseline');
    expect(visitOfDate('2026-02-10', windows)).toBe('screening');
    expect(visitOfDate('2026-06-19', windows)).toBe('month-3');
    expect(visitOfDate('2026-06-20', windows)).toBe(UNSCHEDULED);
  });

  it('reads, of two observations in one window, the one closest to the target day, then the earlier', () => {
    const month3 = windows.find((w) => w.visit === 'month-3')!;
    const labelled = withProtocolVisits(
      [observation('2026-05-25', 1), observation('2026-06-08', 2), observation('2026-06-02', 3), observation('2026-07-30', 4)],
      ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE,
      FIRST_INFUSION,
    );
    // 06-08 and 06-02 are both 3 days from 06-05: the earlier wins; the later unscheduled 07-30 never moves it
    expect(observationAtVisit(labelled, month3)?.value).toBe(3);
    expect(valueAtVisit(labelled, ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE, 'month-3', FIRST_INFUSION)?.value).toBe(3);
    expect(valueAtVisit(labelled, ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE, 'month-6', FIRST_INFUSION)).toBeUndefined();
  });

  it('judges each observation by the schedule in force on its own date (an amendment from 2026-06-01 widens month 3 to ± 28)', () => {
    const widened = {
      ...ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE,
      assessmentVisits: ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE.assessmentVisits.map((visit) =>
        visit.visitId === 'month-3' ? { ...visit, window: { daysBefore: 28, daysAfter: 28 } } : visit,
      ),
    };
    const inForce = (date: string) => (date < '2026-06-01' ? ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE : widened);
    // month 3 is 06-05: 05-15 is 21 days before it (only the amendment's window, but dated before it); 06-28 is 23 days after
    const early = observation('2026-05-15', 1);
    const late = observation('2026-06-28', 2);
    expect(withProtocolVisits([early, late], inForce, FIRST_INFUSION).map((o) => o.visit)).toEqual([UNSCHEDULED, 'month-3']);
    expect(valueAtVisit([early, late], inForce, 'month-3', FIRST_INFUSION)?.value).toBe(2);
    expect(valueAtVisit([early, late], widened, 'month-3', FIRST_INFUSION)?.value).toBe(1);
    expect(valueAtVisit([early, late], ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE, 'month-3', FIRST_INFUSION)).toBeUndefined();
  });
});
