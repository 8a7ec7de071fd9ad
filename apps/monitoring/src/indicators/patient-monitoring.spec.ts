import {
  ANTI_MAG_RITUXIMAB_PROTOCOL,
  ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE,
  CommittedEvent,
  decideAnswerQuery,
  decideCloseQuery,
  decideCorrection,
  decideInfusion,
  decideLabResult,
  decideNeurography,
  decideRaiseQuery,
  decideVoid,
  decideWithdrawal,
  type EventEnvelope,
} from '@trialstream/domain';
import { InMemoryReadModel } from '@trialstream/projections/testing/in-memory-read-model';
import {
  aMonitoredPatient,
  at,
  aPatient,
  context,
  infusionCommand,
  labResultCommand,
  neurographyCommand,
  withdrawalCommand,
  committed,
  recordedStream,
} from '@trialstream/domain/testing';
import { CODE_BREAK_EVENT_TYPE } from '../projection/blinded-fold';
import {
  MONITORING_EVENTS,
  MONITORING_PATIENTS,
  monitoredStateOf,
  type MonitoringEventRow,
  type MonitoringPatientRow,
} from '../projection/monitoring-rows';
import { MONITORING_PROJECTION } from '../projection/monitoring.projection';
import { patientMonitoringAt, type PatientFacts } from './patient-monitoring';

const RULES = { schedule: ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE, protocol: ANTI_MAG_RITUXIMAB_PROTOCOL };
const later = context({ now: new Date('2024-08-01T12:00:00Z') });

/** The facts the read model holds for these events, as the API reads them back. */
async function factsOf(events: readonly CommittedEvent[], recordedOn?: (event: CommittedEvent) => string): Promise<PatientFacts> {
  const model = new InMemoryReadModel(MONITORING_PROJECTION);
  await model.apply(recordedStream('ZH01-007', 'ZH01', events, recordedOn) as EventEnvelope[]);
  const [row] = model.rowsOf(MONITORING_PATIENTS) as MonitoringPatientRow[];
  return {
    patientId: row.patient_id,
    siteId: row.site_id,
    ...monitoredStateOf(row, model.rowsOf(MONITORING_EVENTS) as MonitoringEventRow[]),
  };
}

