import { aPatient, acceptedEvent, anEnrolledPatient, context, enrolmentCommand, expectViolation, randomizationCommand } from '../testing';
import { decideEnrolment } from './enrolment';
import { decideRandomization } from './randomization';

describe('decideRandomization', () => {
  it('records the kit number and stratum', () => {
    const event = acceptedEvent(decideRandomization(anEnrolledPatient().state, randomizationCommand(), context()));
    expect(event).toEqual({
      type: 'PatientRandomized',
      schemaVersion: 1,
      occurredAt: '2024-01-20',
      data: { kitNumber: 'K-0042', stratum: 'site ZH01' },
    });
  });

  it('never lets an arm into the event, whatever the command carries', () => {
    const command = { ...randomizationCommand(), arm: 'rituximab', allocation: 'A' };
    const event = acceptedEvent(decideRandomization(anEnrolledPatient().state, command, context()));
    expect(JSON.stringify(event)).not.toMatch(/arm|allocation|rituximab/i);
  });

  it('refuses to randomize a patient who is not enrolled', () => {
    expectViolation(decideRandomization(aPatient().state, randomizationCommand(), context()), 'patientId', 'patient-not-enrolled');
  });

  it('refuses to randomize a patient who failed screening', () => {
    const patient = aPatient();
    patient.record(decideEnrolment, enrolmentCommand({ eligibility: { met: false, criteria: [{ code: 'AGE', met: false }] } }));
    expectViolation(decideRandomization(patient.state, randomizationCommand(), context()), 'patientId', 'screen-failed');
  });

  it('refuses to randomize twice, even after withdrawal', () => {
    const patient = anEnrolledPatient().randomized();
    expectViolation(decideRandomization(patient.state, randomizationCommand(), context()), 'patientId', 'already-randomized');
    patient.withdrawn();
    expectViolation(decideRandomization(patient.state, randomizationCommand(), context()), 'patientId', 'already-randomized');
  });

  it('refuses to randomize a withdrawn patient', () => {
    const patient = anEnrolledPatient().withdrawn({ occurredAt: '2024-01-18' });
    expectViolation(
      decideRandomization(patient.state, randomizationCommand({ occurredAt: '2024-01-17' }), context()),
      'patientId',
      'patient-withdrawn',
    );
  });

  it('refuses a randomization before consent or in the future', () => {
    const state = anEnrolledPatient().state;
    expectViolation(
      decideRandomization(state, randomizationCommand({ occurredAt: '2024-01-09' }), context()),
      'occurredAt',
      'before-enrolment',
    );
    expectViolation(
      decideRandomization(state, randomizationCommand({ occurredAt: '2024-06-03' }), context()),
      'occurredAt',
      'in-the-future',
    );
  });

  it('wants a plain kit number and a stratum', () => {
    const state = anEnrolledPatient().state;
    expectViolation(decideRandomization(state, randomizationCommand({ kitNumber: 'K 42' }), context()), 'kitNumber', 'invalid-identifier');
    expectViolation(decideRandomization(state, randomizationCommand({ stratum: ' ' }), context()), 'stratum', 'required');
  });
});
