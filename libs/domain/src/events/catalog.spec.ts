import { CURRENT_SCHEMA_VERSIONS, draftEvent, EVENT_TYPES, isEventType, PATIENT_EVENT_TYPES, SITE_EVENT_TYPES } from './catalog';
import { AMENDABLE_EVENT_TYPES, isAmendableEventType } from './amendment';

describe('event catalog', () => {
  it('lists every event type once, each at schema version 1', () => {
    expect([...EVENT_TYPES].sort()).toEqual(
      [
        'AdverseEventReported',
        'ClinicalAssessed',
        'EntryCorrected',
        'EntryVoided',
        'InfusionGiven',
        'LabResulted',
        'NeurographyRecorded',
        'PatientEnrolled',
        'PatientRandomized',
        'PatientScreenFailed',
        'PatientWithdrawn',
        'SiteActivated',
      ].sort(),
    );
    expect(new Set(Object.values(CURRENT_SCHEMA_VERSIONS))).toEqual(new Set([1]));
  });

  it('splits site events from patient events', () => {
    expect(SITE_EVENT_TYPES).toEqual(['SiteActivated']);
    expect(PATIENT_EVENT_TYPES).not.toContain('SiteActivated');
    expect(PATIENT_EVENT_TYPES).toHaveLength(EVENT_TYPES.length - 1);
  });

  it('recognises its own types only', () => {
    expect(isEventType('InfusionGiven')).toBe(true);
    expect(isEventType('toString')).toBe(false);
    expect(isEventType('DatabaseLocked')).toBe(false);
  });

  it('lets clinical data be amended, but not lifecycle events or amendments', () => {
    expect(AMENDABLE_EVENT_TYPES.every((type) => EVENT_TYPES.includes(type))).toBe(true);
    for (const type of [
      'PatientEnrolled',
      'PatientScreenFailed',
      'PatientRandomized',
      'PatientWithdrawn',
      'EntryCorrected',
      'EntryVoided',
      'SiteActivated',
    ]) {
      expect(isAmendableEventType(type)).toBe(false);
    }
  });

  it('drafts an event at its current schema version, with amends only when given', () => {
    expect(draftEvent('PatientWithdrawn', '2024-05-01', { reason: 'x' })).toEqual({
      type: 'PatientWithdrawn',
      schemaVersion: 1,
      occurredAt: '2024-05-01',
      data: { reason: 'x' },
    });
    const amends = { eventId: 'evt-1', reason: 'typo' };
    expect(
      draftEvent('EntryVoided', '2024-05-01', { voidedEventId: 'evt-1', voidedType: 'LabResulted', reason: 'typo' }, amends).amends,
    ).toEqual(amends);
  });
});
