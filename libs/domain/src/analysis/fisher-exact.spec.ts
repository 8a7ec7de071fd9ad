import { fisherExact } from './fisher-exact';

/**
 * An independent check: enumerate every table with the same margins in exact integer arithmetic
 * (BigInt binomials) and sum those no more likely than the observed one, with no floating point
 * and no tolerance.
 */
const binomial = (n: number, k: number): bigint => {
  let result = 1n;
  for (let i = 1; i <= k; i++) result = (result * BigInt(n - k + i)) / BigInt(i);
  return result;
};

const exactTwoSidedP = (a: number, b: number, c: number, d: number): number => {
  const [row1, row2, col1] = [a + b, c + d, a + c];
  // numerator of P(first cell = x); the common denominator C(n, col1) cancels in comparisons
  const weight = (x: number) => binomial(row1, x) * binomial(row2, col1 - x);
  const observed = weight(a);
  let sum = 0n;
  for (let x = Math.max(0, col1 - row2); x <= Math.min(row1, col1); x++) if (weight(x) <= observed) sum += weight(x);
  return Number((sum * 10n ** 15n) / binomial(row1 + row2, col1)) / 1e15;
};

describe('fisherExact (two-sided)', () => {
  it("gives R's 0.4857 for [[3, 1], [1, 3]] (the tea-tasting table)", () => {
    // margins 4/4/4/4: P(x) = C(4,x)·C(4,4−x)/C(8,4) = 1, 16, 36, 16, 1 over 70;
    // tables no likelier than x = 3 (16/70): x = 0, 1, 3, 4 -> (1 + 16 + 16 + 1) / 70 = 34/70
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(34 / 70, 12);
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(0.4857, 4);
  });

  it("gives R's 0.000536 for [[10, 2], [3, 15]]", () => {
    expect(fisherExact(10, 2, 3, 15)).toBeCloseTo(0.0005367241, 10);
    expect(fisherExact(10, 2, 3, 15)).toBeCloseTo(exactTwoSidedP(10, 2, 3, 15), 14);
  });

  it('gives the textbook 0.002759 for [[1, 9], [11, 3]]', () => {
    expect(fisherExact(1, 9, 11, 3)).toBeCloseTo(0.0027594562, 10);
  });

  it('gives 2/252 for a perfect split of ten patients', () => {
    // [[5, 0], [0, 5]]: C(10,5) = 252 tables' worth of weight, only the two perfect splits are as unlikely
    expect(fisherExact(5, 0, 0, 5)).toBeCloseTo(2 / 252, 14);
    expect(fisherExact(0, 5, 5, 0)).toBeCloseTo(2 / 252, 14);
  });

  it('is 1 for identical arms and for a table with an empty margin', () => {
    expect(fisherExact(2, 3, 2, 3)).toBeCloseTo(1, 12);
    expect(fisherExact(0, 0, 3, 4)).toBeCloseTo(1, 12);
    expect(fisherExact(0, 0, 0, 0)).toBeCloseTo(1, 12);
  });

  it('is symmetric: swapping the rows or the columns gives the same p', () => {
    expect(fisherExact(7, 6, 2, 11)).toBeCloseTo(fisherExact(2, 11, 7, 6), 14);
    expect(fisherExact(7, 6, 2, 11)).toBeCloseTo(fisherExact(6, 7, 11, 2), 14);
  });

  it.each([
    [7, 6, 2, 11],
    [9, 4, 3, 10],
    [12, 1, 5, 8],
    [30, 20, 15, 35],
    [0, 13, 4, 9],
    [13, 0, 13, 0],
  ])('agrees with exact enumeration for [[%p, %p], [%p, %p]]', (a, b, c, d) => {
    expect(fisherExact(a, b, c, d)).toBeCloseTo(exactTwoSidedP(a, b, c, d), 12);
  });

  it('counts a table exactly as likely as the observed one even when floating point puts it a hair above (R and SciPy keep a 1e-7 tolerance)', () => {
    // margins 13/13/9/17: weights C(13,x)·C(13,9−x) for x = 0..9 are 715, 16731, 133848, 490776,
    // 920205, 920205, 490776, 133848, 16731, 715 over C(26,9) = 3124550. Observed x = 7 (133848);
    // no likelier: x = 0, 1, 2, 7, 8, 9 -> 2 × (715 + 16731 + 133848) / 3124550 = 0.0968421.
    // x = 2 is exactly as likely as x = 7, but its floating-point logarithm differs in the last bit:
    // without the tolerance it would be dropped and p would be 168740 / 3124550 = 0.0540.
    expect(fisherExact(7, 6, 2, 11)).toBeCloseTo(0.0968421052631579, 12);
  });

  it("gives SciPy's 0.04718 for [[9, 4], [3, 10]]", () => {
    expect(fisherExact(9, 4, 3, 10)).toBeCloseTo(0.04717997038632386, 12);
  });

  it.each([
    [-1, 2, 3, 4],
    [1.5, 2, 3, 4],
    [1, 2, Number.NaN, 4],
  ])('refuses counts that are not non-negative integers (%p, %p, %p, %p)', (a, b, c, d) => {
    expect(() => fisherExact(a, b, c, d)).toThrow(RangeError);
  });
});
