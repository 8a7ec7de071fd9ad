import { retreatmentSignals, retreatmentSignalsPerCycle } from './retreatment-signals';
import { aboveQuantification, belowDetection, observation, patient, series, status } from '../testing';

// first infusion 2024-02-01 for every patient built here
const kinds = (result: ReturnType<typeof retreatmentSignals>) => result.signals.map((s) => [s.kind, s.date, s.daysAfterFirst]);

describe('retreatmentSignals', () => {
  it('dates each signal, names the first and counts the days the others followed', () => {
    const result = retreatmentSignals(
      patient({
        series: {
          // nadir 1.2 (May); 1.4 = +16.7% (no); 1.5 = +25% (Oct 1)
          IGM: series(['2024-01-25', 2.0], ['2024-05-01', 1.2], ['2024-08-01', 1.4], ['2024-10-01', 1.5]),
          // nadir 20,000 (May); 26,000 = +30% (Sep 1)
          ANTI_MAG: series(['2024-01-25', 40_000], ['2024-05-01', 20_000], ['2024-09-01', 26_000]),
          // baseline 3; 4 = +1 (Nov 1)
          INCAT_TOTAL: series(['2024-01-25', 3], ['2024-08-01', 3], ['2024-11-01', 4]),
        },
        globalStatus: [status('2024-08-01', 'stable'), status('2024-11-01', 'worsened')],
      }),
    );
    // Sep 1 -> Oct 1 = 30 days; Sep 1 -> Nov 1 = 30 + 31 = 61 days
    expect(kinds(result)).toEqual([
      ['antiMagRise', '2024-09-01', 0],
      ['igmRise', '2024-10-01', 30],
      ['clinicalWorsening', '2024-11-01', 61],
    ]);
    expect(result.first).toEqual(['antiMagRise']);
    expect(result.firstDate).toBe('2024-09-01');
    expect(result.signals[2]).toMatchObject({ reasons: ['incat', 'globalStatus'] });
  });

  it('reports the rise against the nadir it was measured from', () => {
    const result = retreatmentSignals(
      patient({ series: { ANTI_MAG: series(['2024-01-25', 40_000], ['2024-05-01', 20_000], ['2024-09-01', 26_000]) } }),
    );
    expect(result.signals[0]).toMatchObject({ nadir: { date: '2024-05-01', value: 20_000 }, value: { value: 26_000 } });
    // (26,000 − 20,000) / 20,000 = 0.3
    expect(result.signals[0]).toMatchObject({ riseFraction: expect.closeTo(0.3, 12) });
  });

  it('names every kind that came first on the same day, in the order IgM, anti-MAG, clinical', () => {
    const result = retreatmentSignals(
      patient({
        series: {
          IGM: series(['2024-01-25', 2.0], ['2024-05-01', 1.0], ['2024-09-01', 1.3]),
          ANTI_MAG: series(['2024-01-25', 40_000], ['2024-05-01', 20_000], ['2024-12-01', 30_000]),
        },
        globalStatus: [status('2024-09-01', 'worsened')],
      }),
    );
    // Sep 1 -> Dec 1 = 30 + 31 + 30 = 91 days
    expect(kinds(result)).toEqual([
      ['igmRise', '2024-09-01', 0],
      ['clinicalWorsening', '2024-09-01', 0],
      ['antiMagRise', '2024-12-01', 91],
    ]);
    expect(result.first).toEqual(['igmRise', 'clinicalWorsening']);
  });

  it('counts a rise of exactly 25%, even where floating point lands a hair below', () => {
    // (0.5 − 0.4) / 0.4 evaluates to 0.24999999999999994
    const result = retreatmentSignals(patient({ series: { IGM: series(['2024-01-25', 2.0], ['2024-05-01', 0.4], ['2024-08-01', 0.5]) } }));
    expect(result.first).toEqual(['igmRise']);
  });

  it('does not count a rise of 24%', () => {
    // 1.00 -> 1.24 = +24%
    const result = retreatmentSignals(patient({ series: { IGM: series(['2024-01-25', 2.0], ['2024-05-01', 1.0], ['2024-08-01', 1.24]) } }));
    expect(result.signals).toEqual([]);
  });

  it('measures from the lowest value so far, not from the baseline', () => {
    // baseline 2.0, nadir 1.0, then 1.3: still below baseline but +30% from the nadir
    const result = retreatmentSignals(patient({ series: { IGM: series(['2024-01-25', 2.0], ['2024-05-01', 1.0], ['2024-08-01', 1.3]) } }));
    expect(result.firstDate).toBe('2024-08-01');
  });

  it('counts a value that never fell, rising 25% above the baseline', () => {
    const result = retreatmentSignals(patient({ series: { IGM: series(['2024-01-25', 2.0], ['2024-05-01', 2.5]) } }));
    expect(result.firstDate).toBe('2024-05-01');
  });

  it('ignores rises before treatment', () => {
    // screening 1.0 -> baseline 1.5 is +50%, but nothing had been given yet
    const result = retreatmentSignals(patient({ series: { IGM: series(['2024-01-10', 1.0], ['2024-01-25', 1.5], ['2024-05-01', 1.6]) } }));
    expect(result.signals).toEqual([]);
  });

  it('takes a value below detection as a nadir through its limit', () => {
    // <0.4 then 0.5: at least (0.5 − 0.4) / 0.4 = 25% above a nadir that was lower still
    const result = retreatmentSignals(
      patient({ series: { IGM: [observation('2024-01-25', 2.0), belowDetection('2024-05-01', 0.4), observation('2024-08-01', 0.5)] } }),
    );
    expect(result.signals[0]).toMatchObject({ kind: 'igmRise', date: '2024-08-01', nadir: { qualifier: '<' } });
  });

  it('never sees a rise in a value below detection', () => {
    // nadir 1,000; "<1,500" may be anything below 1,500
    const result = retreatmentSignals(
      patient({
        series: { ANTI_MAG: [observation('2024-01-25', 9_000), observation('2024-05-01', 1_000), belowDetection('2024-08-01', 1_500)] },
      }),
    );
    expect(result.signals).toEqual([]);
  });

  it('sees a rise in a value above quantification', () => {
    // nadir 20,000; ">70,000" is at least +250%
    const result = retreatmentSignals(
      patient({
        series: {
          ANTI_MAG: [observation('2024-01-25', 40_000), observation('2024-05-01', 20_000), aboveQuantification('2024-08-01', 70_000)],
        },
      }),
    );
    expect(result.signals[0]).toMatchObject({ kind: 'antiMagRise', date: '2024-08-01', riseFraction: 2.5 });
  });

  it('does not take a value above quantification as a nadir', () => {
    // baseline ">10,000" may be 80,000: 13,000 is no rise from it. The nadir starts at 12,000 and
    // 13,000 is +8.3%, so no signal; taking 10,000 as the nadir would have given +30%.
    const result = retreatmentSignals(
      patient({
        series: {
          ANTI_MAG: [aboveQuantification('2024-01-25', 10_000), observation('2024-05-01', 12_000), observation('2024-08-01', 13_000)],
        },
      }),
    );
    expect(result.signals).toEqual([]);
  });

  it('measures INCAT worsening against the pre-treatment baseline, not against the best score', () => {
    // baseline 4, improved to 2, back to 3 (still better than baseline), then 5 (+1 over baseline)
    const result = retreatmentSignals(
      patient({ series: { INCAT_TOTAL: series(['2024-01-25', 4], ['2024-05-01', 2], ['2024-08-01', 3], ['2024-11-01', 5]) } }),
    );
    expect(result.signals).toEqual([expect.objectContaining({ kind: 'clinicalWorsening', date: '2024-11-01', reasons: ['incat'] })]);
  });

  it('counts a global status of worsened on its own', () => {
    const result = retreatmentSignals(patient({ globalStatus: [status('2024-05-01', 'improved'), status('2024-08-01', 'worsened')] }));
    expect(result.signals).toEqual([expect.objectContaining({ kind: 'clinicalWorsening', date: '2024-08-01', reasons: ['globalStatus'] })]);
  });

  it('takes the thresholds as parameters', () => {
    const igm = series(['2024-01-25', 2.0], ['2024-05-01', 1.0], ['2024-08-01', 1.3], ['2024-11-01', 1.6]);
    const incat = series(['2024-01-25', 3], ['2024-08-01', 4], ['2024-11-01', 5]);
    // +30% is not +50%; 1.6 is +60%. INCAT +1 is not +2; 5 is +2.
    const result = retreatmentSignals(patient({ series: { IGM: igm, INCAT_TOTAL: incat } }), { igmRiseFromNadir: 0.5, incatRise: 2 });
    expect(kinds(result)).toEqual([
      ['igmRise', '2024-11-01', 0],
      ['clinicalWorsening', '2024-11-01', 0],
    ]);
  });

  it('has no signals for an untreated patient', () => {
    const result = retreatmentSignals(
      patient({ firstInfusionDate: undefined, series: { IGM: series(['2024-01-25', 1.0], ['2024-05-01', 2.0]) } }),
    );
    expect(result).toEqual({ signals: [], first: [] });
  });

  it('searches only the window asked for', () => {
    const igm = series(['2024-01-25', 2.0], ['2024-05-01', 1.0], ['2024-09-01', 1.5]);
    expect(retreatmentSignals(patient({ series: { IGM: igm } }), {}, { until: '2024-09-01' }).signals).toEqual([]);
    expect(retreatmentSignals(patient({ series: { IGM: igm } }), {}, { until: '2024-09-02' }).firstDate).toBe('2024-09-01');
  });
});

