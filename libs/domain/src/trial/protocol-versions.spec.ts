import { ANTI_MAG_RITUXIMAB_PROTOCOL, ProtocolDefinition } from '../protocol';
import { decideProtocolActivation, protocolInForce, protocolVersionsFrom } from './protocol-versions';

const V1 = ANTI_MAG_RITUXIMAB_PROTOCOL;
const withMonth15: ProtocolDefinition = {
  ...V1,
  schedule: {
    ...V1.schedule,
    assessmentVisits: [
      ...V1.schedule.assessmentVisits,
      {
        visitId: 'month-15',
        label: 'Month 15',
        anchor: 'first-infusion',
        daysAfterAnchor: 455,
        window: { daysBefore: 14, daysAfter: 14 },
        forms: ['clinical-assessment'],
      },
    ],
  },
};
const activated = (version: number, effectiveFrom: string, definition: ProtocolDefinition, sourceSha256 = `sha-${version}`) => ({
  type: 'ProtocolActivated',
  data: { protocolId: definition.id, version, effectiveFrom, sourceSha256, definition },
});

describe('protocol versions on the trial stream', () => {
  it('Given nothing, When a protocol is loaded, Then it is version 1 with its effective date', () => {
    const decision = decideProtocolActivation(
      [],
      { definition: V1, effectiveFrom: '2026-01-01', sourceSha256: 'sha-1' },
      '2026-01-01T09:00:00Z',
    );
    expect(decision).toEqual({
      ok: true,
      events: [
        {
          type: 'ProtocolActivated',
          schemaVersion: 1,
          occurredAt: '2026-01-01T09:00:00Z',
          data: { protocolId: V1.id, version: 1, effectiveFrom: '2026-01-01', sourceSha256: 'sha-1', definition: V1 },
        },
      ],
    });
  });

  it('Given version 1, When an amendment adds a visit, Then it is version 2', () => {
    const versions = protocolVersionsFrom([activated(1, '2026-01-01', V1)]);
    const decision = decideProtocolActivation(
      versions,
      { definition: withMonth15, effectiveFrom: '2026-06-01', sourceSha256: 'sha-2' },
      '2026-05-20T09:00:00Z',
    );
    expect(decision.ok && decision.events[0].data.version).toBe(2);
  });

  it('Given version 1, When an amendment drops a visit with data, re-dates itself before version 1 or repeats it, Then it is refused naming the field', () => {
    const versions = protocolVersionsFrom([activated(1, '2026-01-01', withMonth15)]);
    const decision = decideProtocolActivation(
      versions,
      { definition: V1, effectiveFrom: '2025-12-01', sourceSha256: 'sha-1' },
      '2026-05-20T09:00:00Z',
    );
    expect(decision.ok).toBe(false);
    if (!decision.ok) {
      expect(decision.violations.map((v) => `${v.field} ${v.rule}`)).toEqual([
        'visits visit-kept',
        'effectiveFrom not-before-current-version',
        'file unchanged',
      ]);
    }
  });

  it('judges data by the version in force on their date; data before the first version by the first', () => {
    const versions = protocolVersionsFrom([
      activated(1, '2026-01-01', V1),
      { type: 'DatabaseFrozen', data: {} },
      activated(2, '2026-06-01', withMonth15),
    ]);
    expect(protocolInForce(versions, '2025-12-31')?.version).toBe(1);
    expect(protocolInForce(versions, '2026-05-31')?.version).toBe(1);
    expect(protocolInForce(versions, '2026-06-01')?.version).toBe(2);
    expect(protocolInForce([], '2026-06-01')).toBeUndefined();
  });

  it('Given version 1, When an amendment reads a unit otherwise, Then it is refused naming the unit; adding a unit is an amendment', () => {
    const versions = protocolVersionsFrom([activated(1, '2026-01-01', V1)]);
    const units = V1.unitConversions;
    const rereads: ProtocolDefinition = {
      ...V1,
      unitConversions: { ...units, IGM: { ...units.IGM, 'mg/dL': { factor: 0.1, unit: 'g/L' } } },
    };
    const adds: ProtocolDefinition = { ...V1, unitConversions: { ...units, IGM: { ...units.IGM, 'g/dL': { factor: 10, unit: 'g/L' } } } };
    const refused = decideProtocolActivation(
      versions,
      { definition: rereads, effectiveFrom: '2026-06-01', sourceSha256: 'sha-2' },
      '2026-05-20T09:00:00Z',
    );
    expect(refused.ok || refused.violations.map((v) => `${v.field} ${v.rule}`)).toEqual(['units.IGM["mg/dL"] conversion-kept']);
    expect(
      decideProtocolActivation(versions, { definition: adds, effectiveFrom: '2026-06-01', sourceSha256: 'sha-2' }, '2026-05-20T09:00:00Z')
        .ok,
    ).toBe(true);
  });

  it('Given data read by the built-in protocol, When a first version reads a unit otherwise, Then it is refused', () => {
    const units = V1.unitConversions;
    const inMgPerDl: ProtocolDefinition = {
      ...V1,
      unitConversions: { ...units, IGM: { 'mg/dL': { factor: 1, unit: 'mg/dL' }, 'g/L': { factor: 100, unit: 'mg/dL' } } },
    };
    const first = { definition: inMgPerDl, effectiveFrom: '2026-01-01', sourceSha256: 'sha-1' };
    expect(decideProtocolActivation([], first, '2026-01-01T09:00:00Z').ok).toBe(true);
    const refused = decideProtocolActivation([], { ...first, readBefore: units }, '2026-01-01T09:00:00Z');
    expect(refused.ok || refused.violations.map((v) => v.field)).toEqual(['units.IGM["g/L"]', 'units.IGM["mg/dL"]']);
  });
});
