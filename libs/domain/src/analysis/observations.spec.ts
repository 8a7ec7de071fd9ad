import { byDate, conductionParameter, parameterUnit, treatmentContextAt } from './observations';
import { observation } from '../testing';

describe('conductionParameter', () => {
  it('names one measure of one nerve on one side', () => {
    expect(conductionParameter('MCV', 'ulnar', 'left')).toBe('MCV_ULNAR_LEFT');
    expect(conductionParameter('DML', 'median', 'right')).toBe('DML_MEDIAN_RIGHT');
  });
});

describe('parameterUnit', () => {
  it.each([
    ['IGM', 'g/L'],
    ['ANTI_MAG', 'BTU'],
    ['CD19', 'cells/µL'],
    ['INCAT_LEGS', 'points'],
    ['WALK_10M', 's'],
    ['MCV_ULNAR_LEFT', 'm/s'],
    ['CMAP_TIBIAL_RIGHT', 'mV'],
    ['SNAP_SURAL_LEFT', 'µV'],
  ] as const)('analyses %s in %s', (parameter, unit) => {
    expect(parameterUnit(parameter)).toBe(unit);
  });
});

describe('byDate', () => {
  it('orders by date and keeps same-day observations in the order given', () => {
    const first = observation('2024-03-01', 1);
    const second = observation('2024-03-01', 2);
    const earlier = observation('2024-02-01', 3);
    expect(byDate([first, second, earlier])).toEqual([earlier, first, second]);
  });

  it('refuses anything but a calendar date, which would sort wrongly as text', () => {
    expect(() => byDate([observation('2024-02-30', 1)])).toThrow(RangeError);
    expect(() => byDate([observation('2024-03-01T10:00:00Z', 1)])).toThrow(RangeError);
  });
});

describe('treatmentContextAt', () => {
  const infusions = [
    { date: '2024-02-01', cycle: 1, doseLevelMgPerM2: 375 },
    { date: '2024-02-08', cycle: 1, doseLevelMgPerM2: 375 },
    { date: '2024-09-02', cycle: 2, doseLevelMgPerM2: 750 },
  ];

  it('is cycle 0 up to and including the first infusion day, whose samples are drawn before dosing', () => {
    expect(treatmentContextAt('2024-01-20', infusions)).toEqual({ cycle: 0 });
    expect(treatmentContextAt('2024-02-01', infusions)).toEqual({ cycle: 0 });
  });

  it('is the cycle and dose level of the last infusion before the day', () => {
    expect(treatmentContextAt('2024-02-02', infusions)).toEqual({ cycle: 1, doseLevelMgPerM2: 375 });
    expect(treatmentContextAt('2024-09-02', infusions)).toEqual({ cycle: 1, doseLevelMgPerM2: 375 });
    expect(treatmentContextAt('2024-12-01', infusions)).toEqual({ cycle: 2, doseLevelMgPerM2: 750 });
  });

  it('does not depend on the order infusions are given in', () => {
    expect(treatmentContextAt('2024-12-01', [...infusions].reverse())).toEqual({ cycle: 2, doseLevelMgPerM2: 750 });
  });
});
