import { EVENT_TYPES } from './events/catalog';
import { upcastStoredEvent } from './stored-event-upcaster';
import { createUpcaster, UnknownSchemaVersionError } from './upcasting';

describe('createUpcaster', () => {
  // a made-up history: v1 had `btu`, v2 renamed it to `value`, v3 added the unit
  const upcast = createUpcaster({
    TiterMeasured: {
      currentVersion: 3,
      steps: {
        1: (data: { btu: number }) => ({ value: data.btu }),
        2: (data: { value: number }) => ({ ...data, unit: 'BTU' }),
      },
    },
  });

  it('turns each old version into the current one, step by step', () => {
    expect(upcast('TiterMeasured', 1, { btu: 12_000 })).toEqual({ schemaVersion: 3, data: { value: 12_000, unit: 'BTU' } });
    expect(upcast('TiterMeasured', 2, { value: 9 })).toEqual({ schemaVersion: 3, data: { value: 9, unit: 'BTU' } });
  });

  it('leaves the current version as it is', () => {
    const data = { value: 1, unit: 'BTU' };
    expect(upcast('TiterMeasured', 3, data)).toEqual({ schemaVersion: 3, data });
  });

  it('does not alter the stored payload it reads', () => {
    const stored = Object.freeze({ btu: 5 });
    upcast('TiterMeasured', 1, stored);
    expect(stored).toEqual({ btu: 5 });
  });

  it('refuses a version newer than it knows', () => {
    expect(() => upcast('TiterMeasured', 4, {})).toThrow(UnknownSchemaVersionError);
  });

  it.each([0, -1, 1.5])('refuses the impossible version %p', (version) => {
    expect(() => upcast('TiterMeasured', version, {})).toThrow(UnknownSchemaVersionError);
  });

  it('passes through types it has no chain for', () => {
    expect(upcast('QueryRaised', 7, { text: 'x' })).toEqual({ schemaVersion: 7, data: { text: 'x' } });
  });

  it('refuses at build time a chain with a missing step', () => {
    expect(() => createUpcaster({ X: { currentVersion: 3, steps: { 1: (d) => d } } })).toThrow(/from version 2 to 3/);
    expect(() => createUpcaster({ X: { currentVersion: 0 } })).toThrow(RangeError);
  });
});

describe('upcastStoredEvent', () => {
  it.each(EVENT_TYPES)('reads %s at version 1 unchanged', (type) => {
    const data = { any: 'payload' };
    expect(upcastStoredEvent(type, 1, data)).toEqual({ schemaVersion: 1, data });
  });

  it('refuses a future version of a domain event', () => {
    expect(() => upcastStoredEvent('InfusionGiven', 2, {})).toThrow(UnknownSchemaVersionError);
  });
});
