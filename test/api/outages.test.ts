import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { REGISTRY_PROJECTION } from '@trialstream/projections';
import { labBody, NOW, enrolmentBody, trialWithSites } from '../ingest/site-api';
import { startTestApp, TestApp } from '../support/app';
import { eventually, waitUntil } from '../support/eventually';
import { uniqueTopic } from '../support/kafka';
import { privateKafka, privatePostgres, PrivateService } from '../support/private-services';

/**
 * Ports reserved for this suite alone: it stops these services, never the shared ones on 5432 and 9092.
 * Below Linux's ephemeral range (32768-60999): a port in it may be taken at any moment as the local end of
 * some other test's connection, and then the server cannot listen (seen: 55432 "Address already in use").
 */
const POSTGRES_PORT = 25432;
const KAFKA_PORT = 26092;
const KAFKA_CONTROLLER_PORT = 26093;

describe('an outage of the database or of Kafka under load', () => {
  let postgres: PrivateService;
  let kafka: PrivateService;
  let app: TestApp;
  let coordinator: string;
  const statuses: number[] = [];
  const unavailable: Array<{ status: number; retryAfter: string | undefined; body: Record<string, unknown> }> = [];
  let loading = true;
  let load: Promise<void>;

  beforeAll(async () => {
    [postgres, kafka] = await Promise.all([privatePostgres(POSTGRES_PORT), privateKafka(KAFKA_PORT, KAFKA_CONTROLLER_PORT)]);
    app = await startTestApp(
      [IngestModule, RelayModule.forRoot({ retry: { initialMs: 100, maxMs: 1000 } }), ProjectionsModule.forRoot([REGISTRY_PROJECTION])],
      {
        now: NOW,
        postgresUrl: postgres.url,
        kafkaBrokers: [kafka.url],
        kafkaTopic: uniqueTopic('outage'),
        config: { relayStalledAfterMs: 3000, dbPoolSize: 8 },
      },
    );
    ({
      coordinators: { S01: coordinator },
    } = await trialWithSites(app, ['S01']));
    await app.http().post('/sites/S01/patients').set('Authorization', coordinator).send(enrolmentBody('0001')).expect(201);
    // Four clients submitting lab results without pause for the whole suite.
    load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (loading) {
          const res = await app.http().post('/patients/S01-0001/labs').set('Authorization', coordinator).send(labBody());
          statuses.push(res.status);
          if (res.status === 503) unavailable.push({ status: res.status, retryAfter: res.headers['retry-after'], body: res.body });
          if (res.status >= 500) await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }),
    ).then(() => undefined);
  }, 240_000);

  afterAll(async () => {
    loading = false;
    await load;
    await app?.close().catch(() => undefined);
    await Promise.all([postgres?.destroy(), kafka?.destroy()]);
  });

  const ready = () => app.http().get('/health/ready');
  const accepted = () => statuses.filter((s) => s === 201).length;

  it('answers 503 with Retry-After while PostgreSQL is down, is not ready, and recovers without a restart', async () => {
    await eventually(async () => expect((await ready()).status).toBe(200));
    await waitUntil(() => accepted() > 20, 60_000, 'submissions under load');

    await postgres.stop();
    await waitUntil(() => unavailable.length > 5, 60_000, '503 answers while the database is down');
    const notReady = await ready();
    expect(notReady.status).toBe(503);
    expect(notReady.body.error.database).toMatchObject({ status: 'down' });
    for (const answer of unavailable) {
      expect(answer.retryAfter).toMatch(/^\d+$/);
      expect(answer.body).toEqual({
        error: 'service_unavailable',
        message: expect.any(String),
        details: [{ field: 'database', rule: 'available' }],
      });
      expect(JSON.stringify(answer.body)).not.toMatch(/ECONNREFUSED|at .*\.ts|stack/);
    }

    await postgres.start();
    const acceptedBefore = accepted();
    await waitUntil(() => accepted() > acceptedBefore + 20, 60_000, 'submissions accepted again');
    await eventually(async () => expect((await ready()).status).toBe(200));
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
  }, 120_000);

  it('reports the relay stalled and readiness down while Kafka is down, and ready again once it is back', async () => {
    await kafka.stop();
    const report = await eventually(async () => {
      const res = await ready();
      expect(res.status).toBe(503);
      expect(['stalled', 'retrying']).toContain(res.body.error?.relay?.state);
      return res.body;
    });
    expect(report.error.kafka).toMatchObject({ status: 'down' });
    expect(report.error.relay.lag).toBeGreaterThan(0);
    // Writes go on: the store is up, the relay catches up later.
    const acceptedBefore = accepted();
    await waitUntil(() => accepted() > acceptedBefore + 20, 60_000, 'submissions accepted while Kafka is down');

    await kafka.start();
    const back = await eventually(async () => {
      const res = await ready();
      expect(res.status).toBe(200);
      return res.body;
    }, 120_000);
    expect(back.details.relay).toMatchObject({ status: 'up', state: 'ok' });
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
  }, 180_000);
});
