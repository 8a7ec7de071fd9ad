import { REGISTRY_PROJECTION } from '@trialstream/projections';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { enrolmentBody, labBody, NOW, trialWithSites } from '../ingest/site-api';
import { startTestApp, TestApp } from '../support/app';
import { assertKafkaReachable, uniqueTopic } from '../support/kafka';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text exposition format, as a scraper reads it: `# TYPE` lines and `name{labels} value` samples. */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    if (line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    samples.push({ name: sample[1], labels, value: Number(sample[3]) });
  }
  return { types, samples };
}

describe('Prometheus metrics at /metrics', () => {
  let app: TestApp;
  let topic: string;

  beforeAll(async () => {
    await assertKafkaReachable();
    topic = uniqueTopic('metrics');
    app = await startTestApp([IngestModule, RelayModule.forRoot(), ProjectionsModule.forRoot([REGISTRY_PROJECTION])], {
      now: NOW,
      kafkaBrokers: ['127.0.0.1:9092'],
      kafkaTopic: topic,
    });
    const { coordinators } = await trialWithSites(app, ['S01']);
    await app.http().post('/sites/S01/patients').set('Authorization', coordinators.S01).send(enrolmentBody('0001')).expect(201);
    for (let i = 0; i < 5; i++)
      await app.http().post('/patients/S01-0001/labs').set('Authorization', coordinators.S01).send(labBody()).expect(201);
    await app
      .http()
      .post('/patients/S01-0001/labs')
      .set('Authorization', coordinators.S01)
      .send({ ...labBody(), value: 'high' })
      .expect(400);
  });
  afterAll(() => app?.close());

  const scrape = async () => {
    const res = await app.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    return parseExposition(res.text);
  };
  const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

  it('times requests by route template and status, never by the raw path', async () => {
    const { types, samples } = await scrape();
    expect(types.get('trialstream_http_request_duration_seconds')).toBe('histogram');
    expect(value(samples, 'trialstream_http_request_duration_seconds_count', { route: '/patients/:patientId/labs', status: '201' })).toBe(
      5,
    );
    expect(value(samples, 'trialstream_http_request_duration_seconds_count', { route: '/patients/:patientId/labs', status: '400' })).toBe(
      1,
    );
    expect(samples.some((s) => s.labels.route?.includes('S01-0001'))).toBe(false);
  });

  it('counts appends and group commits, and follows the relay and the projection until they have caught up', async () => {
    const deadline = Date.now() + 60_000;
    let samples: Sample[];
    for (;;) {
      ({ samples } = await scrape());
      const caughtUp =
        value(samples, 'trialstream_relay_lag_events') === 0 &&
        value(samples, 'trialstream_projection_lag_events', { projection: 'registry' }) === 0 &&
        value(samples, 'trialstream_kafka_consumer_lag', { group: `${topic}.projection-registry` }) === 0;
      if (caughtUp || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const appends = value(samples, 'trialstream_appends_total')!;
    expect(appends).toBeGreaterThanOrEqual(6);
    expect(value(samples, 'trialstream_group_commits_total')).toBeGreaterThan(0);
    expect(value(samples, 'trialstream_group_commits_total')).toBeLessThanOrEqual(appends);
    expect(value(samples, 'trialstream_relay_position')).toBeGreaterThan(0);
    expect(value(samples, 'trialstream_relay_lag_events')).toBe(0);
    expect(value(samples, 'trialstream_relay_stalled')).toBe(0);
    expect(value(samples, 'trialstream_relay_events_published_total')).toBeGreaterThanOrEqual(6);
    expect(value(samples, 'trialstream_projection_lag_events', { projection: 'registry' })).toBe(0);
    expect(value(samples, 'trialstream_projection_batch_duration_seconds_count', { projection: 'registry' })).toBeGreaterThan(0);
    expect(value(samples, 'trialstream_projection_dead_letters', { projection: 'registry' })).toBe(0);
    expect(value(samples, 'trialstream_kafka_consumer_lag', { group: `${topic}.projection-registry` })).toBe(0);
  });

  it("shows whether the process hears other writers' commits, and how full PostgreSQL's notification queue is", async () => {
    // The relay listens through the process's store, so the store listens for other processes' commits.
    const deadline = Date.now() + 10_000;
    let samples: Sample[];
    do ({ samples } = await scrape());
    while (value(samples, 'trialstream_commit_listener_up') !== 1 && Date.now() < deadline);
    expect(value(samples, 'trialstream_commit_listener_up')).toBe(1);
    const usage = value(samples, 'trialstream_notification_queue_usage');
    expect(usage).toBeGreaterThanOrEqual(0);
    expect(usage).toBeLessThan(0.5);
  });
});
