import { FormCode, labForm } from './forms';

/** How far before and after its target day a visit may take place, in calendar days (inclusive). */
export interface VisitWindow {
  daysBefore: number;
  daysAfter: number;
}

/**
 * The date a visit is counted from. `first-infusion` is the first infusion's recorded date; until it
 * is given, its planned date (randomization + `firstInfusion.daysAfterRandomization`).
 */
export type VisitAnchor = 'consent' | 'randomization' | 'first-infusion';

export interface AssessmentVisitDefinition {
  visitId: string;
  label: string;
  anchor: VisitAnchor;
  /** Target day: this many calendar days after the anchor date. */
  daysAfterAnchor: number;
  window: VisitWindow;
  forms: readonly FormCode[];
}

/** A protocol's visit schedule, as data; each patient's visits follow from the patient's own dates. */
export interface VisitSchedule {
  protocolId: string;
  /** Visits where data is collected: screening, baseline, follow-ups. */
  assessmentVisits: readonly AssessmentVisitDefinition[];
  /** When cycle 1 is expected to start. It only plans: a late start shows as overdue, not as a deviation. */
  firstInfusion: { daysAfterRandomization: number; window: VisitWindow };
  /** Day of each infusion within a cycle; day 1 is the cycle's first infusion. Every cycle that starts gets all of them. */
  infusionDays: readonly number[];
  infusionWindow: VisitWindow;
}

const ALL_LABS: readonly FormCode[] = [labForm('IGM'), labForm('ANTI_MAG'), labForm('CD19'), labForm('CD20')];
const FULL_ASSESSMENT: readonly FormCode[] = [...ALL_LABS, 'neurography', 'clinical-assessment'];

/**
 * Follow-up months are counted in weeks: 13, 26, 39 and 52 weeks (91, 182, 273, 364 days) after
 * the first infusion, so a visit keeps the infusion's weekday and needs no month-length arithmetic.
 * ±14 days leaves clinics two weeks either side while keeping 3-monthly windows 9 weeks apart.
 */
const followUp = (month: number): AssessmentVisitDefinition => ({
  visitId: `month-${month}`,
  label: `Month ${month}`,
  anchor: 'first-infusion',
  daysAfterAnchor: (month / 3) * 13 * 7,
  window: { daysBefore: 14, daysAfter: 14 },
  forms: FULL_ASSESSMENT,
});

/**
 * The first protocol's schedule.
 * - Screening: from consent up to 28 days after it; the eligibility measures (anti-MAG titer, IgM,
 *   the sensory sum score of the assessment).
 * - Baseline: within the 14 days before the first infusion, the first infusion's day included
 *   (pre-dose); every lab, the nerve conduction study and the assessment.
 * - Infusions: days 1, 8, 15 and 22 of each cycle, ±2 days (the protocol's infusion rules).
 * - Follow-up: months 3, 6, 9 and 12 after the first infusion, ±14 days, everything again.
 */
export const ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE: VisitSchedule = {
  protocolId: 'anti-mag-rituximab',
  assessmentVisits: [
    {
      visitId: 'screening',
      label: 'Screening',
      anchor: 'consent',
      daysAfterAnchor: 0,
      window: { daysBefore: 0, daysAfter: 28 },
      forms: [labForm('ANTI_MAG'), labForm('IGM'), 'clinical-assessment'],
    },
    {
      visitId: 'baseline',
      label: 'Baseline',
      anchor: 'first-infusion',
      daysAfterAnchor: 0,
      window: { daysBefore: 14, daysAfter: 0 },
      forms: FULL_ASSESSMENT,
    },
    followUp(3),
    followUp(6),
    followUp(9),
    followUp(12),
  ],
  firstInfusion: { daysAfterRandomization: 7, window: { daysBefore: 7, daysAfter: 7 } },
  infusionDays: [1, 8, 15, 22],
  infusionWindow: { daysBefore: 2, daysAfter: 2 },
};
