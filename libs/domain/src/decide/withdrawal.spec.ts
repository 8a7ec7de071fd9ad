import {
  aPatient,
  acceptedEvent,
  aRandomizedPatient,
  anEnrolledPatient,
  context,
  enrolmentCommand,
  expectViolation,
  infusionCommand,
  withdrawalCommand,
} from '../testing';
import { decideEnrolment } from './enrolment';
import { decideInfusion } from './infusion';
import { decideVoid } from './void';
import { decideWithdrawal } from './withdrawal';

describe('decideWithdrawal', () => {
  it('records the withdrawal and its reason', () => {
    const event = acceptedEvent(decideWithdrawal(aRandomizedPatient().state, withdrawalCommand(), context()));
    expect(event).toEqual({ type: 'PatientWithdrawn', schemaVersion: 1, occurredAt: '2024-05-01', data: { reason: 'moved abroad' } });
  });

  it('lets an enrolled patient withdraw before randomization', () => {
    acceptedEvent(decideWithdrawal(anEnrolledPatient().state, withdrawalCommand({ occurredAt: '2024-01-16' }), context()));
  });

  it('wants a reason', () => {
    expectViolation(decideWithdrawal(aRandomizedPatient().state, withdrawalCommand({ reason: '' }), context()), 'reason', 'required');
  });

  it('refuses to withdraw a patient who is not enrolled or failed screening', () => {
    expectViolation(decideWithdrawal(aPatient().state, withdrawalCommand(), context()), 'patientId', 'patient-not-enrolled');
    const failed = aPatient();
    failed.record(decideEnrolment, enrolmentCommand({ eligibility: { met: false, criteria: [{ code: 'AGE', met: false }] } }));
    expectViolation(decideWithdrawal(failed.state, withdrawalCommand(), context()), 'patientId', 'screen-failed');
  });

  it('refuses to withdraw twice', () => {
    const patient = aRandomizedPatient().withdrawn();
    expectViolation(decideWithdrawal(patient.state, withdrawalCommand(), context()), 'patientId', 'already-withdrawn');
  });

  it('refuses a withdrawal dated before consent or in the future', () => {
    const state = aRandomizedPatient().state;
    expectViolation(decideWithdrawal(state, withdrawalCommand({ occurredAt: '2023-12-31' }), context()), 'occurredAt', 'before-enrolment');
    expectViolation(decideWithdrawal(state, withdrawalCommand({ occurredAt: '2024-07-01' }), context()), 'occurredAt', 'in-the-future');
  });

  it('refuses a withdrawal dated before data already recorded, until that data is voided', () => {
    const patient = aRandomizedPatient();
    const infusion = patient.record(decideInfusion, infusionCommand({ occurredAt: '2024-02-01' }));
    expectViolation(
      decideWithdrawal(patient.state, withdrawalCommand({ occurredAt: '2024-01-25' }), context()),
      'occurredAt',
      'before-recorded-data',
    );
    acceptedEvent(decideWithdrawal(patient.state, withdrawalCommand({ occurredAt: '2024-02-01' }), context()));

    patient.record(decideVoid, { occurredAt: '2024-05-01', voidedEventId: infusion, voidedType: 'InfusionGiven', reason: 'wrong patient' });
    acceptedEvent(decideWithdrawal(patient.state, withdrawalCommand({ occurredAt: '2024-01-25' }), context()));
  });
});
