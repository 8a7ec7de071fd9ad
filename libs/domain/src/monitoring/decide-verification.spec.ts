import { decideCorrection } from '../decide/correction';
import { decideInfusion } from '../decide/infusion';
import { decideLabResult } from '../decide/lab-result';
import { decideVoid } from '../decide/void';
import { acceptedEvent, expectViolation, infusionCommand, labResultCommand, violationsOf, aMonitoredPatient, at } from '../testing';
import { decideRaiseQuery } from './decide-query';
import { decideSourceDataVerification } from './decide-verification';

const MONITOR_TIME = at('2024-06-03T08:30:00Z');

const withInfusion = () => {
  const patient = aMonitoredPatient();
  const infusionId = patient.clinical.record(decideInfusion, infusionCommand());
  return { patient, infusionId };
};

describe('decideSourceDataVerification', () => {
  it('verifies a whole event, timed by the server clock', () => {
    const { patient, infusionId } = withInfusion();
    expect(acceptedEvent(decideSourceDataVerification(patient.state, { targetEventId: infusionId }, MONITOR_TIME))).toEqual({
      type: 'SourceDataVerified',
      schemaVersion: 1,
      occurredAt: '2024-06-03T08:30:00.000Z',
      data: { targetEventId: infusionId },
    });
  });

  it('verifies named fields of an event', () => {
    const { patient, infusionId } = withInfusion();
    const command = { targetEventId: infusionId, fields: ['administeredDoseMg', 'occurredAt'] };
    expect(acceptedEvent(decideSourceDataVerification(patient.state, command, MONITOR_TIME)).data).toEqual(command);
  });

  it('verifies lifecycle facts such as the consent', () => {
    const { patient } = withInfusion();
    acceptedEvent(decideSourceDataVerification(patient.state, { targetEventId: 'evt-1', fields: ['consentDate'] }, MONITOR_TIME));
  });

  it('rejects fields the event does not have, listed twice, or an empty list', () => {
    const { patient, infusionId } = withInfusion();
    const decision = decideSourceDataVerification(
      patient.state,
      { targetEventId: infusionId, fields: ['administeredDoseMg', 'analyte', 'administeredDoseMg', 3 as never] },
      MONITOR_TIME,
    );
    expect(violationsOf(decision).map(({ field, rule }) => [field, rule])).toEqual([
      ['fields[1]', 'unknown-field'],
      ['fields[2]', 'duplicate-field'],
      ['fields[3]', 'must-be-text'],
    ]);
    expectViolation(
      decideSourceDataVerification(patient.state, { targetEventId: infusionId, fields: [] }, MONITOR_TIME),
      'fields',
      'required',
    );
  });

  it('rejects unknown, voided, unmonitored and masked events', () => {
    const { patient, infusionId } = withInfusion();
    const lab = patient.clinical.record(decideLabResult, labResultCommand());
    const cd20 = patient.clinical.record(decideLabResult, labResultCommand({ analyte: 'CD20', value: 2, unit: '%' }));
    const voidEvent = patient.clinical.record(decideVoid, {
      occurredAt: '2024-02-03',
      voidedEventId: lab,
      voidedType: 'LabResulted',
      reason: 'x',
    });
    const state = patient.state;
    const verify = (targetEventId: string) => decideSourceDataVerification(state, { targetEventId }, MONITOR_TIME);
    expectViolation(verify('evt-404'), 'targetEventId', 'unknown-event');
    expectViolation(verify(lab), 'targetEventId', 'already-voided');
    expectViolation(verify(voidEvent), 'targetEventId', 'not-verifiable');
    expectViolation(verify(cd20), 'targetEventId', 'masked-analyte');
    acceptedEvent(verify(infusionId));
  });

  it('refuses to verify again what is still verified', () => {
    const { patient, infusionId } = withInfusion();
    patient.act(decideSourceDataVerification, { targetEventId: infusionId, fields: ['administeredDoseMg'] }, MONITOR_TIME);
    expectViolation(
      decideSourceDataVerification(patient.state, { targetEventId: infusionId, fields: ['administeredDoseMg'] }, MONITOR_TIME),
      'targetEventId',
      'already-verified',
    );
    // more fields, or the whole event, are new verifications
    const more = { targetEventId: infusionId, fields: ['administeredDoseMg', 'occurredAt'] };
    acceptedEvent(decideSourceDataVerification(patient.state, more, MONITOR_TIME));
    patient.act(decideSourceDataVerification, { targetEventId: infusionId }, MONITOR_TIME);
    expectViolation(
      decideSourceDataVerification(patient.state, { targetEventId: infusionId, fields: ['occurredAt'] }, MONITOR_TIME),
      'targetEventId',
      'already-verified',
    );
  });

  it('verifies a corrected event again: the correction undid the verification', () => {
    const { patient, infusionId } = withInfusion();
    patient.act(decideSourceDataVerification, { targetEventId: infusionId }, MONITOR_TIME);
    patient.clinical.record(decideCorrection, {
      occurredAt: '2024-02-01',
      correctedEventId: infusionId,
      correctedType: 'InfusionGiven',
      reason: 'pharmacy log',
      data: { doseLevelMgPerM2: 375, administeredDoseMg: 700 },
    });
    acceptedEvent(decideSourceDataVerification(patient.state, { targetEventId: infusionId }, MONITOR_TIME));
  });

  it('does not mix up queries and verifications of the same event', () => {
    const { patient, infusionId } = withInfusion();
    patient.act(decideRaiseQuery, { queryId: 'q-1', targetEventId: infusionId, field: 'administeredDoseMg', text: 'x' }, MONITOR_TIME);
    acceptedEvent(decideSourceDataVerification(patient.state, { targetEventId: infusionId }, MONITOR_TIME));
  });
});
