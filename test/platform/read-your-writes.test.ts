import { FRESH_READS_OPTIONS, ProjectionFeeds, type FreshReadsOptions } from '@trialstream/projections';
import { PLATFORM_FEATURES, startTestApp, TestApp } from '../support/app';
import { enrolmentBody, infusionBody, NOW, randomizationBody, trialWithSites } from '../ingest/site-api';

describe('reading your own writes: minPosition on read routes', () => {
  let app: TestApp;
  let coordinator: string;
  let monitor: string;
  let auditor: string;

  beforeAll(async () => {
    app = await startTestApp(PLATFORM_FEATURES, { now: NOW });
    ({
      coordinators: { S01: coordinator },
    } = await trialWithSites(app, ['S01']));
    monitor = await app.userToken('monitor', ['S01']);
    auditor = await app.userToken('auditor');
    // A busy CI machine may take longer than the default 2 s to project; the 503 test sets the default back.
    app.app.get<FreshReadsOptions>(FRESH_READS_OPTIONS).waitMs = 30_000;
  });
  afterAll(() => app?.close());

  const submit = (path: string, body: object) => app.http().post(path).set('Authorization', coordinator).send(body).expect(201);

  it('answers a submission with the global position of each of its events', async () => {
    const enrolled = await submit('/sites/S01/patients', enrolmentBody('0001'));
    const { position, events } = enrolled.body;
    expect(position).toMatch(/^\d+$/);
    expect(events.map((event: { globalPosition: string }) => event.globalPosition)).toEqual([position]);
    const history = await app.http().get('/patients/S01-0001/events').set('Authorization', coordinator).expect(200);
    expect(history.body.at(-1)).toMatchObject({ eventId: events[0].eventId, globalPosition: position });
  });

  it('shows a read model that has applied the submission, at once, with the position in the query or the header', async () => {
    await submit('/patients/S01-0001/randomization', randomizationBody());
    const { position } = (await submit('/patients/S01-0001/infusions', infusionBody())).body;

    const byQuery = await app.http().get(`/registry/patients?siteId=S01&minPosition=${position}`).set('Authorization', monitor).expect(200);
    expect(byQuery.body.items).toEqual([expect.objectContaining({ patientId: 'S01-0001', totalEvents: 3 })]);

    const { position: next } = (await submit('/patients/S01-0001/infusions', infusionBody({ occurredAt: '2026-03-16' }))).body;
    const byHeader = await app
      .http()
      .get('/registry/patients?siteId=S01')
      .set('Authorization', monitor)
      .set('X-Min-Position', next)
      .expect(200);
    expect(byHeader.body.items).toEqual([expect.objectContaining({ totalEvents: 4 })]);

    const monitoring = await app.http().get(`/monitoring/sites/S01?minPosition=${next}`).set('Authorization', monitor).expect(200);
    expect(monitoring.body.siteId).toBe('S01');
  });

  it('refuses a minPosition that is not a position, or that no event has, naming the field', async () => {
    for (const bad of ['abc', '-1', '1.5', '']) {
      const res = await app
        .http()
        .get(`/registry/patients?minPosition=${encodeURIComponent(bad)}`)
        .set('Authorization', monitor)
        .expect(400);
      expect(res.body).toEqual({
        error: 'validation_failed',
        message: expect.any(String),
        details: [{ field: 'minPosition', rule: 'is-position' }],
      });
    }
    const future = await app.http().get('/registry/patients').set('Authorization', monitor).set('X-Min-Position', '999999999').expect(400);
    expect(future.body.details).toEqual([{ field: 'minPosition', rule: 'known-position' }]);
  });

  it('makes no one wait who may not read the route: the guards answer first', async () => {
    await app.http().get('/registry/patients?minPosition=999999999').expect(401);
    await app.http().get('/registry/patients?minPosition=999999999').set('Authorization', coordinator).expect(403);
  });

  it('answers 503 with Retry-After when the read model stays behind for the whole wait, and store reads at once', async () => {
    await app.app.get(ProjectionFeeds).beforeApplicationShutdown(); // the read models stop moving
    app.app.get<FreshReadsOptions>(FRESH_READS_OPTIONS).waitMs = 2000;
    const { position } = (await submit('/sites/S01/patients', enrolmentBody('0002'))).body;

    const started = Date.now();
    const behind = await app.http().get(`/registry/patients?minPosition=${position}`).set('Authorization', monitor).expect(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900); // it waited the whole bound first
    expect(behind.headers['retry-after']).toBe('1');
    expect(behind.body).toEqual({
      error: 'read_model_behind',
      message: expect.stringContaining('registry'),
      details: [{ field: 'minPosition', rule: 'reached' }],
    });

    // The audit log reads the store itself, where the submission already is.
    await app.http().get(`/patients/S01-0002/events?minPosition=${position}`).set('Authorization', coordinator).expect(200);
    const log = await app.http().get('/audit/events').set('Authorization', auditor).set('X-Min-Position', position).expect(200);
    expect(JSON.stringify(log.body)).toContain('S01-0002');
  });
});
