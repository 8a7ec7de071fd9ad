/**
 * The partition a key lands on among `partitions`: the Java client's murmur2 partitioning (kafkajs's
 * DefaultPartitioner computes the same), so any Kafka client finds a stream's partition from its key. For a keyed
 * message it depends on the partition count alone, not on which partitions have a leader.
 */
export function partitionOf(key: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`a topic has at least one partition, not ${partitions}`);
  return (murmur2(utf8Of(key)) & 0x7fffffff) % partitions;
}

const M = 0x5bd1e995;

/**
 * The Java client's Utils.murmur2 in 32-bit integer arithmetic (Math.imul keeps the low 32 bits of a product, as Java's
 * int multiplication does); kafkajs computes the same with 64-bit Long objects, several per byte quadruple.
 */
function murmur2({ bytes, length }: { bytes: Uint8Array; length: number }): number {
  let h = 0x9747b28c ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & 3;
  if (tail > 0) {
    if (tail === 3) h ^= bytes[whole + 2] << 16;
    if (tail >= 2) h ^= bytes[whole + 1] << 8;
    h ^= bytes[whole];
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h;
}

/** The key's UTF-8 bytes in a buffer reused from key to key (a stream id is short; a longer key grows it). */
let scratch = Buffer.alloc(256);
function utf8Of(key: string): { bytes: Uint8Array; length: number } {
  if (key.length * 3 > scratch.length) scratch = Buffer.alloc(key.length * 3);
  return { bytes: scratch, length: scratch.write(key, 0, 'utf8') };
}
