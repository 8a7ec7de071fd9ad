import { patientDecider } from '../deciders';
import { given, infusionCommand, labResultCommand, aMonitoredPatient, at } from '../testing';
import { decideCorrection } from '../decide/correction';
import { decideInfusion } from '../decide/infusion';
import { decideLabResult } from '../decide/lab-result';
import { patientStateFrom } from '../patient-state';
import { UnknownSchemaVersionError } from '../upcasting';
import { decideAnswerQuery, decideCancelQuery, decideCloseQuery, decideRaiseQuery, decideReopenQuery } from './decide-query';
import { decideSourceDataVerification } from './decide-verification';
import { evolveMonitoring, foldMonitoring, initialMonitoredPatientState, isVerified, monitoredPatientStateFrom } from './monitoring-state';

const correctInfusion = (patient: ReturnType<typeof aMonitoredPatient>, infusionId: string, administeredDoseMg: number) =>
  patient.clinical.record(decideCorrection, {
    occurredAt: '2024-02-01',
    correctedEventId: infusionId,
    correctedType: 'InfusionGiven',
    reason: 'pharmacy log',
    data: { doseLevelMgPerM2: 375, administeredDoseMg },
  });

const withInfusion = () => {
  const patient = aMonitoredPatient();
  const infusionId = patient.clinical.record(decideInfusion, infusionCommand());
  return { patient, infusionId };
};

describe('evolveMonitoring: queries', () => {
  it('starts with no queries and no verification', () => {
    expect(initialMonitoredPatientState).toMatchObject({ queries: {}, verifications: {}, patient: { status: 'not_enrolled' } });
  });

  it('follows a query through answer, re-opening, second answer and closing', () => {
    const { patient, infusionId } = withInfusion();
    const question = { queryId: 'q-1', targetEventId: infusionId, field: 'administeredDoseMg', text: 'Log says 700 mg?' };
    const raised = patient.act(decideRaiseQuery, question, at('2024-06-03T08:00:00Z'));
    const firstAnswer = patient.act(decideAnswerQuery, { queryId: 'q-1', text: 'No, 740 mg.' }, at('2024-06-04T09:00:00Z'));
    expect(patient.state.queries['q-1']).toMatchObject({
      status: 'answered',
      answer: { text: 'No, 740 mg.', at: '2024-06-04T09:00:00.000Z' },
    });

    const reopened = patient.act(decideReopenQuery, { queryId: 'q-1', text: 'The pharmacy log shows 700 mg.' }, at('2024-06-05T10:00:00Z'));
    expect(patient.state.queries['q-1']).toMatchObject({ status: 'open', reopenedCount: 1, text: 'The pharmacy log shows 700 mg.' });

    const correction = correctInfusion(patient, infusionId, 700);
    const corrected = { queryId: 'q-1', text: 'Corrected.', correctionEventId: correction };
    const secondAnswer = patient.act(decideAnswerQuery, corrected, at('2024-06-06T11:00:00Z'));
    const closed = patient.act(decideCloseQuery, { queryId: 'q-1' }, at('2024-06-07T12:00:00Z'));

    expect(patient.state.queries['q-1']).toEqual({
      queryId: 'q-1',
      targetEventId: infusionId,
      field: 'administeredDoseMg',
      status: 'closed',
      text: 'The pharmacy log shows 700 mg.',
      raisedAt: '2024-06-03T08:00:00.000Z',
      reopenedCount: 1,
      answer: { text: 'Corrected.', at: '2024-06-06T11:00:00.000Z', correctionEventId: correction },
      history: [
        { action: 'raise', eventId: raised, at: '2024-06-03T08:00:00.000Z', status: 'open', text: 'Log says 700 mg?' },
        { action: 'answer', eventId: firstAnswer, at: '2024-06-04T09:00:00.000Z', status: 'answered', text: 'No, 740 mg.' },
        { action: 'reopen', eventId: reopened, at: '2024-06-05T10:00:00.000Z', status: 'open', text: 'The pharmacy log shows 700 mg.' },
        {
          action: 'answer',
          eventId: secondAnswer,
          at: '2024-06-06T11:00:00.000Z',
          status: 'answered',
          text: 'Corrected.',
          correctionEventId: correction,
        },
        { action: 'close', eventId: closed, at: '2024-06-07T12:00:00.000Z', status: 'closed' },
      ],
    });
  });

  it('keeps the corrected value in the patient record and the original in the log', () => {
    const { patient, infusionId } = withInfusion();
    correctInfusion(patient, infusionId, 700);
    expect(patient.state.patient.entries[infusionId].data).toMatchObject({ administeredDoseMg: 700 });
    expect(patient.fixture.events.find((event) => event.eventId === infusionId)!.data).toMatchObject({ administeredDoseMg: 740 });
  });

  it('records a cancellation with its reason', () => {
    const { patient, infusionId } = withInfusion();
    patient.act(decideRaiseQuery, { queryId: 'q-1', targetEventId: infusionId, field: 'cycle', text: 'x' });
    patient.act(decideCancelQuery, { queryId: 'q-1', reason: 'raised in error' });
    expect(patient.state.queries['q-1'].status).toBe('cancelled');
    expect(patient.state.queries['q-1'].history[1]).toMatchObject({ action: 'cancel', status: 'cancelled', text: 'raised in error' });
  });

  it('ignores a query event for a query it never saw (a stream not written by these decide functions)', () => {
    const next = evolveMonitoring(initialMonitoredPatientState, {
      eventId: 'x',
      type: 'QueryClosed',
      data: { queryId: 'q-404' },
      occurredAt: '2024-06-01T00:00:00Z',
      schemaVersion: 1,
    });
    expect(next.queries).toEqual({});
  });
});

