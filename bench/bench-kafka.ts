import { ensureTopic } from '@trialstream/messaging';
import { Kafka, logLevel } from 'kafkajs';
import { uniqueTopic } from '../test/support/kafka';
import { releaseOnInterrupt } from './interrupt-cleanup';
import { progress } from './progress';

/** The run's Kafka names: unique, so runs never read each other's messages, and deleted at the end. */
export class BenchKafka {
  private readonly topics: string[] = [];
  private readonly groups: string[] = [];

  constructor(
    readonly brokers: string[],
    readonly partitions: number,
  ) {
    releaseOnInterrupt(() => this.deleteAll());
  }

  /** A unique topic name that `deleteAll` removes; whoever uses it first creates it. */
  topicName(purpose: string): string {
    const topic = uniqueTopic(`bench-${purpose}`);
    this.topics.push(topic);
    return topic;
  }

  /** A unique topic, created now with the benchmark's partition count, so no measurement times its creation. */
  async createTopic(purpose: string): Promise<string> {
    const topic = this.topicName(purpose);
    await ensureTopic({ brokers: this.brokers, topic, partitions: this.partitions, clientId: 'trialstream-bench-admin' });
    return topic;
  }

  /** A consumer group some phase joins, deleted with the topics. */
  trackGroup(groupId: string): string {
    this.groups.push(groupId);
    return groupId;
  }

  rawClient(clientId: string): Kafka {
    return new Kafka({ clientId, brokers: this.brokers, logLevel: logLevel.NOTHING });
  }

  async deleteAll(): Promise<void> {
    if (this.topics.length === 0 && this.groups.length === 0) return;
    const admin = this.rawClient('trialstream-bench-cleanup').admin();
    await admin.connect();
    try {
      if (this.groups.length > 0)
        await admin.deleteGroups(this.groups).catch((error) => progress(`could not delete consumer groups: ${error.message}`));
      const existing = new Set(await admin.listTopics());
      const topics = this.topics.filter((topic) => existing.has(topic));
      if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    } finally {
      await admin.disconnect();
    }
  }
}
