import { openDatabase } from '@trialstream/database';
import { upcastStoredEvent } from '@trialstream/domain';
import { PostgresEventStore } from '@trialstream/event-store';
import { createKafka, KafkaEventPublisher } from '@trialstream/messaging';
import { anEnvelope } from '@trialstream/domain/testing';
import { ConfigResourceTypes } from 'kafkajs';
import { verifyProjection, REGISTRY_PROJECTION } from '@trialstream/projections';
import type { DataSource } from 'typeorm';
import { START_CHECKPOINT } from '@trialstream/domain';
import type { RelayHealth } from '../../apps/relay/src/relay-health.controller';
import { MONITORING_PROJECTIONS } from '../../apps/monitoring/src/monitoring.schema';
import { PLATFORM_MIGRATIONS } from '../../apps/platform/src/migrations';
import { pause, TopicReader } from '../messaging/kafka-test-kit';
import { AppProcess } from '../support/app-process';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { uniqueTopic } from '../support/kafka';
import { KAFKA_CLUSTER_BROKERS, kafkaCluster } from '../support/kafka-cluster';
import { whenProjectionCaughtUp } from '../support/projections';
import { appendPatientRound, monitoredSite, type TrialLoad } from './scaled-trial-load';
import { waitUntil } from '../support/eventually';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
const PARTITIONS = 6;

/** How the cluster keeps a topic: replicas per partition, the settings that make acks=all durable, and who leads. */
async function topicLayout(topic: string) {
  const admin = createKafka({ brokers: KAFKA_CLUSTER_BROKERS, clientId: 'broker-loss-admin' }).admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = metadata.topics[0].partitions.sort((a, b) => a.partitionId - b.partitionId);
    const configs = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas', 'unclean.leader.election.enable'] }],
      includeSynonyms: false,
    });
    return {
      replicas: partitions.map((partition) => partition.replicas.length),
      settings: Object.fromEntries(configs.resources[0].configEntries.map((entry) => [entry.configName, entry.configValue])),
      /** The node that leads the first partition: killing it forces a leader election. */
      leaderOfFirstPartition: partitions[0].leader,
    };
  } finally {
    await admin.disconnect();
  }
}

const DURABLE = { 'min.insync.replicas': '2', 'unclean.leader.election.enable': 'false' };

