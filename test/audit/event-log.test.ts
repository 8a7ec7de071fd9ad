import type { AccessRecorded, EventEnvelope } from '@trialstream/domain';
import {
  appendInTransaction,
  chainedFields,
  computeEventHash,
  EVENT_STORE,
  type AppendRequest,
  type PostgresEventStore,
} from '@trialstream/event-store';
import type { TestApp } from '../support/app';
import { allEvents, bearer, IGM_CORRECTION_REASON, recordTrial, startAuditApp, type RecordedTrial } from './audit-trial';

const positions = (events: EventEnvelope[]) => events.map((event) => BigInt(event.globalPosition));
const parseNdjson = (text: string): EventEnvelope[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));

describe('the complete event log for auditors', () => {
  let app: TestApp;
  let trial: RecordedTrial;

  beforeAll(async () => {
    app = await startAuditApp();
    trial = await recordTrial(app);
  });
  afterAll(() => app?.close());

  const stored = async (): Promise<Array<{ event_id: string; global_position: string }>> =>
    app.dataSource.query(`SELECT e.event_id::text, e.global_position::text FROM event_store.events e ORDER BY e.global_position`);

  it('pages through every event exactly once, in global order, following the next cursor', async () => {
    const before = await stored();
    const paged = await allEvents(app, trial.auditor, 7);
    const ids = paged.map((event) => event.eventId);
    // every stored event, in order; the pages' own access records come after
    expect(ids.slice(0, before.length)).toEqual(before.map((row) => row.event_id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(positions(paged)).toEqual([...positions(paged)].sort((a, b) => (a < b ? -1 : 1)));
  });

  it('waits for a writer still holding a lower position rather than page past it', async () => {
    const activation = (siteId: string): AppendRequest => ({
      streamId: `site-${siteId}`,
      expectedVersion: 0,
      events: [{ type: 'SiteActivated', schemaVersion: 1, occurredAt: '2026-01-10', data: { siteId, name: `Site ${siteId}` } }],
      siteId: null,
      actor: { userId: 'admin-test', role: 'administrator' },
    });
    const [{ last }] = await app.dataSource.query(`SELECT max(global_position)::text AS last FROM event_store.events`);
    const slow = app.dataSource.createQueryRunner();
    await slow.connect();
    try {
      await slow.startTransaction();
      const [held] = await appendInTransaction(slow, [activation('S77')]);
      // a later writer commits a higher position while the slow one is still open
      await app.app.get<PostgresEventStore>(EVENT_STORE).append(activation('S78'));

      let answered = false;
      const page = bearer(app, trial.auditor)
        .get(`/audit/events?afterPosition=${last}&limit=10`)
        .then((res) => ((answered = true), res));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toBe(false);
      await slow.commitTransaction();

      const { body } = await page;
      expect(held.status).toBe('appended');
      expect(body.events.slice(0, 2).map((event: EventEnvelope) => event.streamId)).toEqual(['site-S77', 'site-S78']);
    } finally {
      if (slow.isTransactionActive) await slow.rollbackTransaction();
      await slow.release();
    }
  });

  it('answers the last page with no next cursor, and a page past the end empty', async () => {
    const res = await bearer(app, trial.auditor).get('/audit/events?afterPosition=999999&limit=10').expect(200);
    expect(res.body).toMatchObject({ events: [], nextAfterPosition: null });
  });

  it('serves events exactly as stored, with their chain salts, so an auditor can recompute every hash', async () => {
    const events: EventEnvelope[] = [];
    const salts: Record<string, string> = {};
    for (let after: string | null = '0'; after !== null;) {
      const { body }: { body: { events: EventEnvelope[]; salts: Record<string, string>; nextAfterPosition: string | null } } = await bearer(
        app,
        trial.auditor,
      )
        .get(`/audit/events?afterPosition=${after}&limit=50`)
        .expect(200);
      events.push(...body.events);
      Object.assign(salts, body.salts);
      after = body.nextAfterPosition;
    }
    expect(events.length).toBeGreaterThan(20);
    for (const event of events) {
      expect(salts[event.eventId]).toMatch(/^[0-9a-f]{64}$/);
      expect(computeEventHash(chainedFields(event), salts[event.eventId])).toBe(event.hash);
      // Without its salt the hash is no fingerprint of the event.
      expect(computeEventHash(chainedFields(event))).not.toBe(event.hash);
    }
  });

  it('records each read of the log as an access event that then appears in the log', async () => {
    const [auditorId] = (await app.dataSource.query(`SELECT id FROM auth.users WHERE role = 'auditor'`)).map(
      (row: { id: string }) => row.id,
    );
    await bearer(app, trial.auditor).get('/audit/events?afterPosition=3&limit=2').expect(200);
    const events = await allEvents(app, trial.auditor);
    const reads = events.filter((event) => event.type === 'AccessRecorded' && event.actor.userId === auditorId);
    expect(reads.map((event) => event.data as AccessRecorded)).toContainEqual({
      action: 'audit-read',
      resource: 'event-log',
      detail: { afterPosition: '3', limit: 2, returned: 2 },
    });
    expect(reads.every((event) => event.streamId === `access-${auditorId}` && event.actor.role === 'auditor')).toBe(true);
  });

  it('streams the whole log as NDJSON, the same events as the pages', async () => {
    const res = await bearer(app, trial.auditor)
      .get('/audit/events.ndjson')
      .buffer(true)
      .parse((response, done) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => done(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const streamed = parseNdjson(res.body as string);
    const paged = await allEvents(app, trial.auditor);
    // the stream includes its own access record; the pages taken after it include that one and their own
    expect(paged.slice(0, streamed.length)).toEqual(streamed);
  });

  it('streams a range of the log by global position', async () => {
    const res = await bearer(app, trial.auditor).get('/audit/events.ndjson?afterPosition=4&untilPosition=9').expect(200);
    const streamed = parseNdjson(res.text);
    expect(streamed.map((event) => event.globalPosition)).toEqual(['5', '6', '7', '8', '9']);
  });

  it('refuses a position that is not a number with 400 naming the parameter', async () => {
    const res = await bearer(app, trial.auditor).get('/audit/events?afterPosition=abc').expect(400);
    expect(res.body.details).toContainEqual({ field: 'afterPosition', rule: 'matches' });
    await bearer(app, trial.auditor).get('/audit/events?limit=0').expect(400);
  });

  describe("a patient's history", () => {
    it('shows each entry with who, site, role, clinical and recorded time', async () => {
      const res = await bearer(app, trial.auditor).get(`/audit/patients/${trial.anna}/history`).expect(200);
      expect(res.body).toMatchObject({ patientId: trial.anna, siteId: 'S01', streamVersion: 11 });
      const igm = res.body.entries.find((entry: { eventId: string }) => entry.eventId === trial.ids.annaIgm);
      expect(igm).toMatchObject({
        type: 'LabResulted',
        who: { role: 'site_coordinator', userId: expect.any(String) },
        siteId: 'S01',
        occurredAt: '2026-03-09',
        recordedAt: trial.enteredAt.toISOString(),
        data: { analyte: 'IGM', value: 12.5, unit: 'g/L' },
      });
    });

    it('places the correction right under the value it corrects, with its reason, author and time', async () => {
      const { body } = await bearer(app, trial.auditor).get(`/audit/patients/${trial.anna}/history`).expect(200);
      const igm = body.entries.find((entry: { eventId: string }) => entry.eventId === trial.ids.annaIgm);
      expect(igm.status).toBe('corrected');
      expect(igm.amendments).toEqual([
        expect.objectContaining({
          kind: 'correction',
          eventId: trial.ids.igmCorrection,
          reason: IGM_CORRECTION_REASON,
          recordedAt: trial.correctedAt.toISOString(),
          who: expect.objectContaining({ role: 'site_coordinator' }),
          siteId: 'S01',
          data: expect.objectContaining({ value: 1.25 }),
        }),
      ]);
      expect(igm.current.data).toMatchObject({ value: 1.25 });
      // the amendment is not listed again as an entry of its own
      expect(body.entries.map((entry: { eventId: string }) => entry.eventId)).not.toContain(trial.ids.igmCorrection);
    });

    it('places a void under the entry it voids, with the reason', async () => {
      const { body } = await bearer(app, trial.auditor).get(`/audit/patients/${trial.anna}/history`).expect(200);
      const ae = body.entries.find((entry: { eventId: string }) => entry.eventId === trial.ids.annaAe);
      expect(ae).toMatchObject({
        status: 'voided',
        current: null,
        amendments: [{ kind: 'void', eventId: trial.ids.aeVoid, reason: 'entered for the wrong patient' }],
      });
    });

    it('shows an auditor the masked analytes a blinded reader never sees', async () => {
      const { body } = await bearer(app, trial.auditor).get(`/audit/patients/${trial.anna}/history`).expect(200);
      const cd19 = body.entries.find((entry: { eventId: string }) => entry.eventId === trial.ids.annaCd19);
      expect(cd19.data).toMatchObject({ analyte: 'CD19', value: 187.25 });
    });

    it('records the read of the patient as an access event before answering', async () => {
      const count = async () =>
        (
          await app.dataSource.query(
            `SELECT count(*)::int AS n FROM event_store.events WHERE type = 'AccessRecorded' AND data->>'resource' = $1`,
            [`patient/${trial.anna}`],
          )
        )[0].n;
      const before = await count();
      await bearer(app, trial.auditor).get(`/audit/patients/${trial.anna}/history`).expect(200);
      expect(await count()).toBe(before + 1);
    });

    it('answers 404 for a patient the log does not hold', async () => {
      const res = await bearer(app, trial.auditor).get('/audit/patients/S09-9999/history').expect(404);
      expect(res.body).toMatchObject({ error: 'not_found', details: [{ field: 'patientId', rule: 'exists' }] });
    });
  });
});
