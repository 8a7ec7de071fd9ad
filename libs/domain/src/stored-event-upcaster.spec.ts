import { UnknownSchemaVersionError } from './upcasting';
import { upcastStoredEvent } from './stored-event-upcaster';

describe('the upcaster for everything the store holds', () => {
  it.each(['LabResulted', 'QueryRaised', 'DatabaseLocked', 'CodeBreakPerformed'])('knows %s at its current version', (type) => {
    expect(upcastStoredEvent(type, 1, { any: 'payload' })).toEqual({ schemaVersion: 1, data: { any: 'payload' } });
  });

  it.each(['InfusionGiven', 'SourceDataVerified', 'TrialUnblinded'])(
    'refuses a %s from a schema version this code does not know',
    (type) => {
      expect(() => upcastStoredEvent(type, 99, {})).toThrow(UnknownSchemaVersionError);
    },
  );

  it('passes types it does not own through unchanged', () => {
    expect(upcastStoredEvent('AccessRecorded', 1, { action: 'export' })).toEqual({ schemaVersion: 1, data: { action: 'export' } });
  });
});
