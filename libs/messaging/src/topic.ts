import { Logger } from '@nestjs/common';
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

/**
 * The topic a trial's events travel on: `<trialId>.<topic>` (`KAFKA_TOPIC`, `trial-events` by default), so
 * that several trials can later share a cluster. The default trial, whose stream names carry no trial
 * id (a log from before them), keeps the configured name and with it its consumer groups' offsets.
 */
export const trialTopic = (topic: string, trialId: string | null): string => (trialId === null ? topic : `${trialId}.${topic}`);

/**
 * Creates the topic with the configured partition count when it is missing; an existing topic is left as it is,
 * because adding partitions would move keys to other partitions and break one patient's order.
 * The replication factor is the cluster's default.
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
    const created = await admin.createTopics({
      topics: [{ topic: options.topic, numPartitions: options.partitions }],
      waitForLeaders: true,
    });
    const metadata = await admin.fetchTopicMetadata({ topics: [options.topic] });
    const partitions = metadata.topics[0]?.partitions.length ?? 0;
    if (created) logger.log(`created topic ${options.topic} with ${partitions} partitions`);
    else if (partitions !== options.partitions) {
      logger.warn(`topic ${options.topic} has ${partitions} partitions, not the configured ${options.partitions}; left as it is`);
    }
    return { created, partitions };
  } finally {
    await admin.disconnect();
  }
}
