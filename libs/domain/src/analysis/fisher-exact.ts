/**
 * Fisher's exact test of a 2×2 table, two-sided. With the margins fixed, the count in the first
 * cell follows a hypergeometric distribution; the p-value sums the probabilities of every table at
 * most as likely as the one observed (the convention of R's fisher.test and SciPy). Neither
 * simple-statistics nor jstat has it, and it is small enough to keep exact here.
 */

/** Tables within this relative distance of the observed probability count as equally likely (R uses the same 1e-7). */
const RELATIVE_TOLERANCE = 1e-7;

const requireCount = (name: string, value: number): void => {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer count, got ${value}`);
};

/** ln(k!) for k = 0..n, summed once per test (tables here are trial-sized). */
const logFactorials = (n: number): Float64Array => {
  const table = new Float64Array(n + 1);
  for (let k = 2; k <= n; k++) table[k] = table[k - 1] + Math.log(k);
  return table;
};

/**
 * Two-sided p-value for the table
 *
 *                 outcome   no outcome
 *     group 1        a          b
 *     group 2        c          d
 */
export const fisherExact = (a: number, b: number, c: number, d: number): number => {
  requireCount('a', a);
  requireCount('b', b);
  requireCount('c', c);
  requireCount('d', d);
  const row1 = a + b;
  const row2 = c + d;
  const col1 = a + c;
  const n = row1 + row2;
  const lf = logFactorials(n);
  const constant = lf[row1] + lf[row2] + lf[col1] + lf[n - col1] - lf[n];
  // P(first cell = x) = C(row1, x) · C(row2, col1 − x) / C(n, col1)
  const logProbability = (x: number) => constant - lf[x] - lf[row1 - x] - lf[col1 - x] - lf[row2 - col1 + x];

  const observed = logProbability(a);
  const cutoff = observed + Math.log1p(RELATIVE_TOLERANCE);
  let p = 0;
  for (let x = Math.max(0, col1 - row2); x <= Math.min(row1, col1); x++) {
    const logP = logProbability(x);
    if (logP <= cutoff) p += Math.exp(logP);
  }
  return Math.min(1, p);
};
