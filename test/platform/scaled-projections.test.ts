import { openDatabase } from '@trialstream/database';
import { upcastStoredEvent } from '@trialstream/domain';
import { PostgresEventStore } from '@trialstream/event-store';
import { createKafka } from '@trialstream/messaging';
import { projectionConsumerGroup, verifyProjection, REGISTRY_PROJECTION, type Projection } from '@trialstream/projections';
import type { DataSource } from 'typeorm';
import { ANALYSIS_PROJECTIONS } from '../../apps/analysis/src/analysis.schema';
import { MONITORING_PROJECTIONS } from '../../apps/monitoring/src/monitoring.schema';
import { PLATFORM_MIGRATIONS } from '../../apps/platform/src/migrations';
import { deleteTopics, pause } from '../messaging/kafka-test-kit';
import { AppProcess } from '../support/app-process';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { assertKafkaReachable, TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';
import { whenProjectionCaughtUp } from '../support/projections';
import { appendPatientRound, monitoredSite, type TrialLoad } from './scaled-trial-load';
import { waitUntil } from '../support/eventually';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('projection services scaled out in consumer groups', () => {
  let database: TestDatabase;
  let dataSource: DataSource | undefined;
  let topic: string;
  const processes = new Set<AppProcess>();
  let appending: Promise<void> | undefined;
  /** Set when the suite ends, passed or failed: the load must never outlive it. */
  let finished = false;

  beforeAll(async () => {
    await assertKafkaReachable();
    database = await createTestDatabase('scaled');
    topic = uniqueTopic('scaled');
  });
  afterAll(async () => {
    finished = true;
    await Promise.all([...processes].map((process) => process.stop('SIGKILL')));
    await appending?.catch(() => undefined);
    await dataSource?.destroy();
    await database?.drop();
    await deleteTopics([topic]).catch(() => undefined);
  });

  async function start(app: 'relay' | 'monitoring' | 'analysis'): Promise<AppProcess> {
    const started = await AppProcess.start(
      app,
      {
        DATABASE_URL: database.url,
        KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
        KAFKA_TOPIC: topic,
        KAFKA_PARTITIONS: '6',
        // A killed instance's partitions move after 10 s instead of 30.
        KAFKA_SESSION_TIMEOUT_MS: '10000',
      },
      // Seven processes compile and start at once: generous on a busy 2-core machine.
      240_000,
    );
    processes.add(started);
    return started;
  }
  async function kill(instance: AppProcess): Promise<void> {
    expect((await instance.stop('SIGKILL')).signal).toBe('SIGKILL');
    processes.delete(instance);
  }

  async function groupMembers(projection: Projection): Promise<number> {
    const admin = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'scaled-test-admin' }).admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([projectionConsumerGroup(projection, topic)]);
      return groups[0].state === 'Stable' ? groups[0].members.length : 0;
    } finally {
      await admin.disconnect();
    }
  }

  it('three instances of monitoring and of analysis share the partitions; kills and a new instance lose and double-apply nothing', async () => {
    // All at once on an empty database: replicas starting together must not trip over each other's migrations.
    const [, ...instances] = await Promise.all([
      start('relay'),
      start('monitoring'),
      start('monitoring'),
      start('monitoring'),
      start('analysis'),
      start('analysis'),
      start('analysis'),
    ]);
    const monitoring = instances.slice(0, 3);
    const analysis = instances.slice(3);
    dataSource = await openDatabase({ url: database.url, migrations: PLATFORM_MIGRATIONS, poolSize: 4 });
    const store = new PostgresEventStore(dataSource, { upcast: upcastStoredEvent });

    await monitoredSite(store);
    const load: TrialLoad = { patients: 40, labsPerRound: 3 };
    const progress = { rounds: 0, lastKillAtRound: Number.POSITIVE_INFINITY };
    // Sites submit before, between and for a few rounds after the kills, however long a new instance takes to start.
    appending = (async () => {
      for (let round = 0; !finished && round < progress.lastKillAtRound + 3; round++) {
        await appendPatientRound(store, load, round);
        progress.rounds = round + 1;
        await pause(1_000);
      }
    })();

    for (const projection of [...MONITORING_PROJECTIONS, REGISTRY_PROJECTION, ...ANALYSIS_PROJECTIONS]) {
      await waitUntil(
        async () => (await groupMembers(projection)) === 3,
        60_000,
        () => `three members in ${projection.name}'s group`,
      );
    }

    await waitUntil(
      () => progress.rounds >= 2,
      60_000,
      () => 'two rounds',
    );
    await Promise.all([kill(monitoring[0]), kill(analysis[0])]);
    const replacements = Promise.all([start('monitoring'), start('analysis')]);
    await waitUntil(
      () => progress.rounds >= 6,
      60_000,
      () => 'six rounds',
    );
    await Promise.all([kill(monitoring[1]), kill(analysis[1])]);
    progress.lastKillAtRound = progress.rounds;
    await replacements;
    await appending;

    for (const schema of ['registry', 'monitoring', 'analysis']) await whenProjectionCaughtUp(dataSource, schema, 90_000);
    const stored: Array<{ stream_id: string; n: number }> = await dataSource.query(
      `SELECT stream_id, count(*)::int AS n FROM event_store.events WHERE stream_id LIKE 'patient-%' GROUP BY stream_id ORDER BY stream_id`,
    );
    const projected: Array<{ stream_id: string; n: number }> = await dataSource.query(
      `SELECT 'patient-' || patient_id AS stream_id, total_events AS n FROM registry.patients ORDER BY 1`,
    );
    expect(stored).toHaveLength(load.patients);
    expect(projected).toEqual(stored);
    for (const projection of [...MONITORING_PROJECTIONS, REGISTRY_PROJECTION, ...ANALYSIS_PROJECTIONS]) {
      const report = await verifyProjection(projection, store, dataSource, { logger: quiet });
      expect({ projection: projection.name, identical: report.identical, events: report.events > 0 }).toEqual({
        projection: projection.name,
        identical: true,
        events: true,
      });
      expect(await dataSource.query(`SELECT count(*)::int AS n FROM "${projection.schema}"._dead_letters`)).toEqual([{ n: 0 }]);
    }
  }, 420_000);
});
