import { aPatient, acceptedEvent, anEnrolment, context, enrolmentCommand, expectViolation, violationsOf } from '../testing';
import { decideEnrolment } from './enrolment';

describe('decideEnrolment', () => {
  it('enrols an eligible patient under the pseudonymous subject number', () => {
    const event = acceptedEvent(decideEnrolment(aPatient().state, enrolmentCommand(), context()));
    expect(event).toEqual({
      type: 'PatientEnrolled',
      schemaVersion: 1,
      occurredAt: '2024-01-15',
      data: anEnrolment(),
    });
  });

  it('records a screen failure, naming the criteria not met, without height and weight', () => {
    const command = enrolmentCommand({
      eligibility: {
        met: false,
        criteria: [
          { code: 'ANTI_MAG_ABOVE_1000_BTU', met: false },
          { code: 'SENSORY_SUM_AT_LEAST_4', met: true },
        ],
      },
      heightCm: undefined,
      weightKg: undefined,
    });
    const event = acceptedEvent(decideEnrolment(aPatient().state, command, context()));
    expect(event.type).toBe('PatientScreenFailed');
    expect(event.data).toEqual({
      patientId: 'ZH01-007',
      siteId: 'ZH01',
      screeningNumber: '007',
      consentDate: '2024-01-10',
      failedCriteria: ['ANTI_MAG_ABOVE_1000_BTU'],
      sex: 'female',
      birthYear: 1956,
    });
  });

  it('refuses to enrol a patient twice', () => {
    const patient = aPatient().enrolled();
    expectViolation(decideEnrolment(patient.state, enrolmentCommand(), context()), 'patientId', 'already-enrolled');
  });

  it('refuses to enrol a patient who failed screening', () => {
    const patient = aPatient();
    patient.record(decideEnrolment, enrolmentCommand({ eligibility: { met: false, criteria: [{ code: 'AGE', met: false }] } }));
    expectViolation(decideEnrolment(patient.state, enrolmentCommand(), context()), 'patientId', 'screen-failed');
  });

  it('refuses an enrolment dated before consent, and accepts one on the consent day', () => {
    const state = aPatient().state;
    expectViolation(decideEnrolment(state, enrolmentCommand({ occurredAt: '2024-01-09' }), context()), 'occurredAt', 'before-consent');
    acceptedEvent(decideEnrolment(state, enrolmentCommand({ occurredAt: '2024-01-10T08:00:00+01:00' }), context()));
  });

  it('refuses consent and enrolment in the future', () => {
    const decision = decideEnrolment(
      aPatient().state,
      enrolmentCommand({ consentDate: '2024-07-01', occurredAt: '2024-06-01T12:30:00Z' }),
      context(),
    );
    expectViolation(decision, 'consentDate', 'in-the-future');
    expectViolation(decision, 'occurredAt', 'in-the-future');
  });

  it('refuses malformed dates', () => {
    const decision = decideEnrolment(
      aPatient().state,
      enrolmentCommand({ consentDate: '2024-01-10T00:00:00Z', occurredAt: '15/01/2024' }),
      context(),
    );
    expectViolation(decision, 'consentDate', 'invalid-date');
    expectViolation(decision, 'occurredAt', 'invalid-clinical-time');
  });

  it('refuses an eligible verdict contradicted by a criterion', () => {
    const command = enrolmentCommand({ eligibility: { met: true, criteria: [{ code: 'AGE', met: false }] } });
    expectViolation(decideEnrolment(aPatient().state, command, context()), 'eligibility.met', 'eligibility-inconsistent');
  });

  it('refuses a screen failure with every criterion met', () => {
    const command = enrolmentCommand({ eligibility: { met: false, criteria: [{ code: 'AGE', met: true }] } });
    expectViolation(decideEnrolment(aPatient().state, command, context()), 'eligibility.met', 'eligibility-inconsistent');
  });

  it('wants the eligibility criteria listed, each once', () => {
    const state = aPatient().state;
    expectViolation(
      decideEnrolment(state, enrolmentCommand({ eligibility: { met: true, criteria: [] } }), context()),
      'eligibility.criteria',
      'required',
    );
    const twice = enrolmentCommand({
      eligibility: {
        met: true,
        criteria: [
          { code: 'AGE', met: true },
          { code: 'AGE', met: true },
        ],
      },
    });
    expectViolation(decideEnrolment(state, twice, context()), 'eligibility.criteria[1].code', 'duplicate-criterion');
    const malformed = { ...enrolmentCommand(), eligibility: { met: 'yes', criteria: [{ code: '', met: 1 }] } };
    const violations = violationsOf(decideEnrolment(state, malformed as never, context()));
    expect(violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'eligibility.met', rule: 'must-be-boolean' }),
        expect.objectContaining({ field: 'eligibility.criteria[0].code', rule: 'required' }),
        expect.objectContaining({ field: 'eligibility.criteria[0].met', rule: 'must-be-boolean' }),
      ]),
    );
    expectViolation(
      decideEnrolment(state, { ...enrolmentCommand(), eligibility: undefined } as never, context()),
      'eligibility',
      'required',
    );
  });

  it('needs height and weight in plausible ranges for an eligible patient', () => {
    const state = aPatient().state;
    expectViolation(decideEnrolment(state, enrolmentCommand({ heightCm: undefined }), context()), 'heightCm', 'required');
    expectViolation(decideEnrolment(state, enrolmentCommand({ heightCm: 17.5 }), context()), 'heightCm', 'out-of-range');
    expectViolation(decideEnrolment(state, enrolmentCommand({ weightKg: 800 }), context()), 'weightKg', 'out-of-range');
  });

  it('checks sex and birth year', () => {
    const state = aPatient().state;
    expectViolation(decideEnrolment(state, enrolmentCommand({ sex: 'F' as never }), context()), 'sex', 'not-one-of');
    expectViolation(decideEnrolment(state, enrolmentCommand({ birthYear: 1956.5 }), context()), 'birthYear', 'must-be-integer');
    expectViolation(decideEnrolment(state, enrolmentCommand({ birthYear: 2025 }), context()), 'birthYear', 'out-of-range');
    expectViolation(decideEnrolment(state, enrolmentCommand({ birthYear: 1899 }), context()), 'birthYear', 'out-of-range');
  });

  it('keeps site and screening number plain, since they make the stream id', () => {
    const decision = decideEnrolment(aPatient().state, enrolmentCommand({ siteId: 'ZH 01', screeningNumber: '' }), context());
    expectViolation(decision, 'siteId', 'invalid-identifier');
    expectViolation(decision, 'screeningNumber', 'required');
  });

  it('rejects a command that is not an object with every required field named', () => {
    const fields = violationsOf(decideEnrolment(aPatient().state, null as never, context())).map((v) => v.field);
    expect(fields).toEqual(
      expect.arrayContaining(['siteId', 'screeningNumber', 'consentDate', 'occurredAt', 'sex', 'birthYear', 'eligibility']),
    );
  });
});
