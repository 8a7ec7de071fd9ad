import { EVENT_TYPES } from '../events/catalog';
import { upcastStoredEvent } from '../stored-event-upcaster';
import { UnknownSchemaVersionError } from '../upcasting';
import { draftMonitoringEvent, isMonitoringEventType, MONITORING_EVENT_TYPES, MONITORING_SCHEMA_VERSIONS } from './events';

describe('monitoring event catalog', () => {
  it('lists the query workflow and source data verification, each at schema version 1', () => {
    expect([...MONITORING_EVENT_TYPES].sort()).toEqual([
      'QueryAnswered',
      'QueryCancelled',
      'QueryClosed',
      'QueryRaised',
      'QueryReopened',
      'SourceDataVerified',
    ]);
    expect(new Set(Object.values(MONITORING_SCHEMA_VERSIONS))).toEqual(new Set([1]));
  });

  it('shares no type name with the clinical catalog', () => {
    expect(MONITORING_EVENT_TYPES.filter((type) => (EVENT_TYPES as readonly string[]).includes(type))).toEqual([]);
  });

  it('recognises its own types only', () => {
    expect(isMonitoringEventType('QueryRaised')).toBe(true);
    expect(isMonitoringEventType('InfusionGiven')).toBe(false);
    expect(isMonitoringEventType('hasOwnProperty')).toBe(false);
    expect(isMonitoringEventType(undefined)).toBe(false);
  });

  it('drafts an event at its current schema version, without amends', () => {
    expect(draftMonitoringEvent('QueryClosed', '2024-06-01T12:00:00.000Z', { queryId: 'q-1' })).toEqual({
      type: 'QueryClosed',
      schemaVersion: 1,
      occurredAt: '2024-06-01T12:00:00.000Z',
      data: { queryId: 'q-1' },
    });
  });

  it('upcasts version 1 unchanged and refuses a version this code does not know', () => {
    expect(upcastStoredEvent('QueryClosed', 1, { queryId: 'q-1' })).toEqual({ schemaVersion: 1, data: { queryId: 'q-1' } });
    expect(() => upcastStoredEvent('QueryClosed', 2, {})).toThrow(UnknownSchemaVersionError);
  });

  it('is read by the one upcaster of the store, with the clinical types', () => {
    const upcast = upcastStoredEvent;
    expect(() => upcast('SourceDataVerified', 3, {})).toThrow(UnknownSchemaVersionError);
    expect(() => upcast('LabResulted', 2, {})).toThrow(UnknownSchemaVersionError);
    expect(upcast('QueryRaised', 1, { queryId: 'q' }).data).toEqual({ queryId: 'q' });
  });
});
