import { Partitioners, type PartitionMetadata } from 'kafkajs';
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

  it("agrees with kafkajs's DefaultPartitioner on keys of every length, in any script, for any partition count", () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    const metadata = (count: number): PartitionMetadata[] =>
      Array.from({ length: count }, (_, partitionId) => ({ partitionId, partitionErrorCode: 0, leader: 1, replicas: [], isr: [] }));
    const alphabet = ['a', 'Z', '7', '-', 'é', 'ß', '€', '漢', '𝄞', '\u0000', '\ud800'];
    for (let length = 0; length < 70; length++) {
      for (const partitions of [1, 2, 3, 7, 12, 64, 1000]) {
        const key = Array.from({ length }, (_, i) => alphabet[(i * 7 + length + partitions) % alphabet.length]).join('');
        expect([key, partitionOf(key, partitions)]).toEqual([
          key,
          kafkajs({ topic: 't', partitionMetadata: metadata(partitions), message: { key, value: null } }),
        ]);
      }
    }
  });

  it('refuses a partition count no topic has', () => {
    expect(() => partitionOf('site-S01', 0)).toThrow(RangeError);
  });
});
