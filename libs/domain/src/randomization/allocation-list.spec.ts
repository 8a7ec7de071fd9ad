import { AllocationKit, AllocationListSpec, armOfKit, generateAllocationList, nextKit } from './allocation-list';

const spec = (overrides: Partial<AllocationListSpec> = {}): AllocationListSpec => ({
  seed: 'anti-mag-2024',
  strata: ['ZH01', 'BE02'],
  blockSizes: [4, 6],
  kitsPerStratum: 20,
  ...overrides,
});

const kitsOf = (list: readonly AllocationKit[], stratum: string) => list.filter((kit) => kit.stratum === stratum);

const blocksOf = (kits: readonly AllocationKit[]): AllocationKit[][] => {
  const blocks = new Map<number, AllocationKit[]>();
  for (const kit of kits) blocks.set(kit.blockNumber, [...(blocks.get(kit.blockNumber) ?? []), kit]);
  return [...blocks.values()];
};

const count = (kits: readonly AllocationKit[], arm: string) => kits.filter((kit) => kit.arm === arm).length;

describe('generateAllocationList', () => {
  it('gives every stratum the requested number of kits, balanced 1:1', () => {
    const list = generateAllocationList(spec());
    expect(list).toHaveLength(40);
    for (const stratum of ['ZH01', 'BE02']) {
      const kits = kitsOf(list, stratum);
      expect(kits).toHaveLength(20);
      expect(count(kits, 'rituximab')).toBe(10);
      expect(count(kits, 'placebo')).toBe(10);
    }
  });

  it('balances every block and uses only the allowed block sizes, numbered 1, 2, 3… per stratum', () => {
    const list = generateAllocationList(spec({ seed: 'blocks', kitsPerStratum: 60 }));
    for (const stratum of ['ZH01', 'BE02']) {
      const blocks = blocksOf(kitsOf(list, stratum));
      expect(blocks.map((block) => block[0].blockNumber)).toEqual(blocks.map((_, index) => index + 1));
      for (const block of blocks) {
        expect([4, 6]).toContain(block.length);
        expect(count(block, 'rituximab')).toBe(block.length / 2);
      }
    }
  });

  it('draws both block sizes, so the end of a block cannot be predicted', () => {
    const list = generateAllocationList(spec({ seed: 'sizes', kitsPerStratum: 120 }));
    const sizes = new Set(blocksOf(kitsOf(list, 'ZH01')).map((block) => block.length));
    expect(sizes).toEqual(new Set([4, 6]));
  });

  it('permutes within blocks: not every block starts with the same arm', () => {
    const blocks = blocksOf(kitsOf(generateAllocationList(spec({ kitsPerStratum: 60 })), 'ZH01'));
    expect(new Set(blocks.map((block) => block[0].arm)).size).toBe(2);
  });

  it('reproduces the same list from the same seed', () => {
    expect(generateAllocationList(spec())).toEqual(generateAllocationList(spec()));
  });

  it('gives another allocation for another seed', () => {
    const arms = (list: AllocationKit[]) => list.map((kit) => kit.arm);
    expect(arms(generateAllocationList(spec({ seed: 'other' })))).not.toEqual(arms(generateAllocationList(spec())));
  });

  it('keeps the list of an existing trial: the seed anti-mag-2024 still gives the arms it gave when the list was fixed', () => {
    // A changed algorithm would silently change the allocation of a trial whose list is regenerated
    // from its seed; this pins the sequence.
    const list = generateAllocationList(spec({ strata: ['ZH01'], kitsPerStratum: 10 }));
    expect(list.map((kit) => `${kit.blockNumber}${kit.arm[0]}`)).toEqual(PINNED_ZH01_SEQUENCE);
    expect(list.map((kit) => kit.kitNumber)).toEqual(PINNED_ZH01_KIT_NUMBERS);
  });

  it('keeps a stratum’s arms when another stratum is added', () => {
    const before = kitsOf(generateAllocationList(spec({ strata: ['ZH01'] })), 'ZH01');
    const after = kitsOf(generateAllocationList(spec({ strata: ['ZH01', 'GE03'] })), 'ZH01');
    expect(after.map((kit) => [kit.blockNumber, kit.arm])).toEqual(before.map((kit) => [kit.blockNumber, kit.arm]));
  });

  it('numbers kits uniquely with six digits, across strata', () => {
    const list = generateAllocationList(spec({ strata: ['A', 'B', 'C', 'D'], kitsPerStratum: 100 }));
    expect(new Set(list.map((kit) => kit.kitNumber)).size).toBe(list.length);
    for (const kit of list) expect(kit.kitNumber).toMatch(/^[1-9]\d{5}$/);
  });

  it('draws kit numbers independently of the arms: swapping the arms changes the allocation, not the numbers', () => {
    const usual = generateAllocationList(spec());
    const swapped = generateAllocationList(spec({ arms: ['placebo', 'rituximab'] }));
    expect(swapped.map((kit) => kit.kitNumber)).toEqual(usual.map((kit) => kit.kitNumber));
    expect(swapped.map((kit) => kit.arm)).not.toEqual(usual.map((kit) => kit.arm));
  });

  it('does not list kit numbers in a telling order: they are not ascending within a block', () => {
    const list = generateAllocationList(spec({ kitsPerStratum: 60 }));
    const ascendingBlocks = blocksOf(kitsOf(list, 'ZH01')).filter((block) =>
      block.every((kit, i) => i === 0 || Number(kit.kitNumber) > Number(block[i - 1].kitNumber)),
    );
    expect(ascendingBlocks.length).toBeLessThan(blocksOf(kitsOf(list, 'ZH01')).length);
  });

  it.each([
    // 10 = 4 + 6 or 6 + 4: reachable as asked
    [10, [4, 6], 10],
    // 2 is smaller than any block: one block of 4
    [2, [4, 6], 4],
    // 13 is odd: 14 = 4 + 4 + 6
    [13, [4, 6], 14],
    // blocks of 6 only: 8 rounds up to 12
    [8, [6], 12],
  ])('rounds %p kits with blocks %p up to %p, never cutting a block', (asked, blockSizes, expected) => {
    const kits = generateAllocationList(spec({ strata: ['ZH01'], kitsPerStratum: asked, blockSizes }));
    expect(kits).toHaveLength(expected);
    for (const block of blocksOf(kits)) expect(count(block, 'rituximab')).toBe(block.length / 2);
  });

  it('allocates three arms in equal numbers when blocks are multiples of three', () => {
    const kits = generateAllocationList(
      spec({ strata: ['ZH01'], arms: ['low', 'high', 'placebo'], blockSizes: [3, 6], kitsPerStratum: 30 }),
    );
    expect([count(kits, 'low'), count(kits, 'high'), count(kits, 'placebo')]).toEqual([10, 10, 10]);
  });

  it.each<[string, Partial<AllocationListSpec>]>([
    ['a block size that is not a multiple of the arms', { blockSizes: [4, 5] }],
    ['no block sizes', { blockSizes: [] }],
    ['a fractional block size', { blockSizes: [2.5] }],
    ['no strata', { strata: [] }],
    ['a repeated stratum', { strata: ['ZH01', 'ZH01'] }],
    ['an empty stratum name', { strata: [' '] }],
    ['a single arm', { arms: ['rituximab'] }],
    ['repeated arms', { arms: ['placebo', 'placebo'] }],
    ['zero kits', { kitsPerStratum: 0 }],
    ['an empty seed', { seed: '' }],
    ['more kits than six-digit numbers can keep apart', { kitsPerStratum: 50_000 }],
  ])('refuses %s', (_, overrides) => {
    expect(() => generateAllocationList(spec(overrides))).toThrow(RangeError);
  });
});

