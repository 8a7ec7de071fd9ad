import { aPatient, acceptedEvent, anEnrolledPatient, context, expectViolation, labResultCommand } from '../testing/builders';
import { decideLabResult } from './lab-result';

const state = () => anEnrolledPatient().state;

describe('decideLabResult', () => {
  it('stores the value as reported, with its unit and qualifier', () => {
    const event = acceptedEvent(decideLabResult(state(), labResultCommand({ unit: 'mg/dL', value: 1250, specimenId: 'S-1' }), context()));
    expect(event).toEqual({
      type: 'LabResulted',
      schemaVersion: 1,
      occurredAt: '2024-02-01',
      data: { analyte: 'IGM', value: 1250, unit: 'mg/dL', qualifier: '=', specimenId: 'S-1' },
    });
  });

  it('leaves out a specimen id that was not given', () => {
    expect(acceptedEvent(decideLabResult(state(), labResultCommand(), context())).data).not.toHaveProperty('specimenId');
  });

  it.each([
    ['IGM', 'g/L'],
    ['IGM', 'mg/dL'],
    ['ANTI_MAG', 'BTU'],
    ['CD19', 'cells/µL'],
    ['CD19', 'cells/uL'],
    ['CD19', '/uL'],
    ['CD20', '10*6/L'],
    ['CD20', '10*9/L'],
    ['CD20', '%'],
  ] as const)('accepts %s in %s', (analyte, unit) => {
    acceptedEvent(decideLabResult(state(), labResultCommand({ analyte, unit, value: 5 }), context()));
  });

  it.each([
    ['IGM', 'BTU'],
    ['ANTI_MAG', 'g/L'],
    ['CD19', 'cells/mL'],
    ['CD20', 'mg/dL'],
  ] as const)('refuses %s in %s', (analyte, unit) => {
    expectViolation(decideLabResult(state(), labResultCommand({ analyte, unit, value: 5 }), context()), 'unit', 'unit-not-allowed');
  });

  it('accepts zero B cells (depleted) but not zero IgM or titer', () => {
    acceptedEvent(decideLabResult(state(), labResultCommand({ analyte: 'CD19', unit: 'cells/µL', value: 0 }), context()));
    acceptedEvent(decideLabResult(state(), labResultCommand({ analyte: 'CD20', unit: '%', value: 0 }), context()));
    expectViolation(decideLabResult(state(), labResultCommand({ value: 0 }), context()), 'value', 'out-of-range');
    expectViolation(
      decideLabResult(state(), labResultCommand({ analyte: 'ANTI_MAG', unit: 'BTU', value: 0 }), context()),
      'value',
      'out-of-range',
    );
  });

  it('refuses negative and implausible values', () => {
    expectViolation(
      decideLabResult(state(), labResultCommand({ analyte: 'CD19', unit: 'cells/µL', value: -1 }), context()),
      'value',
      'out-of-range',
    );
    expectViolation(
      decideLabResult(state(), labResultCommand({ analyte: 'CD19', unit: '%', value: 101 }), context()),
      'value',
      'out-of-range',
    );
    expectViolation(decideLabResult(state(), labResultCommand({ value: '12' as never }), context()), 'value', 'must-be-number');
  });

  it('keeps a censored result with its limit as value', () => {
    const below = acceptedEvent(
      decideLabResult(state(), labResultCommand({ analyte: 'CD19', unit: 'cells/µL', value: 1, qualifier: '<' }), context()),
    );
    expect(below.data).toMatchObject({ value: 1, qualifier: '<' });
    const above = acceptedEvent(
      decideLabResult(state(), labResultCommand({ analyte: 'ANTI_MAG', unit: 'BTU', value: 70_000, qualifier: '>' }), context()),
    );
    expect(above.data).toMatchObject({ value: 70_000, qualifier: '>' });
  });

  it('refuses a censored result whose limit is zero', () => {
    expectViolation(
      decideLabResult(state(), labResultCommand({ analyte: 'CD19', unit: 'cells/µL', value: 0, qualifier: '<' }), context()),
      'value',
      'out-of-range',
    );
  });

  it('refuses unknown analytes and qualifiers', () => {
    expectViolation(decideLabResult(state(), labResultCommand({ analyte: 'IGG' as never }), context()), 'analyte', 'not-one-of');
    expectViolation(decideLabResult(state(), labResultCommand({ qualifier: '<=' as never }), context()), 'qualifier', 'not-one-of');
  });

  it("follows the protocol's allowed units", () => {
    const protocol = context().protocol;
    const gramsOnly = { ...protocol, labs: { ...protocol.labs, IGM: { units: { 'g/L': protocol.labs.IGM.units['g/L'] } } } };
    expectViolation(
      decideLabResult(state(), labResultCommand({ unit: 'mg/dL', value: 100 }), context({ protocol: gramsOnly })),
      'unit',
      'unit-not-allowed',
    );
  });

  it('refuses results for a patient not enrolled, dated before consent, or in the future', () => {
    expectViolation(decideLabResult(aPatient().state, labResultCommand(), context()), 'patientId', 'patient-not-enrolled');
    expectViolation(decideLabResult(state(), labResultCommand({ occurredAt: '2024-01-09' }), context()), 'occurredAt', 'before-enrolment');
    acceptedEvent(decideLabResult(state(), labResultCommand({ occurredAt: '2024-01-10' }), context()));
    expectViolation(decideLabResult(state(), labResultCommand({ occurredAt: '2024-06-05' }), context()), 'occurredAt', 'in-the-future');
  });

  it('accepts results for a patient who is not yet randomized (baseline labs)', () => {
    acceptedEvent(decideLabResult(anEnrolledPatient().state, labResultCommand({ occurredAt: '2024-01-12' }), context()));
  });

  it('refuses a result dated after withdrawal and accepts one dated on the withdrawal day', () => {
    const withdrawn = anEnrolledPatient().withdrawn({ occurredAt: '2024-03-01T10:00:00+01:00' });
    acceptedEvent(decideLabResult(withdrawn.state, labResultCommand({ occurredAt: '2024-03-01' }), context()));
    acceptedEvent(decideLabResult(withdrawn.state, labResultCommand({ occurredAt: '2024-03-01T09:59:00+01:00' }), context()));
    expectViolation(
      decideLabResult(withdrawn.state, labResultCommand({ occurredAt: '2024-03-01T10:01:00+01:00' }), context()),
      'occurredAt',
      'after-withdrawal',
    );
    expectViolation(
      decideLabResult(withdrawn.state, labResultCommand({ occurredAt: '2024-03-02' }), context()),
      'occurredAt',
      'after-withdrawal',
    );
  });
});
