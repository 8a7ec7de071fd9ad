import {
  antiMagTiterBand,
  bodySurfaceArea,
  doseDeviationFraction,
  incatTotal,
  isBelowLimbTemperatureThreshold,
  isDoseOutsideTolerance,
  plannedDoseMg,
  roundTo,
  terminalLatencyIndex,
  toCanonicalLabValue,
} from './calculators';
import { ANTI_MAG_RITUXIMAB_PROTOCOL } from './protocol';

describe('bodySurfaceArea (Mosteller)', () => {
  it('is the square root of height × weight / 3600', () => {
    expect(bodySurfaceArea(180, 80)).toBeCloseTo(2.0, 10);
    expect(bodySurfaceArea(175, 80)).toBeCloseTo(1.972, 3);
  });

  it.each([
    [0, 80],
    [175, 0],
    [-175, 80],
    [Number.NaN, 80],
  ])('refuses a non-positive or missing measurement (%p cm, %p kg)', (height, weight) => {
    expect(() => bodySurfaceArea(height, weight)).toThrow(RangeError);
  });
});

describe('plannedDoseMg', () => {
  it('is the dose level times the body-surface area', () => {
    expect(plannedDoseMg(2, 375)).toBe(750);
    expect(plannedDoseMg(1.97, 750)).toBeCloseTo(1477.5, 10);
  });

  it('refuses a non-positive body-surface area', () => {
    expect(() => plannedDoseMg(0, 375)).toThrow(RangeError);
  });
});

describe('doseDeviationFraction', () => {
  it('is signed: positive for too much, negative for too little', () => {
    expect(doseDeviationFraction(700, 770)).toBeCloseTo(0.1, 12);
    expect(doseDeviationFraction(700, 630)).toBeCloseTo(-0.1, 12);
    expect(doseDeviationFraction(700, 700)).toBe(0);
  });

  it('refuses a planned dose of zero', () => {
    expect(() => doseDeviationFraction(0, 10)).toThrow(RangeError);
  });
});

describe('isDoseOutsideTolerance', () => {
  it('keeps exactly 10% inside and flags anything further', () => {
    expect(isDoseOutsideTolerance(738.75, 738.75 * 1.1, 0.1)).toBe(false);
    expect(isDoseOutsideTolerance(738.75, 738.75 * 0.9, 0.1)).toBe(false);
    expect(isDoseOutsideTolerance(700, 771, 0.1)).toBe(true);
    expect(isDoseOutsideTolerance(700, 629, 0.1)).toBe(true);
  });
});

describe('terminalLatencyIndex', () => {
  it('is distal distance / (latency × velocity), low in anti-MAG neuropathy', () => {
    expect(terminalLatencyIndex(70, 7, 40)).toBeCloseTo(0.25, 12);
    expect(terminalLatencyIndex(70, 3.5, 55)).toBeCloseTo(0.3636, 4);
  });

  it('refuses a zero latency', () => {
    expect(() => terminalLatencyIndex(70, 0, 40)).toThrow(RangeError);
  });
});

describe('antiMagTiterBand', () => {
  it.each([
    [0, 'negative'],
    [999, 'negative'],
    [1_000, 'low'],
    [9_999, 'low'],
    [10_000, 'medium'],
    [69_999, 'medium'],
    [70_000, 'high'],
    [250_000, 'high'],
  ])('puts %p BTU in the %s band', (btu, band) => {
    expect(antiMagTiterBand(btu)).toBe(band);
  });

  it('refuses a negative titer', () => {
    expect(() => antiMagTiterBand(-1)).toThrow(RangeError);
  });
});

describe('toCanonicalLabValue', () => {
  const units = ANTI_MAG_RITUXIMAB_PROTOCOL.unitConversions;

  it('converts IgM from mg/dL to g/L', () => {
    expect(toCanonicalLabValue('IGM', 123, 'mg/dL', units)).toEqual({ value: 1.23, unit: 'g/L' });
  });

  it('keeps values already in a canonical unit', () => {
    expect(toCanonicalLabValue('IGM', 12.5, 'g/L', units)).toEqual({ value: 12.5, unit: 'g/L' });
    expect(toCanonicalLabValue('ANTI_MAG', 45_000, 'BTU', units)).toEqual({ value: 45_000, unit: 'BTU' });
    expect(toCanonicalLabValue('CD19', 0, 'cells/µL', units)).toEqual({ value: 0, unit: 'cells/µL' });
  });

  it('keeps a percentage of lymphocytes as a percentage', () => {
    expect(toCanonicalLabValue('CD20', 4.2, '%', units)).toEqual({ value: 4.2, unit: '%' });
  });

  it('refuses a unit the analyte is never reported in, and one the protocol does not list', () => {
    expect(() => toCanonicalLabValue('ANTI_MAG', 1, 'g/L', units)).toThrow(RangeError);
    expect(() => toCanonicalLabValue('IGM', 1, 'toString', units)).toThrow(RangeError);
  });

  it('converts by whatever conversions it is given: they are data of the protocol', () => {
    const mmol = { ...units, IGM: { ...units.IGM, 'µmol/L': { factor: 0.97, unit: 'g/L' } } };
    expect(toCanonicalLabValue('IGM', 10, 'µmol/L', mmol)).toEqual({ value: 9.7, unit: 'g/L' });
    expect(() => toCanonicalLabValue('IGM', 10, 'µmol/L', units)).toThrow(RangeError);
  });
});

describe('isBelowLimbTemperatureThreshold', () => {
  it('flags a limb colder than 32 °C by default', () => {
    expect(isBelowLimbTemperatureThreshold(31.9)).toBe(true);
    expect(isBelowLimbTemperatureThreshold(32)).toBe(false);
  });

  it('uses a protocol-specific threshold when given', () => {
    expect(isBelowLimbTemperatureThreshold(32.5, 33)).toBe(true);
  });
});

describe('incatTotal', () => {
  it('adds arms and legs', () => {
    expect(incatTotal({ incatArms: 2, incatLegs: 3 })).toBe(5);
    expect(incatTotal({ incatArms: 0, incatLegs: 0 })).toBe(0);
  });

  it('is undefined unless both parts were assessed', () => {
    expect(incatTotal({ incatArms: 2 })).toBeUndefined();
    expect(incatTotal({})).toBeUndefined();
  });
});

describe('roundTo', () => {
  it('rounds half away from zero despite binary representation', () => {
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(738.745, 2)).toBe(738.75);
    expect(roundTo(-2.5, 0)).toBe(-3);
  });
});
