import { openDatabase } from '@trialstream/database';
import { upcastStoredEvent } from '@trialstream/domain';
import { PostgresEventStore } from '@trialstream/event-store';
import { createKafka } from '@trialstream/messaging';
import { verifyProjection, REGISTRY_PROJECTION } from '@trialstream/projections';
import type { DataSource } from 'typeorm';
import { START_CHECKPOINT } from '@trialstream/domain';
import type { RelayHealth } from '../../apps/relay/src/relay-health.controller';
import { MONITORING_PROJECTIONS } from '../../apps/monitoring/src/monitoring.schema';
import { PLATFORM_MIGRATIONS } from '../../apps/platform/src/migrations';
import { pause, TopicReader, waitUntil } from '../messaging/kafka-test-kit';
import { AppProcess } from '../support/app-process';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { uniqueTopic } from '../support/kafka';
import { KAFKA_CLUSTER_BROKERS, kafkaCluster } from '../support/kafka-cluster';
import { whenProjectionCaughtUp } from '../support/projections';
import { appendPatientRound, monitoredSite, type TrialLoad } from './scaled-trial-load';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
const PARTITIONS = 6;

describe('a three-broker cluster that loses a broker under load', () => {
  let database: TestDatabase | undefined;
  let dataSource: DataSource | undefined;
  let reader: TopicReader | undefined;
  const topic = uniqueTopic('broker-loss');
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
      await reader?.stop().catch(() => undefined);
      await dataSource?.destroy();
      await database?.drop();
    } finally {
      await kafkaCluster('stop');
    }
  }, 120_000);

  /** The node that leads the topic's first partition: killing it forces a leader election. */
  async function leaderOfFirstPartition(): Promise<number> {
    const admin = createKafka({ brokers: KAFKA_CLUSTER_BROKERS, clientId: 'broker-loss-admin' }).admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = metadata.topics[0].partitions;
      expect(partitions.map((partition) => partition.replicas.length)).toEqual(Array(PARTITIONS).fill(3));
      return partitions.find((partition) => partition.partitionId === 0)!.leader;
    } finally {
      await admin.disconnect();
    }
  }

  it('publishes and projects on through a SIGKILLed broker and its restart: nothing acknowledged is lost, read models equal a rebuild', async () => {
    const env = {
      DATABASE_URL: database!.url,
      KAFKA_BROKERS: KAFKA_CLUSTER_BROKERS.join(','),
      KAFKA_TOPIC: topic,
      KAFKA_PARTITIONS: String(PARTITIONS),
      KAFKA_SESSION_TIMEOUT_MS: '10000',
    };
    const [relay] = await Promise.all([AppProcess.start('relay', env, 240_000), AppProcess.start('monitoring', env, 240_000)]).then(
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
    const lost = await leaderOfFirstPartition();
    await kafkaCluster('kill', String(lost));
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
    const afterwards = await TopicReader.start(topic, KAFKA_CLUSTER_BROKERS);
    try {
      const distinctOnTopic = () => new Set(afterwards.messages.map((message) => message.headers['event-id'])).size;
      await waitUntil(
        async () => distinctOnTopic() >= stored.events.length,
        90_000,
        () => `${stored.events.length} events on the topic (got ${distinctOnTopic()})`,
      );
      expect(new Set(afterwards.messages.map((message) => message.headers['event-id']))).toEqual(
        new Set(stored.events.map((event) => event.eventId)),
      );
    } finally {
      await afterwards.stop();
    }

    for (const schema of ['registry', 'monitoring']) await whenProjectionCaughtUp(dataSource, schema, 90_000);
    for (const projection of [...MONITORING_PROJECTIONS, REGISTRY_PROJECTION]) {
      const report = await verifyProjection(projection, store, dataSource, { logger: quiet });
      expect({ projection: projection.name, identical: report.identical }).toEqual({ projection: projection.name, identical: true });
      expect(await dataSource.query(`SELECT count(*)::int AS n FROM "${projection.schema}"._dead_letters`)).toEqual([{ n: 0 }]);
    }
  }, 420_000);
});
