import { decideClinicalAssessment } from '../decide/clinical-assessment';
import { decideCorrection } from '../decide/correction';
import { decideInfusion } from '../decide/infusion';
import { decideLabResult } from '../decide/lab-result';
import { decideVoid } from '../decide/void';
import { Deviation } from '../events/deviation';
import {
  aRandomizedPatient,
  clinicalAssessmentCommand,
  infusionCommand,
  labResultCommand,
  recordedAssessment,
  recordedInfusion,
  recordedLab,
  recordedNeurography,
  cycleInfusions,
  scheduleDates,
} from '../testing';
import { RecordedEvent } from './forms';
import { scheduleFor } from './schedule';
import { ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE as SCHEDULE } from './visit-schedule';
import { patientVisitStatus, recordedEventsOf, VisitStatusReport, visitStatus } from './visit-status';

const lab = recordedLab;
const neurography = recordedNeurography;
const assessment = recordedAssessment;
const infusion = recordedInfusion;

/** Consent 2024-01-10, randomization 2024-01-20, first infusion 2024-02-01: month 3 is 2024-05-02 [04-18, 05-16]. */
const EXPECTED = scheduleFor(scheduleDates({ infusions: cycleInfusions(1, '2024-02-01', '2024-02-08', '2024-02-18') }), SCHEDULE);

const LATE_INFUSION: Deviation = { code: 'infusion-out-of-window', detail: 'infusion 3 of cycle 1 given on day 18, due on day 15 ±2' };

const RECORD: RecordedEvent[] = [
  lab('s-antimag', '2024-01-12', 'ANTI_MAG'),
  lab('s-igm', '2024-01-12', 'IGM'),
  assessment('s-assess', '2024-01-12'),
  lab('b-igm', '2024-01-30', 'IGM'),
  lab('b-antimag', '2024-01-30', 'ANTI_MAG'),
  lab('b-cd19', '2024-01-30', 'CD19'),
  lab('b-cd20', '2024-01-30', 'CD20'),
  neurography('b-neuro', '2024-01-31'),
  assessment('b-assess', '2024-02-01'),
  infusion('i-1', '2024-02-01', 1, 1),
  infusion('i-2', '2024-02-08', 1, 2),
  infusion('i-3', '2024-02-18', 1, 3, [LATE_INFUSION]),
  lab('m3-igm', '2024-05-03', 'IGM'),
  lab('m3-antimag', '2024-05-03', 'ANTI_MAG'),
  assessment('m3-assess', '2024-05-03'),
  neurography('m3-neuro', '2024-05-20'),
];

const byId = (reports: VisitStatusReport[]) => Object.fromEntries(reports.map((report) => [report.visitId, report]));
const statuses = (reports: VisitStatusReport[]) => Object.fromEntries(reports.map((report) => [report.visitId, report.status]));

