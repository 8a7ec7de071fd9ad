import { isAllocationRevealing } from './blinding';
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
