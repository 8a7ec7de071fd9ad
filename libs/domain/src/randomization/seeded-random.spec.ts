import { fnv1a32, mulberry32, randomInt, seededRandom, shuffled } from './seeded-random';

const draws = (random: () => number, count: number): number[] => Array.from({ length: count }, () => random());

describe('fnv1a32', () => {
  // published FNV-1a 32-bit test vectors
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('hashes %p to the published value', (text, expected) => {
    expect(fnv1a32(text)).toBe(expected);
  });

  it('hashes the UTF-8 bytes of non-ASCII text (checked against an independent Python implementation)', () => {
    expect(fnv1a32('Zürich')).toBe(0xd7007f20);
  });
});

describe('mulberry32', () => {
  it('produces the reference sequence (checked against an independent Python implementation)', () => {
    expect(draws(mulberry32(0), 3)).toEqual([0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]);
  });

  it('stays in [0, 1) and fills ten equal buckets evenly (chi-square far below the 0.1% critical value 27.88)', () => {
    const random = mulberry32(12345);
    const values = draws(random, 100_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const buckets = new Array<number>(10).fill(0);
    for (const x of values) buckets[Math.floor(x * 10)]++;
    const chiSquare = buckets.reduce((sum, observed) => sum + (observed - 10_000) ** 2 / 10_000, 0);
    expect(chiSquare).toBeLessThan(27.88);
  });
});

describe('seededRandom', () => {
  it('repeats the same sequence for the same seed', () => {
    expect(draws(seededRandom('anti-mag-2024'), 20)).toEqual(draws(seededRandom('anti-mag-2024'), 20));
  });

  it('gives another sequence for another seed', () => {
    expect(draws(seededRandom('anti-mag-2024'), 5)).not.toEqual(draws(seededRandom('anti-mag-2025'), 5));
  });

  it('treats a numeric seed like its decimal text', () => {
    expect(draws(seededRandom(42), 3)).toEqual(draws(seededRandom('42'), 3));
    expect(draws(seededRandom(42), 3)).toEqual([0.3077305785845965, 0.3676118436269462, 0.23133554426021874]);
  });
});

describe('randomInt', () => {
  it('draws every integer of the range and nothing outside it', () => {
    const random = seededRandom('dice');
    const seen = new Set(Array.from({ length: 600 }, () => randomInt(random, 6)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it.each([0, -1, 2.5, Number.NaN])('refuses an empty or fractional range (%p)', (max) => {
    expect(() => randomInt(seededRandom(1), max)).toThrow(RangeError);
  });
});

describe('shuffled', () => {
  it('returns a permutation and leaves the input untouched', () => {
    const input = [1, 2, 3, 4, 5, 6, 7, 8];
    const result = shuffled(input, seededRandom('shuffle'));
    expect(input).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...result].sort((a, b) => a - b)).toEqual(input);
    expect(result).not.toEqual(input);
  });

  it('makes all six orders of three items about equally likely', () => {
    const random = seededRandom('orders');
    const counts = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const key = shuffled(['a', 'b', 'c'], random).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const count of counts.values()) expect(Math.abs(count - 10_000)).toBeLessThan(400);
  });
});