describe('visitStatus', () => {
  it('rates every visit at the asOf date, hand-worked at 2024-05-10', () => {
    const reports = visitStatus(EXPECTED, RECORD, '2024-05-10');
    expect(statuses(reports)).toEqual({
      screening: 'done',
      'cycle-1-infusion-1': 'done',
      baseline: 'done',
      'cycle-1-infusion-2': 'done',
      'cycle-1-infusion-3': 'done',
      'cycle-1-infusion-4': 'overdue',
      'month-3': 'due',
      'month-6': 'upcoming',
      'month-9': 'upcoming',
      'month-12': 'upcoming',
    });
    const visits = byId(reports);
    // the nerve study of 05-20 had not happened by 05-10
    expect(visits['month-3'].missingForms).toEqual(['lab:CD19', 'lab:CD20', 'neurography']);
    expect(visits['month-3'].recordedForms).toEqual([
      { form: 'lab:IGM', eventId: 'm3-igm', occurredOn: '2024-05-03', inWindow: true },
      { form: 'lab:ANTI_MAG', eventId: 'm3-antimag', occurredOn: '2024-05-03', inWindow: true },
      { form: 'clinical-assessment', eventId: 'm3-assess', occurredOn: '2024-05-03', inWindow: true },
    ]);
    expect(visits['cycle-1-infusion-4'].missingForms).toEqual(['infusion']);
    expect(visits['month-6'].missingForms).toHaveLength(6);
  });

  it('takes an infusion by its cycle position, on time unless the domain flagged it out of window', () => {
    const visits = byId(visitStatus(EXPECTED, RECORD, '2024-05-10'));
    expect(visits['cycle-1-infusion-2'].recordedForms).toEqual([
      { form: 'infusion', eventId: 'i-2', occurredOn: '2024-02-08', inWindow: true },
    ]);
    expect(visits['cycle-1-infusion-3'].recordedForms).toEqual([
      { form: 'infusion', eventId: 'i-3', occurredOn: '2024-02-18', inWindow: false },
    ]);
  });

  it('fills a missing form with a late event, out of window, once the window has closed (2024-05-25)', () => {
    const month3 = byId(visitStatus(EXPECTED, RECORD, '2024-05-25'))['month-3'];
    expect(month3.status).toBe('overdue');
    expect(month3.missingForms).toEqual(['lab:CD19', 'lab:CD20']);
    expect(month3.recordedForms).toContainEqual({ form: 'neurography', eventId: 'm3-neuro', occurredOn: '2024-05-20', inWindow: false });
  });

  it('counts a visit done when every form is there, late ones included', () => {
    const complete = [...RECORD, lab('m3-cd19', '2024-05-22', 'CD19'), lab('m3-cd20', '2024-05-22', 'CD20')];
    const month3 = byId(visitStatus(EXPECTED, complete, '2024-06-01'))['month-3'];
    expect(month3.status).toBe('done');
    expect(month3.missingForms).toEqual([]);
  });

  it('moves from upcoming to due on the first day of the window and to overdue the day after its last', () => {
    const month3At = (asOf: string) => byId(visitStatus(EXPECTED, [], asOf))['month-3'].status;
    expect(month3At('2024-04-17')).toBe('upcoming');
    expect(month3At('2024-04-18')).toBe('due');
    expect(month3At('2024-05-16')).toBe('due');
    expect(month3At('2024-05-17')).toBe('overdue');
    expect(month3At('2024-05-17T01:00:00+02:00')).toBe('overdue');
  });

  it('lets each visit take the closest event in its window; an event in two overlapping windows fills both', () => {
    // 01-25 lies in both the screening window (to 02-07) and the baseline window (from 01-18)
    const record = [lab('early', '2024-01-12', 'IGM'), lab('shared', '2024-01-25', 'IGM')];
    const visits = byId(visitStatus(EXPECTED, record, '2024-02-05'));
    expect(visits.screening.recordedForms).toEqual([{ form: 'lab:IGM', eventId: 'early', occurredOn: '2024-01-12', inWindow: true }]);
    expect(visits.baseline.recordedForms).toEqual([{ form: 'lab:IGM', eventId: 'shared', occurredOn: '2024-01-25', inWindow: true }]);

    const single = byId(visitStatus(EXPECTED, [lab('shared', '2024-01-25', 'IGM')], '2024-02-05'));
    expect(single.screening.recordedForms.map((form) => form.eventId)).toEqual(['shared']);
    expect(single.baseline.recordedForms.map((form) => form.eventId)).toEqual(['shared']);
    expect(single.baseline.missingForms).not.toContain('lab:IGM');
  });

  it('gives a stray event to the visit with the closest target, and fills nothing if that visit has the form', () => {
    // baseline 02-01 is 38 days from 03-10, month 3 (05-02) 53 days: an extra baseline lab
    const extra = byId(visitStatus(EXPECTED, [...RECORD, lab('extra', '2024-03-10', 'CD19')], '2024-06-01'));
    expect(extra['month-3'].missingForms).toContain('lab:CD19');
    // 03-25 is 53 days from baseline and 38 from month 3: an early month-3 lab
    const early = byId(visitStatus(EXPECTED, [...RECORD, lab('early', '2024-03-25', 'CD19')], '2024-06-01'));
    expect(early['month-3'].recordedForms).toContainEqual({
      form: 'lab:CD19',
      eventId: 'early',
      occurredOn: '2024-03-25',
      inWindow: false,
    });
  });

  it('prefers an in-window event over a closer-to-target one outside', () => {
    const record = [lab('outside', '2024-05-17', 'CD19'), lab('inside', '2024-04-18', 'CD19')];
    const month3 = byId(visitStatus(EXPECTED, record, '2024-06-01'))['month-3'];
    expect(month3.recordedForms).toEqual([{ form: 'lab:CD19', eventId: 'inside', occurredOn: '2024-04-18', inWindow: true }]);
  });

  it('ignores voided events and events that fill no form', () => {
    const record: RecordedEvent[] = [
      { ...lab('voided', '2024-01-12', 'IGM'), voided: true },
      { eventId: 'ae', type: 'AdverseEventReported', occurredAt: '2024-01-12', data: {} },
      { eventId: 'q', type: 'QueryRaised', occurredAt: '2024-01-12T00:00:00Z', data: {} },
    ];
    expect(byId(visitStatus(EXPECTED, record, '2024-02-05')).screening.recordedForms).toEqual([]);
  });

  it('refuses an asOf that is not a date', () => {
    expect(() => visitStatus(EXPECTED, RECORD, 'tomorrow')).toThrow(RangeError);
  });
});

