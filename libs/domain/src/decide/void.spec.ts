import { aPatient, acceptedEvent, anEnrolledPatient, context, expectViolation, labResultCommand, violationsOf } from '../testing';
import { VoidCommand } from './commands';
import { decideLabResult } from './lab-result';
import { decideVoid } from './void';

const voiding = (voidedEventId: string, overrides: Partial<VoidCommand> = {}): VoidCommand => ({
  occurredAt: '2024-02-03',
  voidedEventId,
  voidedType: 'LabResulted',
  reason: 'entered for the wrong patient',
  ...overrides,
});

const withLab = () => {
  const patient = anEnrolledPatient();
  return { patient, labId: patient.record(decideLabResult, labResultCommand()) };
};

describe('decideVoid', () => {
  it('voids an entry, pointing at it with the reason', () => {
    const { patient, labId } = withLab();
    expect(acceptedEvent(decideVoid(patient.state, voiding(labId), context()))).toEqual({
      type: 'EntryVoided',
      schemaVersion: 1,
      occurredAt: '2024-02-03',
      data: { voidedEventId: labId, voidedType: 'LabResulted', reason: 'entered for the wrong patient' },
      amends: { eventId: labId, reason: 'entered for the wrong patient' },
    });
  });

  it('voids an entry of whatever type the record holds when the command names none', () => {
    const { patient, labId } = withLab();
    const { voidedType: _named, ...unnamed } = voiding(labId);
    expect(acceptedEvent(decideVoid(patient.state, unnamed, context())).data).toMatchObject({ voidedType: 'LabResulted' });
    const unknown = decideVoid(patient.state, { ...unnamed, voidedEventId: 'evt-404' }, context());
    expect(violationsOf(unknown).map(({ field, rule }) => ({ field, rule }))).toEqual([{ field: 'voidedEventId', rule: 'unknown-event' }]);
  });

  it('wants a reason', () => {
    const { patient, labId } = withLab();
    expectViolation(decideVoid(patient.state, voiding(labId, { reason: '' }), context()), 'reason', 'required');
  });

  it('refuses to void twice', () => {
    const { patient, labId } = withLab();
    patient.record(decideVoid, voiding(labId));
    expectViolation(decideVoid(patient.state, voiding(labId), context()), 'voidedEventId', 'already-voided');
  });

  it('refuses unknown events, wrong types and events that cannot be voided', () => {
    const { patient, labId } = withLab();
    expectViolation(decideVoid(patient.state, voiding('evt-99'), context()), 'voidedEventId', 'unknown-event');
    expectViolation(decideVoid(patient.state, voiding(labId, { voidedType: 'InfusionGiven' }), context()), 'voidedType', 'type-mismatch');
    expectViolation(
      decideVoid(patient.state, voiding(labId, { voidedType: 'PatientEnrolled' as never }), context()),
      'voidedType',
      'not-one-of',
    );
    expectViolation(decideVoid(patient.state, voiding(patient.events[0].eventId), context()), 'voidedEventId', 'not-amendable');
  });

  it('may be decided after withdrawal, but not in the future', () => {
    const { patient, labId } = withLab();
    patient.withdrawn({ occurredAt: '2024-03-01' });
    acceptedEvent(decideVoid(patient.state, voiding(labId, { occurredAt: '2024-04-01' }), context()));
    expectViolation(decideVoid(patient.state, voiding(labId, { occurredAt: '2024-07-01' }), context()), 'occurredAt', 'in-the-future');
  });

  it('refuses voids for a patient not enrolled', () => {
    expectViolation(decideVoid(aPatient().state, voiding('evt-1'), context()), 'patientId', 'patient-not-enrolled');
  });
});