describe('a patient’s monitoring picture at a date', () => {
  it('counts a patient from consent on, with the status they had at the end of the date', async () => {
    // consent 2024-01-10, randomized 2024-01-20, withdrawn 2024-05-01
    const facts = await factsOf(aPatient().enrolled().randomized().withdrawn().events);

    expect(patientMonitoringAt(facts, '2024-01-09', RULES)).toBeNull();
    expect(patientMonitoringAt(facts, '2024-01-15', RULES)).toMatchObject({
      status: 'enrolled',
      consentDate: '2024-01-10',
      randomizationDate: null,
    });
    expect(patientMonitoringAt(facts, '2024-02-01', RULES)).toMatchObject({ status: 'randomized', randomizationDate: '2024-01-20' });
    expect(patientMonitoringAt(facts, '2024-05-02', RULES)).toMatchObject({ status: 'withdrawn', withdrawalDate: '2024-05-01' });
  });

  it('rates the visits of the domain schedule: expected, done, due, overdue, the forms missing and the next visit', async () => {
    const fixture = aPatient().enrolled().randomized();
    fixture.record(decideInfusion, infusionCommand({ occurredAt: '2024-02-01' }));
    const facts = await factsOf(fixture.events);

    const picture = patientMonitoringAt(facts, '2024-02-10', RULES)!;

    // screening (01-10..02-07) and baseline (01-18..02-01) have no forms and closed: overdue, 3 + 6 forms missing;
    // cycle 1 infusion 1 is done; infusion 2 (02-08 ±2) is due; infusions 3 and 4 and the follow-ups are to come
    expect(picture.visitCounts).toEqual({ expected: 4, done: 1, due: 1, overdue: 2, missingForms: 9 });
    expect(picture.overdueVisits.map((visit) => visit.visitId)).toEqual(['screening', 'baseline']);
    expect(picture.nextVisit).toMatchObject({
      visitId: 'cycle-1-infusion-2',
      status: 'due',
      targetDate: '2024-02-08',
      windowStart: '2024-02-06',
      windowEnd: '2024-02-10',
      missingForms: ['infusion'],
    });
  });

  it('tracks no visit for a screen failure, which accepts no data to complete one', async () => {
    const failed = aPatient().enrolled({
      eligibility: { met: false, criteria: [{ code: 'ANTI_MAG_ABOVE_1000_BTU', met: false }] },
    } as never);
    const picture = patientMonitoringAt(await factsOf(failed.events), '2024-06-01', RULES)!;

    expect(picture.status).toBe('screen_failed');
    expect(picture.visits).toEqual([]);
    expect(picture.visitCounts).toEqual({ expected: 0, done: 0, due: 0, overdue: 0, missingForms: 0 });
  });

  it('measures data-entry latency of the clinical entries dated by the date and still standing', async () => {
    const fixture = aPatient().enrolled().randomized();
    const infusion = fixture.record(decideInfusion, infusionCommand({ occurredAt: '2024-02-01' }));
    const igm = fixture.record(decideLabResult, labResultCommand({ occurredAt: '2024-02-01' }));
    const wrong = fixture.record(decideLabResult, labResultCommand({ occurredAt: '2024-02-03' }));
    fixture.record(decideVoid, { occurredAt: '2024-02-03', voidedEventId: wrong, voidedType: 'LabResulted', reason: 'wrong patient' });
    fixture.record(decideLabResult, labResultCommand({ occurredAt: '2024-02-20' }));
    const recordedOn = (event: CommittedEvent) =>
      ({ [infusion]: '2024-02-08', [igm]: '2024-02-02' })[event.eventId] ?? event.occurredAt.slice(0, 10);

    const picture = patientMonitoringAt(await factsOf(fixture.events, recordedOn), '2024-02-10', RULES)!;

    // enrolment and randomization are not data entry; the voided lab and the lab dated 02-20 do not count
    expect(picture.latencies).toEqual([7, 1]);
  });

  it('replays each query to the date, with its age, and shows the questioned field as corrected', async () => {
    const patient = aMonitoredPatient();
    const infusion = patient.clinical.record(decideInfusion, infusionCommand({ administeredDoseMg: 900 }));
    patient.act(
      decideRaiseQuery,
      { queryId: 'q-1', targetEventId: infusion, field: 'administeredDoseMg', text: 'Log says 740 mg' },
      at('2024-06-03T08:00:00Z'),
    );
    const correction = patient.clinical.record(
      decideCorrection,
      {
        occurredAt: '2024-02-01',
        correctedEventId: infusion,
        correctedType: 'InfusionGiven',
        reason: 'pharmacy log',
        data: { doseLevelMgPerM2: 375, administeredDoseMg: 740 },
      },
      later,
    );
    patient.act(decideAnswerQuery, { queryId: 'q-1', text: 'Corrected', correctionEventId: correction }, at('2024-06-04T09:00:00Z'));
    patient.act(decideCloseQuery, { queryId: 'q-1' }, at('2024-06-07T10:00:00Z'));
    const facts = await factsOf(patient.fixture.events);

    expect(patientMonitoringAt(facts, '2024-06-02', RULES)!.queries).toEqual([]);
    expect(patientMonitoringAt(facts, '2024-06-05', RULES)!.queries).toEqual([
      expect.objectContaining({
        queryId: 'q-1',
        targetType: 'InfusionGiven',
        status: 'answered',
        ageDays: 2,
        answer: { text: 'Corrected', at: '2024-06-04T09:00:00.000Z', correctionEventId: correction },
        currentValue: 740,
      }),
    ]);
    expect(patientMonitoringAt(facts, '2024-06-30', RULES)!.queries[0]).toMatchObject({ status: 'closed', ageDays: 4 });
  });

  it('lists the deviations flagged on entries dated by the date and the visits recorded out of window', async () => {
    const fixture = aPatient().enrolled().randomized();
    fixture.record(decideInfusion, infusionCommand({ occurredAt: '2024-02-01', administeredDoseMg: 900 }));
    fixture.record(decideNeurography, neurographyCommand({ occurredAt: '2024-02-20', limbTemperatureC: 30 }));
    const facts = await factsOf(fixture.events);

    const codes = (asOf: string) => patientMonitoringAt(facts, asOf, RULES)!.deviations.map(({ code, occurredOn }) => [code, occurredOn]);

    expect(codes('2024-02-10')).toEqual([['dose-off-by-more-than-10-percent', '2024-02-01']]);
    // the cold study is the baseline's (window 01-18..02-01), taken 19 days late: two deviations of one event
    expect(codes('2024-03-01')).toEqual([
      ['dose-off-by-more-than-10-percent', '2024-02-01'],
      ['limb-temperature-below-32C', '2024-02-20'],
      ['visit-out-of-window', '2024-02-20'],
    ]);
  });

  it('counts emergency code-breaks by their date', async () => {
    const fixture = aPatient().enrolled().randomized();
    fixture.events.push(committed('evt-break', CODE_BREAK_EVENT_TYPE, '2024-03-01T10:00:00Z', { arm: 'placebo' }));
    const facts = await factsOf(fixture.events);

    expect(patientMonitoringAt(facts, '2024-02-29', RULES)!.codeBreaks).toBe(0);
    expect(patientMonitoringAt(facts, '2024-03-01', RULES)!.codeBreaks).toBe(1);
  });

  it('withdraws the visits whose window had not opened by the withdrawal', async () => {
    const fixture = aPatient().enrolled().randomized();
    fixture.record(decideInfusion, infusionCommand({ occurredAt: '2024-02-01' }));
    fixture.record(decideWithdrawal, withdrawalCommand({ occurredAt: '2024-02-05' }));
    const picture = patientMonitoringAt(await factsOf(fixture.events), '2024-06-01', RULES)!;

    // infusion 2 (window from 02-06) and everything after it are no longer expected; infusion 1 is
    // scheduled at its planned day (randomization + 7 = 01-27), before the baseline's target (02-01)
    expect(picture.visits.map((visit) => visit.visitId)).toEqual(['screening', 'cycle-1-infusion-1', 'baseline']);
    expect(picture.nextVisit).toBeNull();
  });
});
