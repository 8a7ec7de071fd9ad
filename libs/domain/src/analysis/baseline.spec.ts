import { afterTreatmentStart, analysisRowsOf, baselineOf, changeFromBaseline, labEndpointOf, latest, nadir } from './baseline';
import { aboveQuantification, belowDetection, observation, patient, series } from '../testing';

const FIRST_INFUSION = '2024-02-01';

describe('baselineOf', () => {
  it('is the last value before the first infusion', () => {
    const screening = observation('2024-01-10', 3.1);
    const baseline = observation('2024-01-25', 2.9);
    expect(baselineOf([baseline, observation('2024-03-01', 2.0), screening], FIRST_INFUSION)).toBe(baseline);
  });

  it('includes a sample of the first infusion day, drawn before dosing', () => {
    const dayOne = observation(FIRST_INFUSION, 2.8);
    expect(baselineOf([observation('2024-01-25', 2.9), dayOne, observation('2024-02-02', 2.5)], FIRST_INFUSION)).toBe(dayOne);
  });

  it('takes the later recorded of two samples of the same day', () => {
    const first = observation('2024-01-25', 2.9);
    const repeat = observation('2024-01-25', 3.0);
    expect(baselineOf([first, repeat], FIRST_INFUSION)).toBe(repeat);
  });

  it('is absent when nothing was measured before treatment', () => {
    expect(baselineOf([observation('2024-03-01', 2.0)], FIRST_INFUSION)).toBeUndefined();
    expect(baselineOf([], FIRST_INFUSION)).toBeUndefined();
  });

  it('keeps a censored baseline as censored', () => {
    const aboveRange = aboveQuantification('2024-01-25', 70_000);
    expect(baselineOf([aboveRange], FIRST_INFUSION)).toEqual(expect.objectContaining({ value: 70_000, qualifier: '>' }));
  });
});

describe('afterTreatmentStart', () => {
  it('keeps what was measured after the first infusion day, in date order', () => {
    const result = afterTreatmentStart(series(['2024-05-01', 1], [FIRST_INFUSION, 2], ['2024-03-01', 3]), FIRST_INFUSION);
    expect(result.map((o) => o.date)).toEqual(['2024-03-01', '2024-05-01']);
  });
});

describe('latest', () => {
  it('is the most recent by date, whatever the input order', () => {
    expect(latest(series(['2024-05-01', 1.5], ['2024-08-01', 1.9], ['2024-03-01', 2.0]))?.value).toBe(1.9);
  });

  it('is absent for an empty series', () => {
    expect(latest([])).toBeUndefined();
  });
});

describe('nadir', () => {
  it('is the lowest value', () => {
    expect(nadir(series(['2024-03-01', 2.0], ['2024-05-01', 1.2], ['2024-08-01', 1.6]))?.date).toBe('2024-05-01');
  });

  it('is the first time the lowest value was reached', () => {
    expect(nadir(series(['2024-08-01', 1.2], ['2024-05-01', 1.2]))?.date).toBe('2024-05-01');
  });

  it('puts a value below detection below the same number measured', () => {
    const censored = belowDetection('2024-08-01', 5);
    expect(nadir([observation('2024-05-01', 5), censored])).toBe(censored);
  });

  it('compares a censored value through its limit', () => {
    // <5 is known only to be below 5; a measured 3 is lower than the limit and is the nadir
    const measured = observation('2024-08-01', 3);
    expect(nadir([belowDetection('2024-05-01', 5), measured])).toBe(measured);
  });

  it('is absent for an empty series', () => {
    expect(nadir([])).toBeUndefined();
  });
});

describe('changeFromBaseline', () => {
  it('gives change, percent change and percent of baseline', () => {
    // IgM 2.0 -> 1.5 g/L: change −0.5; −0.5 / 2.0 = −25%; 1.5 / 2.0 = 75% of baseline
    const result = changeFromBaseline({ value: 1.5, qualifier: '=' }, { value: 2.0, qualifier: '=' });
    expect(result).toEqual({ censored: false, change: -0.5, percentChange: -25, percentOfBaseline: 75 });
  });

  it('keeps round percentages exact', () => {
    // anti-MAG 100 -> 80 BTU: −20 / 100 = −20%, 80%; and 70 -> 77: +7 / 70 = +10%, 110%
    expect(changeFromBaseline({ value: 80, qualifier: '=' }, { value: 100, qualifier: '=' })).toEqual({
      censored: false,
      change: -20,
      percentChange: -20,
      percentOfBaseline: 80,
    });
    const rise = changeFromBaseline({ value: 77, qualifier: '=' }, { value: 70, qualifier: '=' });
    expect(rise.percentChange).toBeCloseTo(10, 12);
    expect(rise.percentOfBaseline).toBeCloseTo(110, 12);
  });

  it('shows no binary noise: 4.0 -> 3.2 is exactly −0.8 and −20%', () => {
    // in floating point 3.2 − 4.0 = −0.7999999999999998; results keep 9 decimals
    expect(changeFromBaseline({ value: 3.2, qualifier: '=' }, { value: 4.0, qualifier: '=' })).toEqual({
      censored: false,
      change: -0.8,
      percentChange: -20,
      percentOfBaseline: 80,
    });
  });

  it('gives a rise as a positive change above 100% of baseline', () => {
    // 40,000 -> 50,000 BTU: +10,000, +25%, 125%
    expect(changeFromBaseline({ value: 50_000, qualifier: '=' }, { value: 40_000, qualifier: '=' })).toEqual({
      censored: false,
      change: 10_000,
      percentChange: 25,
      percentOfBaseline: 125,
    });
  });

  it.each([
    ['a value below detection', { value: 5, qualifier: '<' as const }, { value: 300, qualifier: '=' as const }],
    ['a value above quantification', { value: 70_000, qualifier: '>' as const }, { value: 40_000, qualifier: '=' as const }],
    ['a censored baseline', { value: 30_000, qualifier: '=' as const }, { value: 70_000, qualifier: '>' as const }],
  ])('does not turn %s into numbers', (_, value, baseline) => {
    expect(changeFromBaseline(value, baseline)).toEqual({ censored: true });
  });

  it('has a change but no percentage from a baseline of zero', () => {
    expect(changeFromBaseline({ value: 3, qualifier: '=' }, { value: 0, qualifier: '=' })).toEqual({ censored: false, change: 3 });
  });
});

