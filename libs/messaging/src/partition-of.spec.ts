import { partitionOf } from './partition-of';

describe('the partition of a stream', () => {
  // murmur2 of the UTF-8 key, sign bit cleared, modulo the partition count: values from an implementation of the
  // Java client's Utils.murmur2 written apart from kafkajs.
  it.each([
    ['patient-S01-0001', 6, 0],
    ['patient-S01-0002', 6, 1],
    ['site-S01', 12, 6],
    ['foobar', 12, 6],
    ['21', 12, 0],
  ])('puts %s in partition %i of %i as the Java client does', (key, partitions, expected) => {
    expect(partitionOf(key, partitions)).toBe(expected);
  });

  it('refuses a partition count no topic has', () => {
    expect(() => partitionOf('site-S01', 0)).toThrow(RangeError);
  });
});