describe('a three-broker cluster that loses a broker', () => {
  let database: TestDatabase | undefined;
  let dataSource: DataSource | undefined;
  let reader: TopicReader | undefined;
  const publishers: KafkaEventPublisher[] = [];
  const processes: AppProcess[] = [];
  let appending: Promise<void> | undefined;
  /** Set when the suite ends, passed or failed: the load must never outlive it. */
  let finished = false;

  beforeAll(async () => {
    await kafkaCluster('start');
    database = await createTestDatabase('brokerloss');
  }, 240_000);
  afterAll(async () => {
    finished = true;
    try {
      await Promise.all(processes.map((process) => process.stop('SIGKILL')));
      await appending?.catch(() => undefined);
      await Promise.all(publishers.map((publisher) => publisher.close()));
      await reader?.stop().catch(() => undefined);
      await dataSource?.destroy();
      await database?.drop();
    } finally {
      await kafkaCluster('stop');
    }
  }, 120_000);

  /**
   * The expected events the topic lacks and the events it has beyond them, read from the beginning by a consumer
   * that joins now (duplicates are allowed: at-least-once, consumers apply a stream version once).
   */
  async function topicAgainst(topic: string, expectedIds: string[]): Promise<{ missing: string[]; unexpected: string[] }> {
    const expected = new Set(expectedIds);
    const afterwards = await TopicReader.start(topic, KAFKA_CLUSTER_BROKERS);
    const onTopic = () => new Set(afterwards.messages.map((message) => message.headers['event-id']));
    try {
      await waitUntil(
        () => onTopic().size >= expected.size,
        90_000,
        () => `${expected.size} events on the topic (got ${onTopic().size})`,
      ).catch(() => undefined); // what is missing is the finding, not the timeout
      const read = onTopic();
      return { missing: [...expected].filter((id) => !read.has(id)), unexpected: [...read].filter((id) => !expected.has(id)) };
    } finally {
      await afterwards.stop();
    }
  }

  // kafkajs 2.2.4 resolved a send that spanned several brokers without ever sending the partitions of a broker that
  // died while the send was in flight (see KafkaEventPublisher): this pins the publisher's part of the guarantee.
  it('acknowledges a publish only once every partition has it, while the leader of some dies mid-send', async () => {
    const topic = uniqueTopic('publisher-broker-loss');
    const publisher = new KafkaEventPublisher({
      brokers: KAFKA_CLUSTER_BROKERS,
      topic,
      partitions: PARTITIONS,
      clientId: 'broker-loss-publisher',
    });
    publishers.push(publisher);
    const acknowledged: string[] = [];
    let acknowledgedAfterLoss = 0;
    let lost = false;
    let publishing = true;
    // Pages of 300 events over sixty patients, one after the other: a send is in flight whenever the broker dies.
    const published = (async () => {
      while (publishing && !finished) {
        const page = Array.from({ length: 300 }, (_, n) => anEnvelope({ streamId: `patient-S01-${String(n % 60).padStart(4, '0')}` }));
        // A rejected publish is not acknowledged: the relay publishes such a page again.
        const ok = await publisher.publish(page).then(
          () => true,
          () => false,
        );
        if (!ok) continue;
        acknowledged.push(...page.map((event) => event.eventId));
        if (lost) acknowledgedAfterLoss += page.length;
      }
    })();

    await waitUntil(
      () => acknowledged.length >= 3_000,
      60_000,
      () => `3000 events published (got ${acknowledged.length})`,
    );
    const layout = await topicLayout(topic);
    expect({ replicas: layout.replicas, settings: layout.settings }).toEqual({ replicas: Array(PARTITIONS).fill(3), settings: DURABLE });
    await kafkaCluster('kill', String(layout.leaderOfFirstPartition));
    lost = true;
    await pause(15_000); // the dead broker is fenced and its partitions get new leaders meanwhile
    publishing = false;
    await published;
    await kafkaCluster('start');

    expect(acknowledgedAfterLoss).toBeGreaterThan(0);
    // Pages whose publish failed may be there in part; only what was acknowledged must be.
    expect((await topicAgainst(topic, acknowledged)).missing).toEqual([]);
  }, 180_000);

  it('publishes and projects on through a SIGKILLed broker and its restart: nothing acknowledged is lost, read models equal a rebuild', async () => {
    const topic = uniqueTopic('broker-loss');
    const env = {
      DATABASE_URL: database!.url,
      KAFKA_BROKERS: KAFKA_CLUSTER_BROKERS.join(','),
      KAFKA_TOPIC: topic,
      KAFKA_PARTITIONS: String(PARTITIONS),
      KAFKA_SESSION_TIMEOUT_MS: '10000',
    };
    const [relay] = await AppProcess.startTogether(['relay', 'monitoring'], env, 240_000).then(
      (started) => (processes.push(...started), started),
    );
    dataSource = await openDatabase({ url: database!.url, migrations: PLATFORM_MIGRATIONS, poolSize: 4 });
    const store = new PostgresEventStore(dataSource, { upcast: upcastStoredEvent });
    reader = await TopicReader.start(topic, KAFKA_CLUSTER_BROKERS);

    await monitoredSite(store);
    const load: TrialLoad = { patients: 30, labsPerRound: 3 };
    const progress = { rounds: 0, roundsAfterRestart: 0, restarted: false };
    // Sites submit before, during and for a while after the broker's absence, however long its restart takes.
    appending = (async () => {
      for (let round = 0; !finished && (!progress.restarted || progress.roundsAfterRestart < 3); round++) {
        await appendPatientRound(store, load, round);
        progress.rounds = round + 1;
        if (progress.restarted) progress.roundsAfterRestart += 1;
        await pause(1_000);
      }
    })();

    await waitUntil(
      () => progress.rounds >= 3 && reader!.messages.length > 0,
      60_000,
      () => 'three rounds published',
    );
    const layout = await topicLayout(topic);
    expect({ replicas: layout.replicas, settings: layout.settings }).toEqual({ replicas: Array(PARTITIONS).fill(3), settings: DURABLE });
    await kafkaCluster('kill', String(layout.leaderOfFirstPartition));
    const roundsBeforeLoss = progress.rounds;
    await pause(5_000); // sites go on submitting with two brokers left
    await kafkaCluster('start');
    progress.restarted = true;
    await appending;
    expect(progress.rounds).toBeGreaterThan(roundsBeforeLoss + 3);

    const [{ appended }] = await dataSource.query(`SELECT count(*)::int AS appended FROM event_store.events`);
    // Catch-up reads stop below the oldest transaction still open on the server (any database's), so wait for it.
    let stored = await store.readAll(START_CHECKPOINT, 100_000);
    await waitUntil(
      async () => (stored = await store.readAll(START_CHECKPOINT, 100_000)).events.length >= appended,
      60_000,
      () => `${appended} readable events`,
    );
    const last = stored.events[stored.events.length - 1];
    let relayState: RelayHealth | undefined;
    await waitUntil(
      async () => (relayState = await relay.health<RelayHealth>()).lastPublishedPosition === last.globalPosition,
      90_000,
      () => `the relay checkpoint at ${last.globalPosition}; relay ${JSON.stringify(relayState)}\n${relay.log.slice(-4000)}`,
    );
    // Everything the cluster acknowledged must be on the topic: a consumer that joins after the broker's return
    // reads it from the beginning (the live reader's own session may still be recovering from the loss).
    const storedIds = stored.events.map((event) => event.eventId);
    expect(await topicAgainst(topic, storedIds)).toEqual({ missing: [], unexpected: [] });

    for (const schema of ['registry', 'monitoring']) await whenProjectionCaughtUp(dataSource, schema, 90_000);
    for (const projection of [...MONITORING_PROJECTIONS, REGISTRY_PROJECTION]) {
      const report = await verifyProjection(projection, store, dataSource, { logger: quiet });
      expect({ projection: projection.name, identical: report.identical }).toEqual({ projection: projection.name, identical: true });
      expect(await dataSource.query(`SELECT count(*)::int AS n FROM "${projection.schema}"._dead_letters`)).toEqual([{ n: 0 }]);
    }
  }, 420_000);
});