describe('labEndpointOf', () => {
  it('gives baseline, nadir and latest after treatment, with their changes', () => {
    // baseline 2.0 (Feb 1, before dosing); after: 1.2 (May), 1.6 (Aug)
    // nadir 1.2: −0.8, −40%, 60%; latest 1.6: −0.4, −20%, 80%
    const endpoint = labEndpointOf(
      series(['2024-01-10', 2.4], [FIRST_INFUSION, 2.0], ['2024-05-01', 1.2], ['2024-08-01', 1.6]),
      FIRST_INFUSION,
    );
    expect(endpoint.baseline?.value).toBe(2.0);
    expect(endpoint.nadir?.value).toBe(1.2);
    expect(endpoint.latest?.value).toBe(1.6);
    expect(endpoint.nadirChange?.change).toBeCloseTo(-0.8, 12);
    expect(endpoint.nadirChange?.percentChange).toBeCloseTo(-40, 12);
    expect(endpoint.nadirChange?.percentOfBaseline).toBeCloseTo(60, 12);
    expect(endpoint.latestChange?.percentChange).toBeCloseTo(-20, 12);
    expect(endpoint.latestChange?.percentOfBaseline).toBeCloseTo(80, 12);
  });

  it('does not take the baseline as the nadir when treatment never lowered the value', () => {
    // baseline 2.0, after: 2.2 and 2.4 -> nadir 2.2 = +10%
    const endpoint = labEndpointOf(series([FIRST_INFUSION, 2.0], ['2024-05-01', 2.2], ['2024-08-01', 2.4]), FIRST_INFUSION);
    expect(endpoint.nadir?.value).toBe(2.2);
    expect(endpoint.nadirChange?.percentChange).toBeCloseTo(10, 12);
  });

  it('has neither baseline nor changes for an untreated patient', () => {
    expect(labEndpointOf(series(['2024-01-10', 2.4]), undefined)).toEqual({});
  });

  it('has a nadir but no change when there was no baseline', () => {
    const endpoint = labEndpointOf(series(['2024-05-01', 1.2]), FIRST_INFUSION);
    expect(endpoint.nadir?.value).toBe(1.2);
    expect(endpoint.nadirChange).toBeUndefined();
  });
});

describe('analysisRowsOf', () => {
  it('gives each observation its baseline and, after the first infusion day, its change', () => {
    const rows = analysisRowsOf(
      patient({
        series: {
          IGM: [
            observation('2024-05-01', 1.5, { cycle: 1, doseLevelMgPerM2: 375, visit: 'month 3' }),
            observation('2024-01-25', 2.0, { visit: 'baseline' }),
          ],
          INCAT_LEGS: [
            observation('2024-01-25', 3, { visit: 'baseline' }),
            observation('2024-09-01', 2, { cycle: 1, doseLevelMgPerM2: 375, visit: 'month 8' }),
          ],
        },
      }),
    );
    expect(rows).toEqual([
      expect.objectContaining({
        subjectId: 'ZH01-007',
        parameter: 'IGM',
        unit: 'g/L',
        visit: 'baseline',
        isBaseline: true,
        baselineValue: 2.0,
        changeCensored: false,
      }),
      // 2.0 -> 1.5: −0.5, −25%, 75%
      expect.objectContaining({
        parameter: 'IGM',
        visit: 'month 3',
        cycle: 1,
        doseLevelMgPerM2: 375,
        isBaseline: false,
        baselineValue: 2.0,
        change: -0.5,
        percentChange: -25,
        percentOfBaseline: 75,
      }),
      expect.objectContaining({ parameter: 'INCAT_LEGS', unit: 'points', visit: 'baseline', isBaseline: true }),
      // 3 -> 2: −1 point, −100/3 = −33.333333333% (to 9 decimals), 66.666666667% of baseline
      expect.objectContaining({
        parameter: 'INCAT_LEGS',
        visit: 'month 8',
        change: -1,
        percentChange: -33.333333333,
        percentOfBaseline: 66.666666667,
      }),
    ]);
    expect(rows[0].change).toBeUndefined();
  });

  it('marks a change as censored when the value is, and gives it no numbers', () => {
    const rows = analysisRowsOf(patient({ series: { CD19: [observation('2024-01-25', 250), belowDetection('2024-03-01', 1)] } }));
    expect(rows[1]).toEqual(expect.objectContaining({ value: 1, qualifier: '<', baselineValue: 250, changeCensored: true }));
    expect([rows[1].change, rows[1].percentChange, rows[1].percentOfBaseline]).toEqual([undefined, undefined, undefined]);
  });

  it('gives no change before treatment nor for an untreated patient', () => {
    const rows = analysisRowsOf(
      patient({ firstInfusionDate: undefined, series: { IGM: series(['2024-01-25', 2.0], ['2024-03-01', 1.8]) } }),
    );
    expect(rows.map((row) => [row.isBaseline, row.baselineValue, row.change])).toEqual([
      [false, undefined, undefined],
      [false, undefined, undefined],
    ]);
  });
});