describe('nextKit', () => {
  const list = generateAllocationList(spec({ kitsPerStratum: 4, blockSizes: [4] }));
  const zurich = kitsOf(list, 'ZH01');

  it('dispenses the first unused kit of the stratum, in list order', () => {
    expect(nextKit(list, [], 'ZH01')).toEqual(zurich[0]);
    expect(nextKit(list, [zurich[0].kitNumber], 'ZH01')).toEqual(zurich[1]);
    expect(nextKit(list, new Set([zurich[0].kitNumber, zurich[2].kitNumber]), 'ZH01')).toEqual(zurich[1]);
  });

  it('ignores kits used in other strata', () => {
    const bern = kitsOf(list, 'BE02');
    expect(
      nextKit(
        list,
        bern.map((kit) => kit.kitNumber),
        'ZH01',
      ),
    ).toEqual(zurich[0]);
  });

  it('returns nothing once the stratum is exhausted, or for an unknown stratum', () => {
    expect(
      nextKit(
        list,
        zurich.map((kit) => kit.kitNumber),
        'ZH01',
      ),
    ).toBeUndefined();
    expect(nextKit(list, [], 'XX99')).toBeUndefined();
  });
});

describe('armOfKit', () => {
  it('breaks the code of one kit, and knows nothing of a kit not on the list', () => {
    const list = generateAllocationList(spec());
    expect(armOfKit(list, list[3].kitNumber)).toBe(list[3].arm);
    expect(armOfKit(list, '000000')).toBeUndefined();
  });
});

// block number and first letter of the arm (r = rituximab, p = placebo): a block of 4, then one of 6
const PINNED_ZH01_SEQUENCE = ['1r', '1p', '1p', '1r', '2r', '2r', '2p', '2r', '2p', '2p'];
const PINNED_ZH01_KIT_NUMBERS = ['336170', '739944', '557293', '287845', '301805', '175221', '448055', '273139', '724710', '787699'];
