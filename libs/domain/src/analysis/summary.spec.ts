import { summarize } from './summary';

describe('summarize', () => {
  it('takes the middle value of an odd count', () => {
    // sorted: 10, 20, 30, 40, 90 -> the third is 30; mean = 190 / 5 = 38
    expect(summarize([40, 10, 90, 30, 20])).toMatchObject({ n: 5, median: 30, min: 10, max: 90, mean: 38 });
  });

  it('averages the two middle values of an even count', () => {
    // sorted: -60, -45, -20, 10 -> (-45 + -20) / 2 = -32.5; range -60 .. 10
    expect(summarize([-20, 10, -60, -45])).toMatchObject({ n: 4, median: -32.5, min: -60, max: 10 });
  });

  it('gives the sample standard deviation', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, / (8 − 1) -> sd = √(32/7) ≈ 2.13809
    expect(summarize([2, 4, 4, 4, 5, 5, 7, 9]).sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });

  it('counts censored or missing entries apart instead of summarising them', () => {
    // numbers 5 and 15 -> median 10; two entries without a number
    expect(summarize([5, undefined, 15, undefined])).toEqual({
      n: 2,
      nMissing: 2,
      median: 10,
      min: 5,
      max: 15,
      mean: 10,
      sd: Math.sqrt(50),
    });
  });

  it('has a median and range but no SD for one value', () => {
    expect(summarize([7])).toEqual({ n: 1, nMissing: 0, median: 7, min: 7, max: 7, mean: 7, sd: undefined });
  });

  it('has only counts when nothing is numeric', () => {
    expect(summarize([])).toEqual({ n: 0, nMissing: 0 });
    expect(summarize([undefined])).toEqual({ n: 0, nMissing: 1 });
  });

  it('refuses NaN and infinities, which would poison every statistic', () => {
    expect(() => summarize([1, Number.NaN])).toThrow(RangeError);
    expect(() => summarize([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});
