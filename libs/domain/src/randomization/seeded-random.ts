/**
 * A small seeded pseudo-random generator for allocation lists. Reproducibility is the point: the
 * same seed must give the same list on any machine and any future version, so the algorithm is
 * fixed here (FNV-1a to turn the seed into 32 bits, then mulberry32) rather than borrowed from a
 * library whose output could change with an upgrade. Not for cryptography: concealment rests on the
 * list being kept apart, not on the seed being unguessable.
 */

export type RandomSource = () => number;

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-8 bytes of the text, as an unsigned 32-bit integer. */
export const fnv1a32 = (text: string): number => {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
};

/** mulberry32: a 32-bit state generator with a full 2^32 period; returns floats in [0, 1). */
export const mulberry32 = (seed: number): RandomSource => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** A generator for a seed given as text (numbers are hashed through their decimal form, so 42 and '42' agree). */
export const seededRandom = (seed: string | number): RandomSource => mulberry32(fnv1a32(String(seed)));

/** An integer in [0, maxExclusive). */
export const randomInt = (random: RandomSource, maxExclusive: number): number => {
  if (!Number.isInteger(maxExclusive) || maxExclusive < 1) {
    throw new RangeError(`maxExclusive must be a positive integer, got ${maxExclusive}`);
  }
  return Math.floor(random() * maxExclusive);
};

/** A Fisher–Yates shuffle of a copy: every order equally likely for a uniform source. */
export const shuffled = <T>(items: readonly T[], random: RandomSource): T[] => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
};
