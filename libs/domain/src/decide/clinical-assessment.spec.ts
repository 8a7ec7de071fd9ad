import { aPatient, acceptedEvent, anEnrolledPatient, clinicalAssessmentCommand, context, expectViolation } from '../testing';
import { decideClinicalAssessment } from './clinical-assessment';

const state = () => anEnrolledPatient().state;
const decide = (overrides: Parameters<typeof clinicalAssessmentCommand>[0]) =>
  decideClinicalAssessment(state(), clinicalAssessmentCommand(overrides), context());

describe('decideClinicalAssessment', () => {
  it('stores the assessment with its assessor', () => {
    const event = acceptedEvent(decide({ mrcSumScore: 56, tenMetreWalkSeconds: 8.4, globalStatus: 'improved' }));
    expect(event).toEqual({
      type: 'ClinicalAssessed',
      schemaVersion: 1,
      occurredAt: '2024-02-01',
      data: {
        assessorId: 'assessor-3',
        incatArms: 1,
        incatLegs: 2,
        sensorySumScore: 9,
        mrcSumScore: 56,
        tenMetreWalkSeconds: 8.4,
        globalStatus: 'improved',
      },
    });
  });

  it('accepts a single measure', () => {
    const only = { incatArms: undefined, incatLegs: undefined, sensorySumScore: undefined };
    expect(acceptedEvent(decide({ ...only, globalStatus: 'stable' })).data).toEqual({ assessorId: 'assessor-3', globalStatus: 'stable' });
    expect(acceptedEvent(decide({ ...only, tenMetreWalkSeconds: 12 })).data).toEqual({ assessorId: 'assessor-3', tenMetreWalkSeconds: 12 });
  });

  it('wants at least one measure', () => {
    expectViolation(decide({ incatArms: undefined, incatLegs: undefined, sensorySumScore: undefined }), '', 'no-measure');
  });

  it('wants INCAT arms and legs together', () => {
    expectViolation(decide({ incatLegs: undefined }), 'incatLegs', 'incat-arms-and-legs-together');
    expectViolation(decide({ incatArms: undefined }), 'incatArms', 'incat-arms-and-legs-together');
  });

  it.each([
    ['incatArms', 0, 5, 6],
    ['incatLegs', 0, 5, 6],
    ['sensorySumScore', 0, 20, 21],
    ['mrcSumScore', 0, 60, 61],
  ])('takes %s from %p to %p and refuses %p', (field, min, max, beyond) => {
    acceptedEvent(decide({ [field]: min }));
    acceptedEvent(decide({ [field]: max }));
    expectViolation(decide({ [field]: beyond }), field, 'out-of-range');
    expectViolation(decide({ [field]: -1 }), field, 'out-of-range');
    expectViolation(decide({ [field]: 2.5 }), field, 'must-be-integer');
  });

  it('wants a positive walk time', () => {
    acceptedEvent(decide({ tenMetreWalkSeconds: 0.5 }));
    expectViolation(decide({ tenMetreWalkSeconds: 0 }), 'tenMetreWalkSeconds', 'out-of-range');
  });

  it('refuses an unknown global status', () => {
    expectViolation(decide({ globalStatus: 'better' as never }), 'globalStatus', 'not-one-of');
  });

  it('wants the assessor named', () => {
    expectViolation(decide({ assessorId: '' }), 'assessorId', 'required');
  });

  it('refuses an assessment for a patient not enrolled or dated before consent', () => {
    expectViolation(
      decideClinicalAssessment(aPatient().state, clinicalAssessmentCommand(), context()),
      'patientId',
      'patient-not-enrolled',
    );
    expectViolation(decide({ occurredAt: '2024-01-01' }), 'occurredAt', 'before-enrolment');
  });
});
