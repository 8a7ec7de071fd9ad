import { Logger } from '@nestjs/common';
import type { Admin, PartitionMetadata } from 'kafkajs';
import type { EventTopicOptions } from './contracts';
import { createKafka, type KafkaClientOptions } from './kafka-client';

export interface EnsureTopicOptions
  extends EventTopicOptions, Partial<Pick<KafkaClientOptions, 'logLevel' | 'retry' | 'connectionTimeout'>> {
  clientId?: string;
}

export interface TopicState {
  /** False when the topic existed already. */
  created: boolean;
  partitions: number;
}

const logger = new Logger('EventTopic');

/** Errors of a topic the answering broker does not know yet, or whose partitions have no leader yet. */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);
/** The broker's error, as kafkajs throws it or as the cause of one it wrapped. */
const isNotYet = (error: unknown): boolean => {
  const { type, cause } = (error ?? {}) as { type?: string; cause?: { type?: string } };
  return NOT_YET.has(type ?? '') || NOT_YET.has(cause?.type ?? '');
};

/**
 * The topic a trial's events travel on: `<trialId>.<topic>` (`KAFKA_TOPIC`, `trial-events` by default), so
 * that several trials can later share a cluster. The default trial, whose stream names carry no trial
 * id (a log from before them), keeps the configured name and with it its consumer groups' offsets.
 */
export const trialTopic = (topic: string, trialId: string | null): string => (trialId === null ? topic : `${trialId}.${topic}`);

/**
 * Runs `attempt` until it stops failing because the broker it asked has not heard of the topic yet (or of a
 * leader for it), every 100 ms for up to `timeoutMs`; any other error, or the same one after the deadline, is
 * thrown. On a KRaft cluster a broker learns of a topic created through another one a moment later, and
 * meanwhile answers "does not host this topic-partition": to the admin client that waits for leaders, and to
 * a consumer subscribing through another broker right after.
 */
export async function whileTopicIsNew<T>(attempt: () => Promise<T>, timeoutMs = 30_000, pauseMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isNotYet(error) || Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

/** The topic's partitions once every one has a leader (a partition without one is the same "not yet" as a broker's answer). */
function partitionsWithLeaders(admin: Admin, topic: string, timeoutMs = 30_000): Promise<PartitionMetadata[]> {
  return whileTopicIsNew(async () => {
    const partitions = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions ?? [];
    if (partitions.length > 0 && partitions.every((partition) => partition.leader >= 0)) return partitions;
    throw Object.assign(new Error(`topic ${topic} still lacks a leader for some partition after ${timeoutMs} ms`), {
      type: 'LEADER_NOT_AVAILABLE',
    });
  }, timeoutMs);
}

/** A topic on a cluster of this many brokers or more is kept on this many of them. */
const REPLICAS = 3;

/**
 * How a new topic keeps acknowledged events through a broker's loss, whatever the cluster's defaults: on a cluster of
 * three brokers or more, three replicas of which two must have an event before it is acknowledged (acks=all), and
 * no out-of-sync replica ever elected leader (it would truncate what the others acknowledged). A smaller cluster
 * keeps a replica per broker and acknowledges once all but one have it.
 */
export function durableTopicSettings(brokers: number): {
  replicationFactor: number;
  configEntries: Array<{ name: string; value: string }>;
} {
  const replicationFactor = Math.max(1, Math.min(REPLICAS, brokers));
  return {
    replicationFactor,
    configEntries: [
      { name: 'min.insync.replicas', value: String(Math.max(1, replicationFactor - 1)) },
      { name: 'unclean.leader.election.enable', value: 'false' },
    ],
  };
}

/**
 * Creates the topic with the configured partition count and durableTopicSettings when it is missing; an existing
 * topic is left as it is, because adding partitions would move keys to other partitions and break one patient's
 * order (a warning says when it is replicated less than a new one would be).
 */
export async function ensureTopic(options: EnsureTopicOptions): Promise<TopicState> {
  const admin = createKafka({
    brokers: options.brokers,
    clientId: options.clientId ?? 'trialstream-topic-admin',
    logLevel: options.logLevel,
    retry: options.retry,
    connectionTimeout: options.connectionTimeout,
  }).admin();
  await admin.connect();
  try {
    const durable = durableTopicSettings((await admin.describeCluster()).brokers.length);
    const created = await admin.createTopics({
      topics: [{ topic: options.topic, numPartitions: options.partitions, ...durable }],
      // kafkajs's own wait gives up when the broker it asks has not heard of the new topic yet (see below).
      waitForLeaders: false,
    });
    const led = await partitionsWithLeaders(admin, options.topic);
    const partitions = led.length;
    const replicas = Math.min(...led.map((partition) => partition.replicas.length));
    if (created) logger.log(`created topic ${options.topic} with ${partitions} partitions, ${replicas} replicas each`);
    else {
      if (partitions !== options.partitions) {
        logger.warn(`topic ${options.topic} has ${partitions} partitions, not the configured ${options.partitions}; left as it is`);
      }
      if (replicas < durable.replicationFactor) {
        logger.warn(
          `topic ${options.topic} has ${replicas} replicas of some partition, fewer than ${durable.replicationFactor}: a broker's loss can lose events`,
        );
      }
    }
    return { created, partitions };
  } finally {
    await admin.disconnect();
  }
}
