import { compareByCycle, compareByDoseLevel } from './groupings';
import { Observation } from './observations';
import { belowDetection, observation, patient } from '../testing';

const cycle1at375 = { cycle: 1, doseLevelMgPerM2: 375 };
const cycle1at750 = { cycle: 1, doseLevelMgPerM2: 750 };
const cycle2at750 = { cycle: 2, doseLevelMgPerM2: 750 };

const igmPatient = (subjectId: string, igm: Observation[], firstInfusionDate: string | undefined = '2024-02-01') =>
  patient({ subjectId, firstInfusionDate, series: { IGM: igm } });

// Baselines: P1 2.0, P2 4.0, P3 1.0 g/L. P4 has no baseline and P5 was never treated: both left out.
const patients = [
  igmPatient('P1', [
    observation('2024-01-25', 2.0),
    observation('2024-04-01', 1.5, cycle1at375),
    observation('2024-07-01', 1.0, cycle1at375),
    observation('2024-12-01', 0.8, cycle2at750),
    observation('2025-03-01', 1.2, cycle2at750),
  ]),
  igmPatient('P2', [
    observation('2024-01-20', 4.0),
    observation('2024-04-01', 3.0, cycle1at375),
    observation('2024-07-01', 3.2, cycle1at375),
  ]),
  igmPatient('P3', [
    observation('2024-02-01', 1.0),
    belowDetection('2024-04-01', 0.4, cycle1at750),
    observation('2024-12-01', 0.5, cycle2at750),
  ]),
  igmPatient('P4', [observation('2024-04-01', 1.0, cycle1at375)]),
  igmPatient('P5', [observation('2024-01-25', 1.0)], undefined),
];

describe('compareByCycle', () => {
  it('compares the last value of each cycle with the baseline before the first cycle', () => {
    const [cycle1, cycle2] = compareByCycle(patients, 'IGM');
    // cycle 1: P1 2.0 -> 1.0 = −50%; P2 4.0 -> 3.2 = −20%; P3 <0.4 is censored
    // median of −50, −20 = −35; range −50 .. −20
    expect(cycle1.group).toBe(1);
    expect(cycle1.patients.map((p) => [p.subjectId, p.observation.date])).toEqual([
      ['P1', '2024-07-01'],
      ['P2', '2024-07-01'],
      ['P3', '2024-04-01'],
    ]);
    expect(cycle1.percentChange).toMatchObject({ n: 2, nMissing: 1, median: -35, min: -50, max: -20 });
    expect(cycle1.percentOfBaseline).toMatchObject({ n: 2, median: 65, min: 50, max: 80 });
    // cycle 2, still against the pre-treatment baseline: P1 2.0 -> 1.2 = −40%; P3 1.0 -> 0.5 = −50% -> median −45
    expect(cycle2.group).toBe(2);
    expect(cycle2.percentChange.n).toBe(2);
    expect(cycle2.percentChange.median).toBeCloseTo(-45, 12);
    expect(cycle2.percentChange.min).toBeCloseTo(-50, 12);
    expect(cycle2.percentChange.max).toBeCloseTo(-40, 12);
  });

  it('can take the lowest value of each cycle instead', () => {
    const [cycle1] = compareByCycle(patients, 'IGM', 'nadir');
    // P1 nadir 1.0 = −50%; P2 nadir 3.0 = −25%; P3 censored -> median −37.5
    expect(cycle1.percentChange).toMatchObject({ n: 2, nMissing: 1, median: -37.5, min: -50, max: -25 });
    expect(cycle1.change).toMatchObject({ n: 2, min: -1, max: -1 });
  });

  it('leaves out what was measured before treatment and patients without a baseline', () => {
    const groups = compareByCycle(patients, 'IGM');
    expect(groups.flatMap((g) => g.patients.map((p) => p.subjectId))).not.toContain('P4');
    expect(groups.flatMap((g) => g.patients.map((p) => p.subjectId))).not.toContain('P5');
    expect(groups.map((g) => g.group)).toEqual([1, 2]);
  });

  it('is empty for a parameter nobody has', () => {
    expect(compareByCycle(patients, 'ANTI_MAG')).toEqual([]);
  });
});

describe('compareByDoseLevel', () => {
  it('puts each patient in every dose level received, against the pre-treatment baseline', () => {
    const [low, high] = compareByDoseLevel(patients, 'IGM');
    // 375: P1 last value at 375 = 1.0 (−50%), P2 3.2 (−20%) -> median −35
    expect(low.group).toBe(375);
    expect(low.patients.map((p) => p.subjectId)).toEqual(['P1', 'P2']);
    expect(low.percentChange).toMatchObject({ n: 2, median: -35 });
    // 750: P1 last value at 750 = 1.2 (−40%), P3 last at 750 = 0.5 (−50%) -> median −45
    expect(high.group).toBe(750);
    expect(high.patients.map((p) => [p.subjectId, p.observation.value])).toEqual([
      ['P1', 1.2],
      ['P3', 0.5],
    ]);
    expect(high.percentChange.median).toBeCloseTo(-45, 12);
  });

  it('takes the lowest value at each dose level when asked', () => {
    const [, high] = compareByDoseLevel(patients, 'IGM', 'nadir');
    // 750: P1 nadir 0.8 (−60%); P3 nadir is <0.4 (censored)
    expect(high.percentChange).toMatchObject({ n: 1, nMissing: 1, median: -60 });
  });
});
