import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { startTestApp, TestApp } from '../support/app';
import { enrolmentBody, historyLength, infusionBody, labBody, NOW, randomizedPatient, trialWithSites } from './site-api';

describe('who may write and read, and what a retry does', () => {
  let app: TestApp;
  let coordinators: Record<string, string>;
  let patientOfS01: string;

  beforeAll(async () => {
    app = await startTestApp([IngestModule], { now: NOW });
    ({ coordinators } = await trialWithSites(app, ['S01', 'S02']));
    patientOfS01 = await randomizedPatient(app, coordinators.S01, 'S01', '0001');
  });
  afterAll(() => app?.close());

  describe('authentication', () => {
    it('answers 401 without a token, naming the header', async () => {
      const res = await app.http().post(`/patients/${patientOfS01}/labs`).send(labBody()).expect(401);
      expect(res.body).toMatchObject({ error: 'unauthorized', details: [{ field: 'authorization', rule: 'valid-credentials' }] });
    });

    it('answers 401 for a forged or revoked-looking token', async () => {
      const forged = coordinators.S01.slice(0, -4) + 'AAAA';
      await app.http().get(`/patients/${patientOfS01}/events`).set('Authorization', forged).expect(401);
      await app.http().get(`/patients/${patientOfS01}/events`).set('Authorization', 'Bearer tsk_nope_nope').expect(401);
    });

    it('keeps health and the OpenAPI document open', async () => {
      await app.http().get('/health').expect(200, { status: 'ok' });
      const doc = await app.http().get('/docs/openapi.json').expect(200);
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining(['/sites/{siteId}/patients', '/patients/{patientId}/infusions', '/patients/{patientId}/events']),
      );
    });
  });

  describe('site scope', () => {
    it("refuses a write to another site's patient with 403 and stores nothing", async () => {
      const before = await historyLength(app, coordinators.S01, patientOfS01);
      const res = await app
        .http()
        .post(`/patients/${patientOfS01}/labs`)
        .set('Authorization', coordinators.S02)
        .send(labBody())
        .expect(403);
      expect(res.body).toMatchObject({ error: 'forbidden', details: [{ field: 'patientId', rule: 'site-scope' }] });
      expect(await historyLength(app, coordinators.S01, patientOfS01)).toBe(before);
    });

    it("refuses to read another site's patient with 403", async () => {
      await app.http().get(`/patients/${patientOfS01}/events`).set('Authorization', coordinators.S02).expect(403);
    });

    it('refuses an enrolment at another site with 403 and stores nothing', async () => {
      await app.http().post('/sites/S01/patients').set('Authorization', coordinators.S02).send(enrolmentBody('0777')).expect(403);
      await app.http().get('/patients/S01-0777/events').set('Authorization', coordinators.S01).expect(404);
    });

    it('lets only administrators activate sites and only coordinators submit data', async () => {
      await app
        .http()
        .post('/sites')
        .set('Authorization', coordinators.S01)
        .send({ submissionId: 'x1', siteId: 'S09', name: 'x', occurredAt: '2026-01-01' })
        .expect(403);
      const monitor = await app.userToken('monitor', ['S01']);
      await app.http().post(`/patients/${patientOfS01}/labs`).set('Authorization', monitor).send(labBody()).expect(403);
      await app.http().get(`/patients/${patientOfS01}/events`).set('Authorization', monitor).expect(200);
    });
  });

  describe('blinding', () => {
    it('never shows a blinded reader a B-cell count, while the auditor sees it as recorded', async () => {
      await app
        .http()
        .post(`/patients/${patientOfS01}/labs`)
        .set('Authorization', coordinators.S01)
        .send(labBody({ analyte: 'CD19', value: 1, unit: 'cells/µL', qualifier: '<' }))
        .expect(201);
      const monitor = await app.userToken('monitor', ['S01']);
      for (const reader of [coordinators.S01, monitor]) {
        const events = (await app.http().get(`/patients/${patientOfS01}/events`).set('Authorization', reader).expect(200)).body;
        const cd19 = events.find((e: { data: { analyte?: string } }) => e.data.analyte === 'CD19');
        expect(cd19.data).toEqual({ analyte: 'CD19', masked: true });
      }
      const auditor = await app.userToken('auditor');
      const events = (await app.http().get(`/patients/${patientOfS01}/events`).set('Authorization', auditor).expect(200)).body;
      expect(events.find((e: { data: { analyte?: string } }) => e.data.analyte === 'CD19').data).toMatchObject({
        value: 1,
        qualifier: '<',
      });
    });
  });

  describe('retries and concurrent writers', () => {
    it('answers a resubmitted id with the first response and stores one event', async () => {
      const body = labBody();
      const first = await app.http().post(`/patients/${patientOfS01}/labs`).set('Authorization', coordinators.S01).send(body).expect(201);
      const before = await historyLength(app, coordinators.S01, patientOfS01);
      const retry = await app.http().post(`/patients/${patientOfS01}/labs`).set('Authorization', coordinators.S01).send(body).expect(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(await historyLength(app, coordinators.S01, patientOfS01)).toBe(before);
    });

    it('answers a retried enrolment with its first response rather than "already enrolled"', async () => {
      const body = enrolmentBody('0100');
      const first = await app.http().post('/sites/S01/patients').set('Authorization', coordinators.S01).send(body).expect(201);
      const retry = await app.http().post('/sites/S01/patients').set('Authorization', coordinators.S01).send(body).expect(201);
      expect(retry.body).toEqual(first.body);
    });

    it('refuses a submission id reused for a different request with 422 and stores nothing', async () => {
      const body = labBody();
      await app.http().post(`/patients/${patientOfS01}/labs`).set('Authorization', coordinators.S01).send(body).expect(201);
      const before = await historyLength(app, coordinators.S01, patientOfS01);
      const res = await app
        .http()
        .post(`/patients/${patientOfS01}/labs`)
        .set('Authorization', coordinators.S01)
        .send({ ...body, value: 99 })
        .expect(422);
      expect(res.body.details).toEqual([{ field: 'submissionId', rule: 'unique-per-request' }]);
      expect(await historyLength(app, coordinators.S01, patientOfS01)).toBe(before);
    });

    it('gives exactly one of 50 concurrent writers at the same expected version the write; the rest get 409', async () => {
      const patientId = await randomizedPatient(app, coordinators.S01, 'S01', '0200');
      const version = await historyLength(app, coordinators.S01, patientId);
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          app
            .http()
            .post(`/patients/${patientId}/labs`)
            .set('Authorization', coordinators.S01)
            .send(labBody({ expectedVersion: version })),
        ),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(49);
      expect(responses.find((r) => r.status === 409)?.body.details).toEqual([
        { field: 'expectedVersion', rule: 'matches-current-version' },
      ]);
      const events = (await app.http().get(`/patients/${patientId}/events`).set('Authorization', coordinators.S01)).body;
      expect(events.map((e: { streamVersion: number }) => e.streamVersion)).toEqual([1, 2, 3]);
    });

    it('decides again on the newer record when writers race without an expected version, losing nothing', async () => {
      const patientId = await randomizedPatient(app, coordinators.S01, 'S01', '0201');
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          app
            .http()
            .post(`/patients/${patientId}/labs`)
            .set('Authorization', coordinators.S01)
            .send(labBody({ value: 10 + i })),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
      expect(await historyLength(app, coordinators.S01, patientId)).toBe(12);
    });

    it('numbers infusions into cycles even when sent as a burst', async () => {
      const patientId = await randomizedPatient(app, coordinators.S01, 'S01', '0202');
      for (const day of ['2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30', '2026-09-01'.replace('09-01', '04-27')]) {
        await app
          .http()
          .post(`/patients/${patientId}/infusions`)
          .set('Authorization', coordinators.S01)
          .send(infusionBody({ occurredAt: day }))
          .expect(201);
      }
      const events = (await app.http().get(`/patients/${patientId}/events`).set('Authorization', coordinators.S01)).body;
      const infusions = events
        .filter((e: { type: string }) => e.type === 'InfusionGiven')
        .map((e: { data: { cycle: number; infusionInCycle: number } }) => [e.data.cycle, e.data.infusionInCycle]);
      expect(infusions).toEqual([
        [1, 1],
        [1, 2],
        [1, 3],
        [1, 4],
        [2, 1],
      ]);
    });
  });
});
