import { CoalescedReads } from './coalesced-reads';

/** A read whose answer the test releases, recording the keys of each read. */
function controlledRead() {
  const reads: string[][] = [];
  const pending: Array<() => void> = [];
  const table = new Map([
    ['a', 1],
    ['b', 2],
  ]);
  const read = (keys: string[]) =>
    new Promise<Map<string, number>>((resolve) => {
      reads.push(keys);
      // What the table holds when the read is sent.
      const found = new Map(keys.filter((key) => table.has(key)).map((key) => [key, table.get(key)!]));
      pending.push(() => resolve(found));
    });
  const settle = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { reads, read, table, settle };
}

describe('CoalescedReads', () => {
  it('reads the keys asked for in the same turn in one read, each once, and answers every lookup', async () => {
    const { reads, read, settle } = controlledRead();
    const lookups = new CoalescedReads(read);
    const answers = Promise.all([lookups.get('a'), lookups.get('b'), lookups.get('a'), lookups.get('z')]);
    await settle();
    expect(await answers).toEqual([1, 2, 1, undefined]);
    expect(reads).toEqual([['a', 'b', 'z']]);
  });

  it('answers a lookup made while a read runs with the next read, which sees what changed meanwhile', async () => {
    const { reads, read, table, settle } = controlledRead();
    const lookups = new CoalescedReads(read);
    const first = lookups.get('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toEqual([['a']]);
    table.delete('a');
    const second = lookups.get('a');
    await settle();
    expect(await first).toBe(1);
    await settle();
    expect(await second).toBeUndefined();
    expect(reads).toEqual([['a'], ['a']]);
  });

  it('fails every lookup of a failed read, and reads again for later lookups', async () => {
    let fail = true;
    const lookups = new CoalescedReads(async (keys) => {
      if (fail) throw new Error('database unavailable');
      return new Map(keys.map((key) => [key, key.length]));
    });
    await expect(Promise.all([lookups.get('a'), lookups.get('bb')])).rejects.toThrow('database unavailable');
    fail = false;
    await expect(lookups.get('bb')).resolves.toBe(2);
  });
});
