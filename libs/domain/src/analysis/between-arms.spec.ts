import { compareProportions, meanDifferenceCI } from './between-arms';

describe('compareProportions', () => {
  it('gives both proportions, their difference and the Fisher p-value', () => {
    // rituximab 10/12 responders vs placebo 3/18: 0.8333 − 0.1667 = 0.6667;
    // table [[10, 2], [3, 15]] -> p = 0.000536 (R's fisher.test)
    const result = compareProportions(10, 12, 3, 18);
    expect(result.proportionA).toBeCloseTo(10 / 12, 12);
    expect(result.proportionB).toBeCloseTo(3 / 18, 12);
    expect(result.difference).toBeCloseTo(10 / 12 - 3 / 18, 12);
    expect(result.p).toBeCloseTo(0.0005367241, 10);
  });

  it('compares the first trial’s size, 13 vs 13', () => {
    // 7/13 vs 2/13: difference 5/13 = 0.3846; table [[7, 6], [2, 11]] -> p = 0.0968 (SciPy 0.09684210526)
    const result = compareProportions(7, 13, 2, 13);
    expect(result.difference).toBeCloseTo(5 / 13, 12);
    expect(result.p).toBeCloseTo(0.0968421052631579, 10);
  });

  it('has no proportion for an empty arm, and a p of 1', () => {
    expect(compareProportions(0, 0, 3, 5)).toEqual({ proportionA: undefined, proportionB: 0.6, difference: undefined, p: 1 });
  });

  it.each([
    [5, 4, 1, 4],
    [-1, 4, 1, 4],
    [1, 4, 1.5, 4],
    [1, -4, 1, 4],
  ])('refuses impossible counts (%p of %p vs %p of %p)', (ra, na, rb, nb) => {
    expect(() => compareProportions(ra, na, rb, nb)).toThrow(RangeError);
  });
});

describe('meanDifferenceCI (Welch)', () => {
  it('matches a hand computation with equal spreads', () => {
    // A = 1..5: mean 3, s² = (4+1+0+1+4)/4 = 2.5; B = 3..7: mean 5, s² = 2.5
    // SE = √(2.5/5 + 2.5/5) = 1; df = (0.5 + 0.5)² / (0.5²/4 + 0.5²/4) = 1 / 0.125 = 8
    // t(0.975, 8) = 2.306004 (t table) -> −2 ± 2.306004 = [−4.306004, 0.306004]
    const result = meanDifferenceCI([1, 2, 3, 4, 5], [3, 4, 5, 6, 7]);
    expect(result.difference).toBe(-2);
    expect(result.standardError).toBeCloseTo(1, 12);
    expect(result.df).toBeCloseTo(8, 12);
    expect(result.lower).toBeCloseTo(-4.306004, 6);
    expect(result.upper).toBeCloseTo(0.306004, 6);
    expect(result).toMatchObject({ level: 0.95, method: 'welch' });
  });

  it('matches a hand computation with unequal spreads and fractional degrees of freedom', () => {
    // A = 10, 12, 14: mean 12, s² = (4+0+4)/2 = 4, s²/n = 4/3
    // B = 20..24: mean 22, s² = 2.5, s²/n = 0.5
    // SE = √(4/3 + 1/2) = √(11/6) = 1.354006
    // df = (11/6)² / ((4/3)²/2 + (1/2)²/4) = (121/36) / (137/144) = 484/137 = 3.532847
    // t(0.975, 3.532847) = 2.927405 (SciPy) -> −10 ± 2.927405 × 1.354006 = −10 ± 3.963726
    const result = meanDifferenceCI([10, 12, 14], [20, 21, 22, 23, 24]);
    expect(result.difference).toBe(-10);
    expect(result.standardError).toBeCloseTo(Math.sqrt(11 / 6), 12);
    expect(result.df).toBeCloseTo(484 / 137, 12);
    expect(result.lower).toBeCloseTo(-13.963726, 5);
    expect(result.upper).toBeCloseTo(-6.036274, 5);
  });

  it('narrows the interval for a lower confidence level', () => {
    // A: mean −2, s² = 2, s²/n = 1/3; B: mean 0.5, s² = 6/7, s²/n = 3/28
    // SE = √(1/3 + 3/28) = 0.663684, df = 8.130833; t(0.95, 8.13) = 1.855676 (SciPy)
    // −2.5 ± 1.231582 = [−3.731582, −1.268418]
    const result = meanDifferenceCI([-1, -3, -2, -4, 0, -2], [0, 1, -1, 2, 0, 1, 1, 0], 0.9);
    expect(result.difference).toBe(-2.5);
    expect(result.lower).toBeCloseTo(-3.731582, 5);
    expect(result.upper).toBeCloseTo(-1.268418, 5);
    const wider = meanDifferenceCI([-1, -3, -2, -4, 0, -2], [0, 1, -1, 2, 0, 1, 1, 0]);
    expect(wider.upper - wider.lower).toBeGreaterThan(result.upper - result.lower);
  });

  it('is the exact difference when neither arm varies', () => {
    expect(meanDifferenceCI([2, 2, 2], [1, 1])).toMatchObject({ difference: 1, lower: 1, upper: 1, standardError: 0 });
  });

  it('refuses an arm of fewer than two values, a non-number and a level outside (0, 1)', () => {
    expect(() => meanDifferenceCI([1], [1, 2])).toThrow(RangeError);
    expect(() => meanDifferenceCI([1, Number.NaN], [1, 2])).toThrow(RangeError);
    expect(() => meanDifferenceCI([1, 2], [1, 2], 1)).toThrow(RangeError);
    expect(() => meanDifferenceCI([1, 2], [1, 2], 0)).toThrow(RangeError);
  });
});
