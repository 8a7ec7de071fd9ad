import { decideCorrection } from '../decide/correction';
import { decideInfusion } from '../decide/infusion';
import { decideVoid } from '../decide/void';
import { decideEnrolment } from '../decide/enrolment';
import { aPatient, aRandomizedPatient, cycleInfusions, enrolmentCommand, infusionCommand, scheduleDates } from '../testing';
import { ExpectedVisit, scheduleDatesOf, scheduleFor } from './schedule';
import { ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE as SCHEDULE } from './visit-schedule';

/** visitId: target [window start, window end] (provisional) */
const summary = (visits: ExpectedVisit[]): string[] =>
  visits.map((v) => `${v.visitId}: ${v.targetDate} [${v.windowStart}, ${v.windowEnd}]${v.provisional ? ' provisional' : ''}`);

describe('scheduleFor', () => {
  it('expects nothing before consent', () => {
    expect(scheduleFor(scheduleDates({ consentDate: null, randomizationDate: null }), SCHEDULE)).toEqual([]);
  });

  it('expects the screening visit from consent up to 28 days later', () => {
    expect(scheduleFor(scheduleDates({ randomizationDate: null }), SCHEDULE)).toEqual([
      {
        visitId: 'screening',
        label: 'Screening',
        kind: 'assessment',
        targetDate: '2024-01-10',
        windowStart: '2024-01-10',
        windowEnd: '2024-02-07',
        forms: ['lab:ANTI_MAG', 'lab:IGM', 'clinical-assessment'],
        provisional: false,
      },
    ]);
  });

  it('keeps only the screening visit of a screen failure', () => {
    expect(summary(scheduleFor(scheduleDates({ screenFailed: true, randomizationDate: null }), SCHEDULE))).toEqual([
      'screening: 2024-01-10 [2024-01-10, 2024-02-07]',
    ]);
  });

  it('plans cycle 1 a week after randomization and counts the visits from that planned date until it is given', () => {
    expect(summary(scheduleFor(scheduleDates(), SCHEDULE))).toEqual([
      'screening: 2024-01-10 [2024-01-10, 2024-02-07]',
      'baseline: 2024-01-27 [2024-01-13, 2024-01-27] provisional',
      'cycle-1-infusion-1: 2024-01-27 [2024-01-20, 2024-02-03]',
      'cycle-1-infusion-2: 2024-02-03 [2024-02-01, 2024-02-05] provisional',
      'cycle-1-infusion-3: 2024-02-10 [2024-02-08, 2024-02-12] provisional',
      'cycle-1-infusion-4: 2024-02-17 [2024-02-15, 2024-02-19] provisional',
      'month-3: 2024-04-27 [2024-04-13, 2024-05-11] provisional',
      'month-6: 2024-07-27 [2024-07-13, 2024-08-10] provisional',
      'month-9: 2024-10-26 [2024-10-12, 2024-11-09] provisional',
      'month-12: 2025-01-25 [2025-01-11, 2025-02-08] provisional',
    ]);
  });

  it('counts from the recorded first infusion once given (2024 is a leap year)', () => {
    const visits = scheduleFor(scheduleDates({ infusions: cycleInfusions(1, '2024-02-01') }), SCHEDULE);
    expect(summary(visits)).toEqual([
      'screening: 2024-01-10 [2024-01-10, 2024-02-07]',
      'cycle-1-infusion-1: 2024-01-27 [2024-01-20, 2024-02-03]',
      'baseline: 2024-02-01 [2024-01-18, 2024-02-01]',
      'cycle-1-infusion-2: 2024-02-08 [2024-02-06, 2024-02-10]',
      'cycle-1-infusion-3: 2024-02-15 [2024-02-13, 2024-02-17]',
      'cycle-1-infusion-4: 2024-02-22 [2024-02-20, 2024-02-24]',
      'month-3: 2024-05-02 [2024-04-18, 2024-05-16]',
      'month-6: 2024-08-01 [2024-07-18, 2024-08-15]',
      'month-9: 2024-10-31 [2024-10-17, 2024-11-14]',
      'month-12: 2025-01-30 [2025-01-16, 2025-02-13]',
    ]);
    expect(visits.find((visit) => visit.visitId === 'cycle-1-infusion-3')).toEqual({
      visitId: 'cycle-1-infusion-3',
      label: 'Cycle 1, infusion 3 (day 15)',
      kind: 'infusion',
      cycle: 1,
      infusionInCycle: 3,
      targetDate: '2024-02-15',
      windowStart: '2024-02-13',
      windowEnd: '2024-02-17',
      forms: ['infusion'],
      provisional: false,
    });
  });

  it('puts baseline before an infusion due the same day', () => {
    const visits = scheduleFor(scheduleDates({ randomizationDate: '2024-01-25', infusions: cycleInfusions(1, '2024-02-01') }), SCHEDULE);
    expect(visits.slice(1, 3).map((visit) => visit.visitId)).toEqual(['baseline', 'cycle-1-infusion-1']);
  });

  it('adds every infusion of a later cycle once it has started, counted from its own day 1', () => {
    const visits = scheduleFor(
      scheduleDates({
        infusions: [...cycleInfusions(1, '2024-02-01', '2024-02-08', '2024-02-15', '2024-02-22'), ...cycleInfusions(2, '2024-09-02')],
      }),
      SCHEDULE,
    );
    expect(summary(visits.filter((visit) => visit.cycle === 2))).toEqual([
      'cycle-2-infusion-1: 2024-09-02 [2024-08-31, 2024-09-04]',
      'cycle-2-infusion-2: 2024-09-09 [2024-09-07, 2024-09-11]',
      'cycle-2-infusion-3: 2024-09-16 [2024-09-14, 2024-09-18]',
      'cycle-2-infusion-4: 2024-09-23 [2024-09-21, 2024-09-25]',
    ]);
  });

  it('finds a cycle day 1 from a later infusion of the cycle when the first was voided', () => {
    const visits = scheduleFor(
      scheduleDates({ infusions: [{ cycle: 2, infusionInCycle: 2, date: '2024-09-10' }, ...cycleInfusions(1, '2024-02-01')] }),
      SCHEDULE,
    );
    expect(visits.find((visit) => visit.visitId === 'cycle-2-infusion-1')?.targetDate).toBe('2024-09-03');
    expect(visits.find((visit) => visit.visitId === 'cycle-2-infusion-4')?.targetDate).toBe('2024-09-24');
  });

  it('drops the visits whose window had not opened when the patient withdrew', () => {
    const visits = scheduleFor(scheduleDates({ infusions: cycleInfusions(1, '2024-02-01'), withdrawalDate: '2024-04-18' }), SCHEDULE);
    expect(visits.map((visit) => visit.visitId)).toEqual([
      'screening',
      'cycle-1-infusion-1',
      'baseline',
      'cycle-1-infusion-2',
      'cycle-1-infusion-3',
      'cycle-1-infusion-4',
      'month-3',
    ]);
    expect(
      scheduleFor(scheduleDates({ infusions: cycleInfusions(1, '2024-02-01'), withdrawalDate: '2024-04-17' }), SCHEDULE).map(
        (v) => v.visitId,
      ),
    ).not.toContain('month-3');
  });
});