describe('patientVisitStatus', () => {
  const treatedPatient = () => {
    const patient = aRandomizedPatient();
    const igm = patient.record(decideLabResult, labResultCommand({ occurredAt: '2024-01-15', analyte: 'IGM' }));
    patient.record(decideLabResult, labResultCommand({ occurredAt: '2024-01-15', analyte: 'ANTI_MAG', value: 25_000, unit: 'BTU' }));
    patient.record(decideClinicalAssessment, clinicalAssessmentCommand({ occurredAt: '2024-01-15' }));
    const first = patient.record(decideInfusion, infusionCommand({ occurredAt: '2024-02-01' }));
    return { patient, igm, first };
  };

  it('rates the schedule as it was seen on the asOf date: planned before the first infusion, recorded after', () => {
    const { patient } = treatedPatient();
    const before = byId(patientVisitStatus(patient.state, SCHEDULE, '2024-01-25'));
    expect(before.baseline).toMatchObject({ targetDate: '2024-01-27', provisional: true, status: 'due' });
    expect(before['cycle-1-infusion-1']).toMatchObject({ status: 'due', provisional: false });
    expect(before.screening.status).toBe('done');

    const after = byId(patientVisitStatus(patient.state, SCHEDULE, '2024-02-05'));
    expect(after.baseline).toMatchObject({ targetDate: '2024-02-01', provisional: false, status: 'overdue' });
    expect(after['cycle-1-infusion-1']).toMatchObject({ status: 'done', recordedForms: [{ eventId: 'evt-6', inWindow: true }] });
    expect(after['cycle-1-infusion-2'].status).toBe('upcoming');
  });

  it('follows corrections and voids of the record', () => {
    const { patient, igm } = treatedPatient();
    patient.record(decideCorrection, {
      occurredAt: '2024-02-11',
      correctedOccurredAt: '2024-02-10',
      correctedEventId: igm,
      correctedType: 'LabResulted',
      reason: 'date misread',
      data: { analyte: 'IGM', value: 12.5, unit: 'g/L', qualifier: '=' },
    });
    const corrected = byId(patientVisitStatus(patient.state, SCHEDULE, '2024-02-12'));
    expect(corrected.screening.missingForms).toEqual(['lab:IGM']);
    // past both windows (screening to 02-07, baseline to 02-01); baseline's target is the closer (9 days against 31)
    expect(corrected.baseline.recordedForms).toEqual([{ form: 'lab:IGM', eventId: igm, occurredOn: '2024-02-10', inWindow: false }]);

    patient.record(decideVoid, { occurredAt: '2024-02-05', voidedEventId: igm, voidedType: 'LabResulted', reason: 'wrong patient' });
    expect(byId(patientVisitStatus(patient.state, SCHEDULE, '2024-02-12')).baseline.recordedForms).toEqual([]);
  });
});

describe('recordedEventsOf', () => {
  it('lists the record as it stands, in stream order, with corrected values and voids', () => {
    const patient = aRandomizedPatient();
    const igm = patient.record(decideLabResult, labResultCommand());
    patient.record(decideCorrection, {
      occurredAt: '2024-02-03',
      correctedOccurredAt: '2024-02-02',
      correctedEventId: igm,
      correctedType: 'LabResulted',
      reason: 'typo',
      data: { analyte: 'IGM', value: 1.25, unit: 'g/L', qualifier: '=' },
    });
    patient.record(decideVoid, { occurredAt: '2024-02-05', voidedEventId: igm, voidedType: 'LabResulted', reason: 'x' });
    const events = recordedEventsOf(patient.state);
    expect(events.map((event) => event.type)).toEqual([
      'PatientEnrolled',
      'PatientRandomized',
      'LabResulted',
      'EntryCorrected',
      'EntryVoided',
    ]);
    expect(events[2]).toEqual({
      eventId: igm,
      type: 'LabResulted',
      occurredAt: '2024-02-02',
      data: { analyte: 'IGM', value: 1.25, unit: 'g/L', qualifier: '=' },
      voided: true,
    });
  });
});