describe('evolveMonitoring: source data verification', () => {
  it('marks a whole event verified', () => {
    const { patient, infusionId } = withInfusion();
    const verification = patient.act(decideSourceDataVerification, { targetEventId: infusionId }, at('2024-06-03T08:00:00Z'));
    expect(patient.state.verifications[infusionId]).toEqual({
      targetEventId: infusionId,
      status: 'verified',
      fields: 'all',
      verifiedAt: '2024-06-03T08:00:00.000Z',
      verificationEventId: verification,
    });
    expect(isVerified(patient.state, infusionId)).toBe(true);
  });

  it('accumulates verified fields, until the whole event is verified', () => {
    const { patient, infusionId } = withInfusion();
    patient.act(decideSourceDataVerification, { targetEventId: infusionId, fields: ['administeredDoseMg'] });
    patient.act(decideSourceDataVerification, { targetEventId: infusionId, fields: ['occurredAt', 'administeredDoseMg'] });
    expect(patient.state.verifications[infusionId].fields).toEqual(['administeredDoseMg', 'occurredAt']);
    patient.act(decideSourceDataVerification, { targetEventId: infusionId });
    expect(patient.state.verifications[infusionId].fields).toBe('all');
  });

  it('makes a verified event unverified when it is corrected, without an event of its own', () => {
    const { patient, infusionId } = withInfusion();
    patient.act(decideSourceDataVerification, { targetEventId: infusionId, fields: ['administeredDoseMg'] });
    const eventsBefore = patient.fixture.events.length;
    const correction = correctInfusion(patient, infusionId, 700);
    expect(patient.fixture.events.length).toBe(eventsBefore + 1);
    expect(patient.state.verifications[infusionId]).toMatchObject({ status: 'unverified', invalidatedBy: correction });
    expect(isVerified(patient.state, infusionId)).toBe(false);

    // verifying the corrected value starts afresh
    patient.act(decideSourceDataVerification, { targetEventId: infusionId, fields: ['occurredAt'] });
    expect(patient.state.verifications[infusionId]).toMatchObject({ status: 'verified', fields: ['occurredAt'] });
    expect(patient.state.verifications[infusionId].invalidatedBy).toBeUndefined();
  });

  it('leaves other events verified when one is corrected', () => {
    const { patient, infusionId } = withInfusion();
    const lab = patient.clinical.record(decideLabResult, labResultCommand());
    patient.act(decideSourceDataVerification, { targetEventId: infusionId });
    patient.act(decideSourceDataVerification, { targetEventId: lab });
    correctInfusion(patient, infusionId, 700);
    expect(isVerified(patient.state, lab)).toBe(true);
    expect(isVerified(patient.state, 'constructor')).toBe(false);
  });
});

describe('monitoredPatientStateFrom', () => {
  it('holds the same patient state as the clinical fold, which keeps monitoring events as inert entries', () => {
    const { patient, infusionId } = withInfusion();
    const clinicalOnly = patientStateFrom(patient.fixture.events);
    patient.act(decideRaiseQuery, { queryId: 'q-1', targetEventId: infusionId, field: 'cycle', text: 'x' });
    patient.act(decideSourceDataVerification, { targetEventId: infusionId });

    const withMonitoring = patientStateFrom(patient.fixture.events);
    expect(withMonitoring.entries['evt-4'].type).toBe('QueryRaised');
    expect({ ...withMonitoring, entries: clinicalOnly.entries }).toEqual(clinicalOnly);
    expect(patient.state.patient).toEqual(withMonitoring);
  });

  it('folds a whole stream the same as event by event, without altering the states it folds into', () => {
    const { patient, infusionId } = withInfusion();
    patient.act(decideRaiseQuery, { queryId: 'q-1', targetEventId: infusionId, field: 'cycle', text: 'x' });
    patient.act(decideSourceDataVerification, { targetEventId: infusionId });
    correctInfusion(patient, infusionId, 760);
    patient.clinical.record(decideLabResult, labResultCommand());
    let state = initialMonitoredPatientState;
    const snapshots: string[] = [];
    for (const event of patient.fixture.events) {
      snapshots.push(JSON.stringify(state));
      const before = state;
      state = evolveMonitoring(state, event);
      expect(JSON.stringify(before)).toBe(snapshots[snapshots.length - 1]);
    }
    expect(monitoredPatientStateFrom(patient.fixture.events)).toEqual(state);
  });

  it('folds any run of events into any state at once as event by event, leaving the state folded into as it was', () => {
    const { patient, infusionId } = withInfusion();
    patient.act(decideRaiseQuery, { queryId: 'q-1', targetEventId: infusionId, field: 'cycle', text: 'x' });
    patient.act(decideSourceDataVerification, { targetEventId: infusionId });
    correctInfusion(patient, infusionId, 760);
    const events = patient.fixture.events;
    for (let split = 0; split <= events.length; split++) {
      const before = events.slice(0, split).reduce(evolveMonitoring, initialMonitoredPatientState);
      const snapshot = structuredClone(before);
      expect(foldMonitoring(before, events.slice(split))).toEqual(patient.state);
      expect(before).toEqual(snapshot);
    }
  });

  it('refuses a monitoring event from a future schema version', () => {
    expect(() =>
      given(patientDecider, { eventId: 'x', type: 'QueryRaised', schemaVersion: 2, data: {}, occurredAt: '2024-06-01T00:00:00Z' }).state(),
    ).toThrow(UnknownSchemaVersionError);
  });
});