describe('scheduleDatesOf', () => {
  const treatedPatient = () => {
    const patient = aRandomizedPatient();
    const first = patient.record(decideInfusion, infusionCommand({ occurredAt: '2024-02-01T10:30:00+01:00' }));
    const second = patient.record(decideInfusion, infusionCommand({ occurredAt: '2024-02-08' }));
    return { patient, first, second };
  };

  it('takes consent, randomization and the infusions that count, as calendar dates', () => {
    const { patient } = treatedPatient();
    expect(scheduleDatesOf(patient.state)).toEqual(scheduleDates({ infusions: cycleInfusions(1, '2024-02-01', '2024-02-08') }));
  });

  it('uses corrected infusion dates and leaves voided infusions out', () => {
    const { patient, first, second } = treatedPatient();
    patient.record(decideCorrection, {
      occurredAt: '2024-02-20',
      correctedOccurredAt: '2024-02-09',
      correctedEventId: second,
      correctedType: 'InfusionGiven',
      reason: 'date misread',
      data: { doseLevelMgPerM2: 375, administeredDoseMg: 740 },
    });
    patient.record(decideVoid, { occurredAt: '2024-03-01', voidedEventId: first, voidedType: 'InfusionGiven', reason: 'wrong patient' });
    expect(scheduleDatesOf(patient.state).infusions).toEqual([{ cycle: 1, infusionInCycle: 2, date: '2024-02-09' }]);
  });

  it('sees only what had happened by the asOf date', () => {
    const { patient } = treatedPatient();
    patient.record(decideInfusion, infusionCommand({ occurredAt: '2024-02-15' }));
    patient.withdrawn({ occurredAt: '2024-05-01T09:00:00+02:00' });
    expect(scheduleDatesOf(patient.state).withdrawalDate).toBe('2024-05-01');
    expect(scheduleDatesOf(patient.state, '2024-02-08')).toMatchObject({
      withdrawalDate: null,
      infusions: [{ date: '2024-02-01' }, { date: '2024-02-08' }],
    });
    expect(scheduleDatesOf(patient.state, '2024-01-19')).toMatchObject({
      consentDate: '2024-01-10',
      randomizationDate: null,
      infusions: [],
    });
    expect(scheduleDatesOf(patient.state, '2024-01-09')).toMatchObject({ consentDate: null, randomizationDate: null });
  });

  it('marks a screen failure', () => {
    const patient = aPatient();
    patient.record(decideEnrolment, enrolmentCommand({ eligibility: { met: false, criteria: [{ code: 'AGE', met: false }] } }));
    expect(scheduleDatesOf(patient.state)).toMatchObject({ screenFailed: true, consentDate: '2024-01-10', randomizationDate: null });
  });

  it('refuses an asOf that is not a date', () => {
    expect(() => scheduleDatesOf(aRandomizedPatient().state, '01/06/2024')).toThrow(RangeError);
  });
});
