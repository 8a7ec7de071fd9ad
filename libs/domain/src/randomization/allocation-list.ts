import { RandomSource, randomInt, seededRandom, shuffled } from './seeded-random';

/**
 * The allocation list: which kit holds which arm. It is the one secret of a blinded trial, kept
 * apart from the event flow and readable by unblinded roles only; sites and blinded roles see kit
 * numbers and strata, never an arm.
 */

export const DEFAULT_ARMS = ['rituximab', 'placebo'] as const;

export interface AllocationKit {
  kitNumber: string;
  stratum: string;
  /** 1-based within the stratum. */
  blockNumber: number;
  arm: string;
}

export interface AllocationListSpec {
  /** Reproduces the list: the same spec always gives the same kits, on any machine. */
  seed: string | number;
  /** Usually one per site. */
  strata: readonly string[];
  /** Each block size is drawn at random from these; each must be a multiple of the number of arms. */
  blockSizes: readonly number[];
  /** Rounded up, when needed, to the next total that complete blocks can make (see generateAllocationList). */
  kitsPerStratum: number;
  arms?: readonly string[];
}

/** Kit numbers are six digits: enough room that random draws rarely collide and never hint at order or arm. */
const KIT_NUMBER_MIN = 100_000;
const KIT_NUMBER_SPAN = 900_000;
/** Keeps redraws on collision rare. */
const MAX_KITS = KIT_NUMBER_SPAN / 10;

const requirePositiveInteger = (name: string, value: number): void => {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
};

const requireDistinctNonEmpty = (name: string, values: readonly string[], minimum: number): void => {
  if (values.length < minimum) throw new RangeError(`${name} needs at least ${minimum} entries`);
  if (values.some((value) => value.trim() === '')) throw new RangeError(`${name} may not contain empty names`);
  if (new Set(values).size !== values.length) throw new RangeError(`${name} must be distinct`);
};

const validateSpec = (spec: AllocationListSpec, arms: readonly string[]): void => {
  if (String(spec.seed).trim() === '') throw new RangeError('seed must not be empty');
  requireDistinctNonEmpty('arms', arms, 2);
  requireDistinctNonEmpty('strata', spec.strata, 1);
  requirePositiveInteger('kitsPerStratum', spec.kitsPerStratum);
  if (spec.blockSizes.length === 0) throw new RangeError('blockSizes needs at least one size');
  for (const size of spec.blockSizes) {
    requirePositiveInteger('block size', size);
    if (size % arms.length !== 0) {
      throw new RangeError(`block size ${size} cannot hold ${arms.length} arms in equal numbers`);
    }
  }
};

/** reachable[t]: whether t kits can be made of complete blocks of the given sizes (coin change). */
const reachableTotals = (sizes: readonly number[], upTo: number): boolean[] => {
  const reachable = new Array<boolean>(upTo + 1).fill(false);
  reachable[0] = true;
  for (let total = 1; total <= upTo; total++) reachable[total] = sizes.some((s) => s <= total && reachable[total - s]);
  return reachable;
};

/**
 * Block sizes for one stratum: each drawn at random among the sizes that still let complete blocks
 * fill the stratum exactly, so no block is cut short and every block stays balanced.
 */
const drawBlockSizes = (sizes: readonly number[], total: number, reachable: boolean[], random: RandomSource): number[] => {
  const blocks: number[] = [];
  for (let remaining = total; remaining > 0;) {
    const fitting = sizes.filter((size) => size <= remaining && reachable[remaining - size]);
    const size = fitting[randomInt(random, fitting.length)];
    blocks.push(size);
    remaining -= size;
  }
  return blocks;
};

/** Six-digit kit numbers, unique across the list, drawn from their own stream so they carry nothing of the arm. */
const drawKitNumbers = (count: number, random: RandomSource): string[] => {
  const taken = new Set<number>();
  const numbers: string[] = [];
  while (numbers.length < count) {
    const candidate = KIT_NUMBER_MIN + randomInt(random, KIT_NUMBER_SPAN);
    if (taken.has(candidate)) continue;
    taken.add(candidate);
    numbers.push(String(candidate));
  }
  return numbers;
};

/**
 * A 1:1 (equal allocation) list in permuted blocks per stratum. Each stratum draws its blocks from
 * its own stream, seeded by the seed and the stratum's name, so adding a stratum later leaves the
 * arms of the existing strata as they were. kitsPerStratum is rounded up to the smallest total that
 * complete blocks can make (with sizes [4, 6], 10 stays 10 but 2 becomes 4), because a cut block is
 * an unbalanced one. Kit numbers depend on the seed and on the number and order of all kits.
 */
export const generateAllocationList = (spec: AllocationListSpec): AllocationKit[] => {
  const arms = spec.arms ?? DEFAULT_ARMS;
  validateSpec(spec, arms);
  if (spec.strata.length * spec.kitsPerStratum > MAX_KITS) {
    throw new RangeError(`at most ${MAX_KITS} kits fit the six-digit kit numbers`);
  }

  const sizes = [...new Set(spec.blockSizes)].sort((a, b) => a - b);
  const reachable = reachableTotals(sizes, spec.kitsPerStratum + sizes[sizes.length - 1]);
  let perStratum = spec.kitsPerStratum;
  while (!reachable[perStratum]) perStratum++;

  const allocations: Omit<AllocationKit, 'kitNumber'>[] = [];
  for (const stratum of spec.strata) {
    const random = seededRandom(`${spec.seed}\u0000stratum\u0000${stratum}`);
    drawBlockSizes(sizes, perStratum, reachable, random).forEach((size, index) => {
      const block = arms.flatMap((arm) => new Array<string>(size / arms.length).fill(arm));
      for (const arm of shuffled(block, random)) allocations.push({ stratum, blockNumber: index + 1, arm });
    });
  }

  const kitNumbers = drawKitNumbers(allocations.length, seededRandom(`${spec.seed}\u0000kit-numbers`));
  return allocations.map((allocation, index) => ({ kitNumber: kitNumbers[index], ...allocation }));
};

/**
 * The kit to dispense next in a stratum: the first of the stratum, in list order, not yet used.
 * Undefined when the stratum is unknown or exhausted. The result carries the arm: hand only its
 * kit number to anyone blinded.
 */
export const nextKit = (list: readonly AllocationKit[], usedKitNumbers: Iterable<string>, stratum: string): AllocationKit | undefined => {
  const used = usedKitNumbers instanceof Set ? (usedKitNumbers as ReadonlySet<string>) : new Set(usedKitNumbers);
  return list.find((kit) => kit.stratum === stratum && !used.has(kit.kitNumber));
};

/** The arm behind a kit (code-break, unblinding); undefined for a kit not on the list. */
export const armOfKit = (list: readonly AllocationKit[], kitNumber: string): string | undefined =>
  list.find((kit) => kit.kitNumber === kitNumber)?.arm;
