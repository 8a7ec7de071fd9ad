import { createKafka } from '@trialstream/messaging';
import { projectionConsumerGroup, REGISTRY_PROJECTION, rebuildProjection, verifyProjection } from '@trialstream/projections';
import { EVENT_STORE, PostgresEventStore } from '@trialstream/event-store';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { RegistryModule } from '../../apps/monitoring/src/registry/registry.module';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { enrolmentBody, labBody, NOW, randomizationBody, trialWithSites } from '../ingest/site-api';
import { startTestApp, TestApp } from '../support/app';
import { assertKafkaReachable, TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';
import { whenProjectionCaughtUp } from '../support/projections';

const CLIENTS = 20;
const PATIENTS_PER_CLIENT = 5;
/** Enrolment + randomization + 18 lab results = 20 events per patient; 20 × 5 × 20 = 2,000. */
const LABS_PER_PATIENT = 18;

describe('distributed delivery: ingest -> store -> relay -> Kafka -> projection', () => {
  let app: TestApp;
  const topic = uniqueTopic('delivery');

  beforeAll(async () => {
    await assertKafkaReachable();
    app = await startTestApp([IngestModule, RelayModule.forRoot(), ProjectionsModule.forRoot([REGISTRY_PROJECTION]), RegistryModule], {
      now: NOW,
      kafkaBrokers: TEST_KAFKA_BROKERS,
      kafkaTopic: topic,
    });
  });
  afterAll(() => app?.close());

  it('feeds the registry through Kafka with 2,000 events from 20 concurrent clients, equal to a rebuild from the store', async () => {
    const { coordinators } = await trialWithSites(app, ['S01', 'S02']);
    const siteOf = (client: number) => (client % 2 === 0 ? 'S01' : 'S02');
    const submit = (token: string, path: string, body: object) => app.http().post(path).set('Authorization', token).send(body).expect(201);

    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        const site = siteOf(client);
        const token = coordinators[site];
        for (let p = 0; p < PATIENTS_PER_CLIENT; p++) {
          const screening = `${client}${p}`.padStart(4, '0');
          const { body } = await submit(token, `/sites/${site}/patients`, enrolmentBody(screening));
          await submit(token, `/patients/${body.patientId}/randomization`, randomizationBody());
          for (let lab = 0; lab < LABS_PER_PATIENT; lab++) {
            await submit(token, `/patients/${body.patientId}/labs`, labBody({ value: 1 + lab / 10 }));
          }
        }
      }),
    );

    const [{ patientEvents }] = await app.dataSource.query(
      `SELECT count(*)::int AS "patientEvents" FROM event_store.events WHERE stream_id LIKE 'patient-%'`,
    );
    expect(patientEvents).toBe(CLIENTS * PATIENTS_PER_CLIENT * (2 + LABS_PER_PATIENT));

    await whenProjectionCaughtUp(app.dataSource, 'registry', 120_000);
    const [{ counted }] = await app.dataSource.query(`SELECT sum(total_events)::int AS counted FROM registry.patients`);
    expect(counted).toBe(patientEvents);

    // The registry's consumer group really consumed the topic: its committed offsets cover every published event.
    const admin = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'delivery-test' }).admin();
    await admin.connect();
    const [{ partitions }] = await admin.fetchOffsets({ groupId: projectionConsumerGroup(REGISTRY_PROJECTION, topic), topics: [topic] });
    await admin.disconnect();
    const [{ allEvents }] = await app.dataSource.query(`SELECT count(*)::int AS "allEvents" FROM event_store.events`);
    expect(partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)).toBe(allEvents);

    const store = app.app.get<PostgresEventStore>(EVENT_STORE);
    const report = await verifyProjection(REGISTRY_PROJECTION, store, app.dataSource);
    expect(report.identical).toBe(true);
    const rows = (await app.dataSource.query(
      `SELECT patient_id, total_events, event_counts FROM registry.patients ORDER BY patient_id`,
    )) as unknown[];
    await rebuildProjection(REGISTRY_PROJECTION, store, app.dataSource);
    expect(await app.dataSource.query(`SELECT patient_id, total_events, event_counts FROM registry.patients ORDER BY patient_id`)).toEqual(
      rows,
    );
  });
});
