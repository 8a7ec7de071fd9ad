import { AMENDABLE_EVENT_TYPES } from '../events/amendment';
import { EVENT_TYPES } from '../events/catalog';
import { fieldPathProblem, isMonitoredEventType, MONITORED_EVENT_TYPES } from './event-fields';

const study = {
  limbTemperatureC: 33,
  nerves: [
    { nerve: 'ulnar', side: 'left', motorConductionVelocityMs: 32 },
    { nerve: 'sural', side: 'right', snapAmplitudeUv: 0 },
  ],
  deviations: [],
};

describe('monitored events and their fields', () => {
  it('monitors clinical data and the lifecycle facts, not amendments or site facts', () => {
    expect([...MONITORED_EVENT_TYPES].sort()).toEqual(
      [...AMENDABLE_EVENT_TYPES, 'PatientEnrolled', 'PatientScreenFailed', 'PatientRandomized', 'PatientWithdrawn'].sort(),
    );
    expect(MONITORED_EVENT_TYPES.every((type) => EVENT_TYPES.includes(type))).toBe(true);
    for (const type of ['EntryCorrected', 'EntryVoided', 'SiteActivated', 'QueryRaised', 'constructor']) {
      expect(isMonitoredEventType(type)).toBe(false);
    }
  });

  it('accepts the clinical time and every top-level field of the type, present or not', () => {
    expect(fieldPathProblem('InfusionGiven', {}, 'occurredAt')).toBeUndefined();
    expect(fieldPathProblem('InfusionGiven', {}, 'administeredDoseMg')).toBeUndefined();
    expect(fieldPathProblem('ClinicalAssessed', { assessorId: 'a', incatArms: 1, incatLegs: 2 }, 'mrcSumScore')).toBeUndefined();
    expect(fieldPathProblem('LabResulted', {}, 'specimenId')).toBeUndefined();
  });

  it('rejects a field the type does not have, naming it', () => {
    expect(fieldPathProblem('LabResulted', {}, 'administeredDoseMg')).toBe('LabResulted has no field administeredDoseMg');
    expect(fieldPathProblem('PatientRandomized', {}, 'arm')).toBe('PatientRandomized has no field arm');
    expect(fieldPathProblem('LabResulted', {}, 'toString')).toBe('LabResulted has no field toString');
  });

  it('follows list items that the entry has, and their fields', () => {
    expect(fieldPathProblem('NeurographyRecorded', study, 'nerves')).toBeUndefined();
    expect(fieldPathProblem('NeurographyRecorded', study, 'nerves[1]')).toBeUndefined();
    expect(fieldPathProblem('NeurographyRecorded', study, 'nerves[1].snapAmplitudeUv')).toBeUndefined();
    expect(fieldPathProblem('NeurographyRecorded', study, 'nerves[2].snapAmplitudeUv')).toBe('nerves has no item 2');
    expect(fieldPathProblem('NeurographyRecorded', study, 'nerves[0].temperature')).toBe(
      'NeurographyRecorded has no field nerves[0].temperature',
    );
  });

  it('follows nested objects', () => {
    const enrolment = { eligibility: { met: true, criteria: [{ code: 'ANTI_MAG_ABOVE_1000_BTU', met: true }] } };
    expect(fieldPathProblem('PatientEnrolled', enrolment, 'eligibility.criteria[0].met')).toBeUndefined();
    expect(fieldPathProblem('PatientEnrolled', enrolment, 'eligibility.score')).toBe('PatientEnrolled has no field eligibility.score');
    expect(fieldPathProblem('PatientScreenFailed', { failedCriteria: ['AGE'] }, 'failedCriteria[0]')).toBeUndefined();
  });

  it('rejects indexing a value that is not a list, and malformed paths', () => {
    expect(fieldPathProblem('LabResulted', { value: 3 }, 'value[0]')).toBe('value is not a list');
    expect(fieldPathProblem('LabResulted', {}, 'value.amount')).toBe('LabResulted has no field value.amount');
    expect(fieldPathProblem('LabResulted', {}, '')).toBe("'' is not a field name");
    expect(fieldPathProblem('NeurographyRecorded', study, 'nerves[x]')).toBe("'nerves[x]' is not a field name");
    expect(fieldPathProblem('NeurographyRecorded', study, 'nerves..nerve')).toBe("'' is not a field name");
  });
});
