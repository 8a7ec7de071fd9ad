import { isAllocationRevealing, redactForBlindedReader } from './blinding';
import { ANTI_MAG_RITUXIMAB_PROTOCOL, isMaskedAnalyte } from './protocol';

describe('isMaskedAnalyte', () => {
  it('masks B-cell counts under the first protocol, not IgM or the titer', () => {
    expect(isMaskedAnalyte(ANTI_MAG_RITUXIMAB_PROTOCOL, 'CD19')).toBe(true);
    expect(isMaskedAnalyte(ANTI_MAG_RITUXIMAB_PROTOCOL, 'CD20')).toBe(true);
    expect(isMaskedAnalyte(ANTI_MAG_RITUXIMAB_PROTOCOL, 'IGM')).toBe(false);
    expect(isMaskedAnalyte(ANTI_MAG_RITUXIMAB_PROTOCOL, 'ANTI_MAG')).toBe(false);
  });

  it('follows the protocol definition', () => {
    expect(isMaskedAnalyte({ maskedAnalytes: ['IGM'] }, 'IGM')).toBe(true);
    expect(isMaskedAnalyte({ maskedAnalytes: ['IGM'] }, 'CD19')).toBe(false);
  });
});

describe('isAllocationRevealing', () => {
  const protocol = ANTI_MAG_RITUXIMAB_PROTOCOL;
  const lab = (analyte: string) => ({ analyte, value: 0, unit: 'cells/µL', qualifier: '=' });

  it('flags a result of a masked analyte', () => {
    expect(isAllocationRevealing(protocol, { type: 'LabResulted', data: lab('CD19') })).toBe(true);
    expect(isAllocationRevealing(protocol, { type: 'LabResulted', data: lab('IGM') })).toBe(false);
  });

  it('flags a correction that carries a masked result', () => {
    const correction = (analyte: string) => ({
      type: 'EntryCorrected',
      data: { correctedEventId: 'e1', correctedType: 'LabResulted', reason: 'typo', data: lab(analyte) },
    });
    expect(isAllocationRevealing(protocol, correction('CD20'))).toBe(true);
    expect(isAllocationRevealing(protocol, correction('ANTI_MAG'))).toBe(false);
  });

  it('does not flag other events, randomization included (it carries no arm)', () => {
    expect(isAllocationRevealing(protocol, { type: 'PatientRandomized', data: { kitNumber: 'K1', stratum: 's' } })).toBe(false);
    expect(isAllocationRevealing(protocol, { type: 'InfusionGiven', data: {} })).toBe(false);
  });
});

describe('what a blinded reader sees of an event', () => {
  const protocol = { maskedAnalytes: ['CD19', 'CD20'] as const };
  const lab = (analyte: string, value: number, qualifier = '=') => ({
    type: 'LabResulted',
    eventId: 'e1',
    hash: 'a'.repeat(64),
    previousHash: '0'.repeat(64),
    data: { analyte, value, unit: 'cells/µL', qualifier },
  });

  it('keeps a B-cell count event but removes its value, unit, qualifier and hashes', () => {
    const seen = redactForBlindedReader(protocol, lab('CD19', 0, '<'));
    expect(seen).toEqual({
      type: 'LabResulted',
      eventId: 'e1',
      data: { analyte: 'CD19', masked: true },
      hash: undefined,
      previousHash: undefined,
    });
    expect(JSON.stringify(seen)).not.toMatch(/"value"|"qualifier"|cells/);
  });

  it('removes the corrected value of a correction of a masked analyte, keeping what was corrected and why', () => {
    const correction = {
      type: 'EntryCorrected',
      data: {
        correctedEventId: 'e1',
        correctedType: 'LabResulted',
        reason: 'typo',
        data: { analyte: 'CD20', value: 3, unit: '%', qualifier: '=' },
      },
    };
    const seen = redactForBlindedReader(protocol, correction);
    expect(seen.data).toEqual({
      correctedEventId: 'e1',
      correctedType: 'LabResulted',
      reason: 'typo',
      data: { analyte: 'CD20', masked: true },
    });
  });

  it('leaves every other event as it is', () => {
    const igm = lab('IGM', 1.8);
    expect(redactForBlindedReader(protocol, igm)).toBe(igm);
  });
});
