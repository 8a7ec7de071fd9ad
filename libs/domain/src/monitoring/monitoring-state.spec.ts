import { createHash } from 'node:crypto';
import { patientDecider } from '../deciders';
import { given, infusionCommand, labResultCommand, aMonitoredPatient, at, context } from '../testing';
import { decideCorrection } from '../decide/correction';
import { decideInfusion } from '../decide/infusion';
import { decideLabResult } from '../decide/lab-result';
import { patientStateFrom } from '../patient-state';
import { decideSignature } from '../signatures/decide-signature';
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

const signCasebook = (patient: ReturnType<typeof aMonitoredPatient>, signatureId: string) => {
  const { fixture } = patient;
  const signer = { userId: 'u-inv', username: 'dr.inv', printedName: 'Dr Inv', role: 'investigator' };
  const command = {
    signatureId,
    meaning: 'review' as const,
    scope: { kind: 'casebook' as const },
    signer,
    streamVersion: fixture.events.length,
  };
  const digest = (content: string) => createHash('sha256').update(content).digest('hex');
  const decision = decideSignature(fixture.state, command, { ...context(), digest });
  if (!decision.ok) throw new Error(JSON.stringify(decision.violations));
  fixture.commit(decision.events[0]);
};

const withInfusion = () => {
  const patient = aMonitoredPatient();
  const infusionId = patient.clinical.record(decideInfusion, infusionCommand());
  return { patient, infusionId };
};

/** Every object reachable from `value`, frozen: a fold that writes into what it was given throws. */
const deepFrozen = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const nested of Object.values(value)) deepFrozen(nested);
  }
  return value;
};

/**
 * A history that moves every part of the monitoring state: fields verified, merged, then the whole event; a
 * correction that unverifies (and invalidates a signature); queries raised, answered, re-opened, closed and cancelled.
 */
const aMonitoredHistory = () => {
  const { patient, infusionId } = withInfusion();
  const lab = patient.clinical.record(decideLabResult, labResultCommand());
  patient.act(decideSourceDataVerification, { targetEventId: infusionId, fields: ['administeredDoseMg'] });
  patient.act(decideRaiseQuery, { queryId: 'q-dose', targetEventId: infusionId, field: 'administeredDoseMg', text: '700 mg?' });
  patient.act(decideSourceDataVerification, { targetEventId: lab, fields: ['value'] });
  patient.act(decideSourceDataVerification, { targetEventId: infusionId, fields: ['occurredAt', 'administeredDoseMg'] });
  patient.act(decideRaiseQuery, { queryId: 'q-lab', targetEventId: lab, field: 'value', text: 'Unit?' });
  patient.act(decideAnswerQuery, { queryId: 'q-dose', text: 'No, 740 mg.' });
  patient.act(decideSourceDataVerification, { targetEventId: lab });
  patient.act(decideReopenQuery, { queryId: 'q-dose', text: 'The pharmacy log shows 700 mg.' });
  patient.act(decideRaiseQuery, { queryId: 'q-cycle', targetEventId: infusionId, field: 'cycle', text: 'Cycle 1?' });
  patient.act(decideSourceDataVerification, { targetEventId: infusionId });
  signCasebook(patient, 'sig-before');
  const correction = correctInfusion(patient, infusionId, 700);
  patient.act(decideAnswerQuery, { queryId: 'q-dose', text: 'Corrected.', correctionEventId: correction });
  patient.act(decideCancelQuery, { queryId: 'q-cycle', reason: 'raised in error' });
  patient.act(decideCloseQuery, { queryId: 'q-dose' });
  patient.act(decideAnswerQuery, { queryId: 'q-lab', text: 'mg/dl' });
  patient.act(decideReopenQuery, { queryId: 'q-dose', text: 'And the time?' });
  patient.act(decideCancelQuery, { queryId: 'q-lab', reason: 'no longer relevant' });
  patient.act(decideSourceDataVerification, { targetEventId: infusionId, fields: ['cycle'] });
  signCasebook(patient, 'sig-after');

  // 'cycle' alone, not merged into 'all': the correction unverified the event
  const { verifications, queries, signatures } = patient.state;
  expect(verifications[lab]).toMatchObject({ status: 'verified', fields: 'all' });
  expect(verifications[infusionId]).toMatchObject({ status: 'verified', fields: ['cycle'] });
  expect(queries['q-dose']).toMatchObject({ status: 'open', reopenedCount: 2 });
  expect(queries['q-dose'].history.map((step) => step.action)).toEqual(['raise', 'answer', 'reopen', 'answer', 'close', 'reopen']);
  expect([queries['q-lab'].status, queries['q-cycle'].status]).toEqual(['cancelled', 'cancelled']);
  expect(signatures['sig-before']).toMatchObject({ status: 'invalidated', invalidatedBy: { eventId: correction } });
  expect(signatures['sig-after'].status).toBe('valid');
  return { patient, events: patient.fixture.events };
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
    const { patient, events } = aMonitoredHistory();
    const oneByOne = events.reduce(evolveMonitoring, initialMonitoredPatientState);
    expect(patient.state).toEqual(oneByOne);
    for (let split = 0; split <= events.length; split++) {
      const before = events.slice(0, split).reduce(evolveMonitoring, initialMonitoredPatientState);
      const snapshot = structuredClone(before);
      // frozen, a write into the state folded into (its records, a query's history) throws instead of passing unseen
      expect(foldMonitoring(deepFrozen(before), events.slice(split))).toEqual(oneByOne);
      expect(before).toEqual(snapshot);
    }
  });

  it('keeps ids from outside as own keys, even one named like a prototype property', () => {
    const event = (eventId: string, type: string, data: unknown) => ({
      eventId,
      type,
      data,
      occurredAt: '2024-06-01T00:00:00Z',
      schemaVersion: 1,
    });
    const signer = { userId: 'u-inv', username: 'dr.inv', printedName: 'Dr Inv', role: 'investigator' };
    const signed = { signatureId: '__proto__', meaning: 'review', scope: { kind: 'casebook' }, signer, signedAt: '2024-06-01T00:00:00Z' };
    const state = foldMonitoring(initialMonitoredPatientState, [
      event('sdv', 'SourceDataVerified', { targetEventId: '__proto__' }),
      event('raise', 'QueryRaised', { queryId: '__proto__', targetEventId: 'constructor', field: 'cycle', text: 'x' }),
      event('cancel', 'QueryCancelled', { queryId: '__proto__', reason: 'raised in error' }),
      event('sign', 'RecordSigned', { ...signed, signedStreamVersion: 3, coverage: { eventIds: [] }, contentHash: 'x' }),
    ]);
    for (const records of [state.verifications, state.queries, state.signatures]) {
      expect(Object.keys(records)).toEqual(['__proto__']);
      expect(Object.getPrototypeOf(records)).toBe(Object.prototype);
    }
    expect(isVerified(state, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(state.queries, '__proto__')?.value).toMatchObject({ status: 'cancelled' });
    expect(Object.getOwnPropertyDescriptor(state.signatures, '__proto__')?.value).toMatchObject({ status: 'valid' });
  });

  it('refuses a monitoring event from a future schema version', () => {
    expect(() =>
      given(patientDecider, { eventId: 'x', type: 'QueryRaised', schemaVersion: 2, data: {}, occurredAt: '2024-06-01T00:00:00Z' }).state(),
    ).toThrow(UnknownSchemaVersionError);
  });
});
