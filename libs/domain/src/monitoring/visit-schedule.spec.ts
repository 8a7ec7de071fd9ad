import { ANTI_MAG_RITUXIMAB_PROTOCOL } from '../protocol';
import { FORM_CODES } from './forms';
import { ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE as SCHEDULE } from './visit-schedule';

const ALL_ASSESSMENT_FORMS = ['lab:IGM', 'lab:ANTI_MAG', 'lab:CD19', 'lab:CD20', 'neurography', 'clinical-assessment'];

describe('the anti-MAG rituximab visit schedule', () => {
  it('belongs to the first protocol', () => {
    expect(SCHEDULE.protocolId).toBe('anti-mag-rituximab');
  });

  it('gives infusions on days 1, 8, 15 and 22 of a cycle, ±2 days, as the protocol rules do', () => {
    const { infusionsPerCycle, infusionIntervalDays, infusionWindowDays } = ANTI_MAG_RITUXIMAB_PROTOCOL;
    expect(SCHEDULE.infusionDays).toEqual([1, 8, 15, 22]);
    expect(SCHEDULE.infusionDays).toEqual(Array.from({ length: infusionsPerCycle }, (_, k) => 1 + k * infusionIntervalDays));
    expect(SCHEDULE.infusionWindow).toEqual({ daysBefore: infusionWindowDays, daysAfter: infusionWindowDays });
  });

  it('has screening, baseline and follow-ups at months 3, 6, 9 and 12 (13-week steps) after the first infusion, ±14 days', () => {
    expect(
      SCHEDULE.assessmentVisits.map(({ visitId, anchor, daysAfterAnchor, window }) => [visitId, anchor, daysAfterAnchor, window]),
    ).toEqual([
      ['screening', 'consent', 0, { daysBefore: 0, daysAfter: 28 }],
      ['baseline', 'first-infusion', 0, { daysBefore: 14, daysAfter: 0 }],
      ['month-3', 'first-infusion', 91, { daysBefore: 14, daysAfter: 14 }],
      ['month-6', 'first-infusion', 182, { daysBefore: 14, daysAfter: 14 }],
      ['month-9', 'first-infusion', 273, { daysBefore: 14, daysAfter: 14 }],
      ['month-12', 'first-infusion', 364, { daysBefore: 14, daysAfter: 14 }],
    ]);
  });

  it('expects the eligibility measures at screening and every lab, the neurography and the assessment afterwards', () => {
    const forms = Object.fromEntries(SCHEDULE.assessmentVisits.map((visit) => [visit.visitId, [...visit.forms].sort()]));
    expect(forms.screening).toEqual(['clinical-assessment', 'lab:ANTI_MAG', 'lab:IGM']);
    for (const visitId of ['baseline', 'month-3', 'month-6', 'month-9', 'month-12']) {
      expect(forms[visitId]).toEqual([...ALL_ASSESSMENT_FORMS].sort());
    }
    for (const visit of SCHEDULE.assessmentVisits) expect(visit.forms.every((form) => FORM_CODES.includes(form))).toBe(true);
  });

  it('plans the first infusion within two weeks of randomization', () => {
    expect(SCHEDULE.firstInfusion).toEqual({ daysAfterRandomization: 7, window: { daysBefore: 7, daysAfter: 7 } });
  });
});
