import { submission } from '../ingest/site-api';
import type { TestApp } from '../support/app';
import { MonitorDesk, noonOf, PatientDesk, read, sitesOf, startMonitoringApp } from './monitoring-desk';

describe('a query raised, answered with a correction and closed', () => {
  let app: TestApp;
  let monitor: MonitorDesk;
  let patient: PatientDesk;
  let infusion: string;

  beforeAll(async () => {
    app = await startMonitoringApp('2026-03-01');
    const { S01 } = await sitesOf(app, ['S01']);
    monitor = new MonitorDesk(app, await app.userToken('monitor', ['S01']));
    patient = await S01.enrol('0001', '2026-03-01');
    await patient.randomize('2026-03-05', 'K-0001');
    // 900 mg against 705 mg planned: stored, flagged as a dose deviation
    infusion = await patient.infusion('2026-03-12', 900);
  });
  afterAll(() => app?.close());

  const site = async (asOf: string) => (await read(app, monitor.token, `/monitoring/sites/S01?asOf=${asOf}`)).body;
  const queryList = async (asOf: string) => (await read(app, monitor.token, `/monitoring/sites/S01/queries?asOf=${asOf}`)).body.items;
  const counts = (indicators: { queries: Record<string, { count: number }> }) =>
    Object.fromEntries(Object.entries(indicators.queries).map(([status, { count }]) => [status, count]));
  const post = (token: string, path: string, body: object) => app.http().post(path).set('Authorization', token).send(body);

  it('moves the counts, replaces the value in the read model with the correction, and keeps both in the log', async () => {
    await monitor.verify(patient.patientId, infusion, '2026-03-12');
    const queryId = await monitor.raiseQuery(
      patient.patientId,
      infusion,
      'administeredDoseMg',
      'The pharmacy log shows 705 mg.',
      '2026-03-13',
    );

    let indicators = await site('2026-03-13');
    expect(counts(indicators)).toEqual({ open: 1, answered: 0, closed: 0, cancelled: 0 });
    expect(indicators.deviations.byCode['dose-off-by-more-than-10-percent']).toBe(1);
    expect(indicators.sourceDataVerification).toMatchObject({ verified: 1 });
    expect(await queryList('2026-03-13')).toEqual([expect.objectContaining({ queryId, status: 'open', ageDays: 0, currentValue: 900 })]);

    const correction = await patient.correct(infusion, '2026-03-12', { doseLevelMgPerM2: 375, administeredDoseMg: 705 }, '2026-03-14');
    await patient.answerQuery(queryId, 'Transcription error, corrected to 705 mg.', '2026-03-14', correction);

    indicators = await site('2026-03-14');
    expect(counts(indicators)).toEqual({ open: 0, answered: 1, closed: 0, cancelled: 0 });
    // the corrected infusion is within tolerance: the deviation went with the value
    expect(indicators.deviations.total).toBe(0);
    // a correction of a verified value makes it unverified again
    expect(indicators.sourceDataVerification).toMatchObject({ verified: 0 });
    expect(await queryList('2026-03-14')).toEqual([
      expect.objectContaining({
        queryId,
        status: 'answered',
        ageDays: 1,
        answer: { text: 'Transcription error, corrected to 705 mg.', at: '2026-03-14T12:00:00.000Z', correctionEventId: correction },
        currentValue: 705,
      }),
    ]);

    await monitor.close(patient.patientId, queryId, '2026-03-15');

    indicators = await site('2026-03-20');
    expect(counts(indicators)).toEqual({ open: 0, answered: 0, closed: 1, cancelled: 0 });
    // closed after 2 days, and it stops ageing
    expect(indicators.queries.closed.oldestAgeDays).toBe(2);
    // the day before the closure, it was still answered
    expect(counts(await site('2026-03-14'))).toEqual({ open: 0, answered: 1, closed: 0, cancelled: 0 });

    const [row] = await app.dataSource.query(`SELECT entry FROM monitoring.events WHERE patient_id = $1 AND event_id = $2`, [
      patient.patientId,
      infusion,
    ]);
    expect(row.entry).toMatchObject({ data: { administeredDoseMg: 705 }, correctedBy: correction });

    const log = (await read(app, monitor.token, `/patients/${patient.patientId}/events`)).body as Array<Record<string, any>>;
    expect(log.find((event) => event.eventId === infusion)).toMatchObject({ type: 'InfusionGiven', data: { administeredDoseMg: 900 } });
    expect(log.find((event) => event.eventId === correction)).toMatchObject({
      type: 'EntryCorrected',
      amends: { eventId: infusion, reason: 'Transcription error' },
      data: { correctedEventId: infusion, data: { administeredDoseMg: 705 } },
    });
    expect(log.filter((event) => event.type.startsWith('Query')).map((event) => [event.type, event.actor.role, event.occurredAt])).toEqual([
      ['QueryRaised', 'monitor', '2026-03-13T12:00:00.000Z'],
      ['QueryAnswered', 'site_coordinator', '2026-03-14T12:00:00.000Z'],
      ['QueryClosed', 'monitor', '2026-03-15T12:00:00.000Z'],
    ]);
  });

  it('re-opens a closed query and lets the monitor cancel an open one, each counted where it stands', async () => {
    const queryId = await monitor.raiseQuery(patient.patientId, infusion, 'occurredAt', 'Infusion date per the chart?', '2026-03-16');
    await patient.answerQuery(queryId, 'As recorded.', '2026-03-17');
    await monitor.close(patient.patientId, queryId, '2026-03-18');
    app.setNow(noonOf('2026-03-19'));
    await post(monitor.token, `/patients/${patient.patientId}/queries/${queryId}/reopen`, {
      ...submission(),
      text: 'The chart says 03-11.',
    }).expect(201);

    expect(await queryList('2026-03-19')).toContainEqual(
      expect.objectContaining({
        queryId,
        status: 'open',
        reopenedCount: 1,
        text: 'The chart says 03-11.',
        ageDays: 3,
        currentValue: '2026-03-12',
      }),
    );
    await monitor.cancel(patient.patientId, queryId, 'Chart entry was the error', '2026-03-20');
    expect(counts(await site('2026-03-20'))).toMatchObject({ open: 0, cancelled: 1 });
  });

  it('gives a retried raise the query id first given, and stores nothing new', async () => {
    app.setNow(noonOf('2026-03-21'));
    const body = { ...submission(), targetEventId: infusion, field: 'doseLevelMgPerM2', text: 'Dose level?' };
    const first = await post(monitor.token, `/patients/${patient.patientId}/queries`, body).expect(201);
    const retry = await post(monitor.token, `/patients/${patient.patientId}/queries`, body).expect(201);

    expect(first.body.queryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect((await queryList('2026-03-21')).filter((query: { field: string }) => query.field === 'doseLevelMgPerM2')).toHaveLength(1);
  });

  it('answers a date read before from the records as they stand now: a new query counts at once in every view', async () => {
    const asOf = '2026-03-31';
    const overview = async () => (await read(app, monitor.token, `/monitoring/sites?asOf=${asOf}`)).body.items[0];
    const [overviewBefore, siteBefore, listBefore] = [counts(await overview()), counts(await site(asOf)), await queryList(asOf)];

    const queryId = await monitor.raiseQuery(patient.patientId, infusion, 'cycle', 'Cycle per the pharmacy?', '2026-03-22');

    expect(counts(await overview())).toEqual({ ...overviewBefore, open: overviewBefore.open + 1 });
    expect(counts(await site(asOf))).toEqual({ ...siteBefore, open: siteBefore.open + 1 });
    expect((await queryList(asOf)).map((query: { queryId: string }) => query.queryId)).toEqual([
      ...listBefore.map((query: { queryId: string }) => query.queryId),
      queryId,
    ]);
  });

  it('refuses steps out of the workflow, and steps by the wrong role', async () => {
    app.setNow(noonOf('2026-03-22'));
    const queryId = await monitor.raiseQuery(patient.patientId, infusion, 'administeredDoseMg', 'Again?', '2026-03-22');
    const coordinator = patient.site.token;
    const path = `/patients/${patient.patientId}/queries/${queryId}`;

    const closedUnanswered = await post(monitor.token, `${path}/close`, submission()).expect(422);
    expect(closedUnanswered.body.details).toEqual([{ field: 'queryId', rule: 'query-transition-not-allowed' }]);
    await post(monitor.token, `${path}/answer`, { ...submission(), text: 'me?' }).expect(403);
    await post(coordinator, `${path}/close`, submission()).expect(403);
    await post(coordinator, `/patients/${patient.patientId}/queries`, {
      ...submission(),
      targetEventId: infusion,
      field: 'cycle',
      text: 'x',
    }).expect(403);
    await post(coordinator, `/patients/${patient.patientId}/source-data-verifications`, {
      ...submission(),
      targetEventId: infusion,
    }).expect(403);

    const unknownField = await post(monitor.token, `/patients/${patient.patientId}/queries`, {
      ...submission(),
      targetEventId: infusion,
      field: 'armAllocated',
      text: 'x',
    }).expect(422);
    expect(unknownField.body.details).toEqual([{ field: 'field', rule: 'unknown-field' }]);
  });
});
