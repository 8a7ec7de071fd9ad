import { aPatient, acceptedEvent, adverseEventCommand, anEnrolledPatient, context, expectViolation } from '../testing';
import { decideAdverseEvent } from './adverse-event';

const decide = (overrides: Parameters<typeof adverseEventCommand>[0]) =>
  decideAdverseEvent(anEnrolledPatient().state, adverseEventCommand(overrides), context());

describe('decideAdverseEvent', () => {
  it('stores the adverse event', () => {
    expect(acceptedEvent(decide({ outcome: 'recovered' }))).toEqual({
      type: 'AdverseEventReported',
      schemaVersion: 1,
      occurredAt: '2024-02-02',
      data: { term: 'Infusion-related reaction', serious: false, grade: 2, relatedness: 'probable', outcome: 'recovered' },
    });
    expect(acceptedEvent(decide({})).data).not.toHaveProperty('outcome');
  });

  it.each([1, 2, 3, 4])('accepts grade %p', (grade) => {
    acceptedEvent(decide({ grade }));
  });

  it.each([0, 6, 2.5])('refuses grade %p', (grade) => {
    expectViolation(decide({ grade }), 'grade', 'not-one-of');
  });

  it('accepts a fatal event that is serious, grade 5, with a fatal outcome', () => {
    acceptedEvent(decide({ grade: 5, serious: true, outcome: 'fatal' }));
    acceptedEvent(decide({ grade: 5, serious: true }));
  });

  it('refuses a grade 5 event that is not serious', () => {
    expectViolation(decide({ grade: 5, serious: false }), 'serious', 'fatal-event-must-be-serious');
  });

  it('refuses a grade and an outcome that disagree', () => {
    expectViolation(decide({ grade: 5, serious: true, outcome: 'recovered' }), 'outcome', 'grade-and-outcome-disagree');
    expectViolation(decide({ grade: 3, serious: true, outcome: 'fatal' }), 'grade', 'grade-and-outcome-disagree');
  });

  it('checks seriousness, relatedness, outcome and term', () => {
    expectViolation(decide({ serious: 'yes' as never }), 'serious', 'must-be-boolean');
    expectViolation(decide({ relatedness: 'related' as never }), 'relatedness', 'not-one-of');
    expectViolation(decide({ outcome: 'resolved' as never }), 'outcome', 'not-one-of');
    expectViolation(decide({ term: ' ' }), 'term', 'required');
  });

  it('refuses an adverse event for a patient not enrolled', () => {
    expectViolation(decideAdverseEvent(aPatient().state, adverseEventCommand(), context()), 'patientId', 'patient-not-enrolled');
  });
});
