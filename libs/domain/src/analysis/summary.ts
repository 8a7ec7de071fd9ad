import { max, mean, median, min, sampleStandardDeviation } from 'simple-statistics';

export interface Summary {
  /** Values summarised. */
  n: number;
  /** Entries without a number (a censored or missing change): counted, never guessed. */
  nMissing: number;
  median?: number;
  min?: number;
  max?: number;
  mean?: number;
  /** Sample standard deviation (n − 1); needs two values. */
  sd?: number;
}

/** Median, range, mean and SD across patients; `undefined` entries are counted as missing. */
export const summarize = (values: readonly (number | undefined)[]): Summary => {
  const numbers = values.filter((value): value is number => value !== undefined);
  if (numbers.some((value) => !Number.isFinite(value))) throw new RangeError('summaries take finite numbers only');
  const nMissing = values.length - numbers.length;
  if (numbers.length === 0) return { n: 0, nMissing };
  return {
    n: numbers.length,
    nMissing,
    median: median(numbers),
    min: min(numbers),
    max: max(numbers),
    mean: mean(numbers),
    sd: numbers.length > 1 ? sampleStandardDeviation(numbers) : undefined,
  };
};
