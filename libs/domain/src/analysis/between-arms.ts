import { jStat } from 'jstat';
import { mean, sampleVariance } from 'simple-statistics';
import { fisherExact } from './fisher-exact';

/**
 * Comparisons between the arms. They exist only after unblinding: the caller decides who may see
 * them; these functions just compute.
 */

export interface ProportionComparison {
  /** respondersA / nA; absent for an empty arm. */
  proportionA?: number;
  proportionB?: number;
  /** proportionA − proportionB. */
  difference?: number;
  /** Two-sided Fisher's exact test. */
  p: number;
}

const requireResponders = (name: string, responders: number, n: number): void => {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n${name} must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(responders) || responders < 0 || responders > n) {
    throw new RangeError(`responders${name} must be an integer from 0 to ${n}, got ${responders}`);
  }
};

/** Responder proportions of two arms and Fisher's exact test of the difference. */
export const compareProportions = (respondersA: number, nA: number, respondersB: number, nB: number): ProportionComparison => {
  requireResponders('A', respondersA, nA);
  requireResponders('B', respondersB, nB);
  const proportionA = nA > 0 ? respondersA / nA : undefined;
  const proportionB = nB > 0 ? respondersB / nB : undefined;
  return {
    proportionA,
    proportionB,
    difference: proportionA !== undefined && proportionB !== undefined ? proportionA - proportionB : undefined,
    p: fisherExact(respondersA, nA - respondersA, respondersB, nB - respondersB),
  };
};

export interface MeanDifferenceInterval {
  /** mean(A) − mean(B). */
  difference: number;
  lower: number;
  upper: number;
  level: number;
  standardError: number;
  /** Welch–Satterthwaite degrees of freedom, usually fractional. */
  df: number;
  method: 'welch';
}

/**
 * Difference of means with a confidence interval by Welch's t (no equal-variance assumption):
 * SE = √(sA²/nA + sB²/nB), df = SE⁴ / ((sA²/nA)²/(nA−1) + (sB²/nB)²/(nB−1)), and the interval
 * difference ± t(1 − (1 − level)/2, df) × SE, the quantile from jstat.
 */
export const meanDifferenceCI = (samplesA: readonly number[], samplesB: readonly number[], level = 0.95): MeanDifferenceInterval => {
  if (samplesA.length < 2 || samplesB.length < 2) throw new RangeError('each arm needs at least two values for a variance');
  if ([...samplesA, ...samplesB].some((x) => !Number.isFinite(x))) throw new RangeError('samples must be finite numbers');
  if (!(level > 0 && level < 1)) throw new RangeError(`level must lie between 0 and 1, got ${level}`);

  const nA = samplesA.length;
  const nB = samplesB.length;
  const varianceOfMeanA = sampleVariance([...samplesA]) / nA;
  const varianceOfMeanB = sampleVariance([...samplesB]) / nB;
  const difference = mean([...samplesA]) - mean([...samplesB]);
  const standardError = Math.sqrt(varianceOfMeanA + varianceOfMeanB);
  if (standardError === 0) {
    // both arms constant: no spread to build an interval from; the difference is then exact
    return { difference, lower: difference, upper: difference, level, standardError, df: nA + nB - 2, method: 'welch' };
  }
  const df = (varianceOfMeanA + varianceOfMeanB) ** 2 / (varianceOfMeanA ** 2 / (nA - 1) + varianceOfMeanB ** 2 / (nB - 1));
  const margin = jStat.studentt.inv(1 - (1 - level) / 2, df) * standardError;
  return { difference, lower: difference - margin, upper: difference + margin, level, standardError, df, method: 'welch' };
};
