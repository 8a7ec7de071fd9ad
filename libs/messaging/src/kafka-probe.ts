import { createKafka } from './kafka-client';

/**
 * Asks the cluster for its brokers with no retries, for readiness checks: a broker that is down answers
 * within `timeoutMs` as an error instead of after the client's half-minute of retries.
 */
export async function probeKafka(brokers: string[], timeoutMs: number): Promise<{ brokers: number; controller: number | null }> {
  const admin = createKafka({
    brokers,
    clientId: 'trialstream-readiness',
    logLevel: 'error',
    retry: { retries: 0 },
    connectionTimeout: timeoutMs,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { brokers: cluster.brokers.length, controller: cluster.controller };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Messages of `topic` that the consumer group has not committed yet, summed over partitions (its consumer lag). */
export async function consumerGroupLag(brokers: string[], groupId: string, topic: string, timeoutMs: number): Promise<number> {
  // A few quick retries: finding the group's coordinator needs a metadata refresh first.
  const retry = { retries: 2, initialRetryTime: 100, maxRetryTime: 500 };
  const admin = createKafka({ brokers, clientId: 'trialstream-metrics', logLevel: 'error', retry, connectionTimeout: timeoutMs }).admin();
  try {
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committedBy = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
    return ends.reduce((lag, end) => {
      const at = committedBy.get(end.partition) ?? -1;
      // -1: nothing committed yet; the group starts from the low watermark.
      return lag + Math.max(0, Number(end.high) - (at < 0 ? Number(end.low) : at));
    }, 0);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
