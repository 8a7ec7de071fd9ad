import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';
import { createKafka } from '@trialstream/messaging';
import { projectionConsumerGroup, verifyProjection } from '@trialstream/projections';
import { MONITORING_PROJECTION } from '../../apps/monitoring/src/projection/monitoring.projection';
import { assertKafkaReachable, TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';
import { read } from './monitoring-desk';
import { AS_OF_2, threeSiteTrial, type ThreeSiteTrial } from './three-site-trial';

const quiet = { warn: () => undefined, error: () => undefined };

describe('the monitoring read model fed through the relay and Kafka', () => {
  const topic = uniqueTopic('monitoring');
  let trial: ThreeSiteTrial;

  beforeAll(async () => {
    await assertKafkaReachable();
    trial = await threeSiteTrial({ brokers: TEST_KAFKA_BROKERS, topic });
  });
  afterAll(() => trial?.app.close());

  it('gives the figures worked out by hand, and equals a replay of the store row for row', async () => {
    const overview = await read(trial.app, trial.monitorB.token, `/monitoring/sites?asOf=${AS_OF_2}`);
    // see site-indicators.test.ts for the arithmetic
    expect(
      overview.body.items.map((site: Record<string, any>) => [site.siteId, site.visits, site.dataEntryLatency, site.queries.open]),
    ).toEqual([
      [
        'BSL',
        { expected: 6, done: 6, due: 0, overdue: 0, missingForms: 0 },
        { count: 15, median: 0, p90: 0, over5Days: 0 },
        { count: 0, oldestAgeDays: null },
      ],
      [
        'ZRH',
        { expected: 8, done: 6, due: 1, overdue: 1, missingForms: 2 },
        { count: 15, median: 2, p90: 5.4, over5Days: 2 },
        { count: 1, oldestAgeDays: 10 },
      ],
    ]);

    // the projection's consumer group really read the topic: its offsets cover the events published so far
    const admin = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'monitoring-test' }).admin();
    await admin.connect();
    const [{ partitions }] = await admin.fetchOffsets({ groupId: projectionConsumerGroup(MONITORING_PROJECTION, topic), topics: [topic] });
    await admin.disconnect();
    const [{ patientEvents }] = await trial.app.dataSource.query(
      `SELECT count(*)::int AS "patientEvents" FROM event_store.events WHERE stream_id LIKE 'patient-%'`,
    );
    expect(partitions.reduce((sum, partition) => sum + Math.max(0, Number(partition.offset)), 0)).toBeGreaterThanOrEqual(patientEvents);

    const store = trial.app.app.get<PostgresEventStore>(EVENT_STORE);
    expect((await verifyProjection(MONITORING_PROJECTION, store, trial.app.dataSource, { logger: quiet })).identical).toBe(true);
  });
});
