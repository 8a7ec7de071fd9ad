/**
 * Monitoring reads the active protocol's schedule and required forms. The baseline scenario of
 * issue 12, worked out by hand with the placebo-controlled trial's file:
 * consent 2026-02-10, randomized 2026-02-27, first infusion 2026-03-06 (as planned: randomization + 7).
 * - screening: target 02-10, window 02-10..03-10; requires anti-MAG, IgM, the clinical assessment;
 * - baseline: target 03-06, window 02-20..03-06; requires IgM, anti-MAG, CD19, CD20, nerve conduction, assessment;
 * - cycle 1 infusion 1: 03-06, window 02-27..03-13 (planned from randomization); infusion 2: target 03-13, window 03-11..03-15; month 2: target 05-05 (day 60).
 * Labs and the assessment are entered on 2026-03-01, inside both the screening and the baseline window.
 */
import { ProtocolDefinition, scheduleFor, visitStatus, VisitStatusReport } from '@trialstream/domain';
import { recordedAssessment, recordedInfusion, recordedLab, recordedNeurography } from '@trialstream/domain/testing';
import { loadProtocolFile, seedProtocolPath } from '.';

const loaded = loadProtocolFile(seedProtocolPath('placebo'));
if (!loaded.ok) throw new Error('the placebo-controlled protocol must load');
const protocol: ProtocolDefinition = loaded.definition;

const expected = scheduleFor(
  {
    consentDate: '2026-02-10',
    screenFailed: false,
    randomizationDate: '2026-02-27',
    withdrawalDate: null,
    infusions: [{ cycle: 1, infusionInCycle: 1, date: '2026-03-06' }],
  },
  protocol.schedule,
);
const entered = [
  recordedLab('igm', '2026-03-01', 'IGM'),
  recordedLab('antimag', '2026-03-01', 'ANTI_MAG'),
  recordedLab('cd19', '2026-03-01', 'CD19'),
  recordedLab('cd20', '2026-03-01', 'CD20'),
  recordedAssessment('assessment', '2026-03-01'),
  recordedInfusion('infusion-1', '2026-03-06', 1, 1),
];
const byVisit = (reports: VisitStatusReport[]) =>
  Object.fromEntries(reports.map((report) => [report.visitId, { status: report.status, missing: report.missingForms }]));

describe("monitoring follows the active protocol's schedule", () => {
  it("expects the protocol's named visits with its windows and required forms", () => {
    const baseline = expected.find((visit) => visit.visitId === 'baseline')!;
    expect(baseline).toMatchObject({ targetDate: '2026-03-06', windowStart: '2026-02-20', windowEnd: '2026-03-06' });
    expect(baseline.forms).toEqual(['lab:IGM', 'lab:ANTI_MAG', 'lab:CD19', 'lab:CD20', 'neurography', 'clinical-assessment']);
    expect(expected.find((visit) => visit.visitId === 'month-8')).toMatchObject({
      targetDate: '2026-11-01',
      windowStart: '2026-10-18',
      windowEnd: '2026-11-15',
    });
    expect(expected.map((visit) => visit.visitId)).not.toContain('month-3');
  });

  it('on 2026-03-03: data of 03-01 fill screening and baseline; baseline only waits for the nerve conduction study', () => {
    expect(byVisit(visitStatus(expected, entered, '2026-03-03'))).toMatchObject({
      screening: { status: 'done', missing: [] },
      baseline: { status: 'due', missing: ['neurography'] },
      // planned from randomization: 03-06 ± 7 days, so its window is open
      'cycle-1-infusion-1': { status: 'due' },
      'month-2': { status: 'upcoming' },
    });
  });

  it('on 2026-03-09: baseline is overdue for the nerve study alone, and done once it is entered (dated 03-04)', () => {
    expect(byVisit(visitStatus(expected, entered, '2026-03-09'))).toMatchObject({
      screening: { status: 'done', missing: [] },
      baseline: { status: 'overdue', missing: ['neurography'] },
      'cycle-1-infusion-1': { status: 'done', missing: [] },
      'cycle-1-infusion-2': { status: 'upcoming' },
    });
    const complete = [...entered, recordedNeurography('neuro', '2026-03-04')];
    expect(byVisit(visitStatus(expected, complete, '2026-03-09'))).toMatchObject({
      screening: { status: 'done', missing: [] },
      baseline: { status: 'done', missing: [] },
    });
  });
});