describe('retreatmentSignalsPerCycle', () => {
  const infusions = [
    { date: '2024-02-01', cycle: 1, doseLevelMgPerM2: 375 },
    { date: '2024-02-08', cycle: 1, doseLevelMgPerM2: 375 },
    { date: '2024-10-01', cycle: 2, doseLevelMgPerM2: 750 },
    { date: '2024-10-08', cycle: 2, doseLevelMgPerM2: 750 },
  ];

  it('restarts the nadir at each cycle and keeps clinical worsening against the first baseline', () => {
    const result = retreatmentSignalsPerCycle(
      patient({
        series: {
          // cycle 1: nadir 1.0 (May), 1.3 = +30% (Sep 1). Cycle 2 starts from 1.3 (the value before it):
          // 0.8 (Dec), then 0.9 = +12.5% (no), 1.0 = +25% (2025-04-01)
          IGM: series(
            ['2024-01-25', 2.0],
            ['2024-05-01', 1.0],
            ['2024-09-01', 1.3],
            ['2024-12-01', 0.8],
            ['2025-02-01', 0.9],
            ['2025-04-01', 1.0],
          ),
          // baseline 3 before cycle 1; 4 during cycle 2 is +1 over that baseline
          INCAT_TOTAL: series(['2024-01-25', 3], ['2024-09-01', 3], ['2025-03-01', 4]),
        },
      }),
      infusions,
    );
    expect(result.map((cycle) => [cycle.cycle, cycle.start, cycle.end])).toEqual([
      [1, '2024-02-01', '2024-10-01'],
      [2, '2024-10-01', undefined],
    ]);
    expect(kinds(result[0])).toEqual([['igmRise', '2024-09-01', 0]]);
    // 2025-03-01 -> 2025-04-01 = 31 days
    expect(kinds(result[1])).toEqual([
      ['clinicalWorsening', '2025-03-01', 0],
      ['igmRise', '2025-04-01', 31],
    ]);
  });

  it('has no cycles before the first infusion', () => {
    expect(retreatmentSignalsPerCycle(patient(), [])).toEqual([]);
  });
});
