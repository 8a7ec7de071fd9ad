import { Partitioners, type PartitionMetadata } from 'kafkajs';

const murmur2 = Partitioners.DefaultPartitioner();

/**
 * The partition a key lands on among `partitions`: the Java client's murmur2 partitioning (kafkajs's
 * DefaultPartitioner), so any Kafka client finds a stream's partition from its key. For a keyed message it depends on
 * the partition count alone, not on which partitions have a leader.
 */
export function partitionOf(key: string, partitions: number): number {
  return murmur2({ topic: '', partitionMetadata: metadataOf(partitions), message: { key, value: null } });
}

/** Stand-in metadata of a topic with that many partitions: all the partitioner reads of it for a key is its length. */
const metadataByCount = new Map<number, PartitionMetadata[]>();
function metadataOf(partitions: number): PartitionMetadata[] {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`a topic has at least one partition, not ${partitions}`);
  let metadata = metadataByCount.get(partitions);
  if (!metadata) {
    metadata = Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId,
      partitionErrorCode: 0,
      leader: -1,
      replicas: [],
      isr: [],
    }));
    metadataByCount.set(partitions, metadata);
  }
  return metadata;
}
