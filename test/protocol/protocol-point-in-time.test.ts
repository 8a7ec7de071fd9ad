/**
 * Point-in-time views use the protocol version in force then (issue 12.2). An amendment effective
 * 2026-08-01 widens month 8 from ± 14 to ± 28 days, raises the primary endpoint's threshold from an
 * INCAT leg improvement of ≥ 1 to ≥ 2 points and adds a visit at month 12. The analysis as of a day reads the visits and endpoints of
 * the version in force that day, and places each assessment by the version in force on its own date;
 * the auditor's as-of views name the version in force at their moment, as the log then knew it.
 */
import { readFileSync } from 'node:fs';
import { shippedProtocolFile } from '@trialstream/config';
import { parse, stringify } from 'yaml';
import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { AuditModule } from '../../apps/audit/src/audit.module';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { PLATFORM_PROJECTIONS } from '../../apps/platform/src/migrations';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { whenReadModelsCaughtUp } from '../audit/audit-trial';
import { assessmentBody, enrolmentBody, infusionBody, randomizationBody, siteBody, submission } from '../ingest/site-api';
import { startTestApp, type TestApp } from '../support/app';

const AMENDMENT = (() => {
  const file = parse(readFileSync(shippedProtocolFile('placebo'), 'utf8'));
  file.visits.find((visit: { name: string }) => visit.name === 'month-8').window = { before: 28, after: 28 };
  file.endpoints[0].label = 'INCAT leg disability score improved by ≥ 2 points at month 8';
  file.endpoints[0].responder.by = 2;
  file.visits.push({
    name: 'month-12',
    anchor: 'first-infusion',
    day: 364,
    window: { before: 28, after: 28 },
    forms: ['clinical-assessment'],
    analytes: [],
  });
  return stringify(file);
})();

/**
 * INCAT legs 3 at baseline (the first infusion day). Month 8 is day 240 after the first infusion.
 * - early-1 (first infusion 2025-11-20, month 8 on 2026-07-18): 1 on 2026-06-25, day 217: outside
 *   version 1's window, inside the amendment's, but dated before the amendment took effect;
 * - early-2 (same start): 2 on 2026-07-10, day 232, in version 1's window: improved by 1;
 * - late-1 (first infusion 2026-01-12, month 8 on 2026-09-09): 1 on 2026-10-01, day 262: only in the
 *   amendment's window, dated after it took effect: improved by 2;
 * - late-2 (same start): 2 on 2026-09-09: improved by 1.
 */
const PATIENTS = [
  { number: '0001', start: '2025-11', followUp: ['2026-06-25', 1] },
  { number: '0002', start: '2025-11', followUp: ['2026-07-10', 2] },
  { number: '0003', start: '2026-01', followUp: ['2026-10-01', 1] },
  { number: '0004', start: '2026-01', followUp: ['2026-09-09', 2] },
] as const;
const STARTS = {
  '2025-11': { consent: '2025-11-01', enrolled: '2025-11-05', randomized: '2025-11-13', infusion: '2025-11-20' },
  '2026-01': { consent: '2026-01-01', enrolled: '2026-01-02', randomized: '2026-01-05', infusion: '2026-01-12' },
};

describe('point-in-time views by the protocol version in force then', () => {
  let app: TestApp;
  let statistician: string;
  let auditor: string;
  const get = async (path: string, token: string) => (await app.http().get(path).set('Authorization', token).expect(200)).body;

  beforeAll(async () => {
    // version 1 (the placebo file) takes effect on the day of the first start
    app = await startTestApp([IngestModule, AnalysisModule, AuditModule, ProjectionsModule.forRoot(PLATFORM_PROJECTIONS)], {
      now: new Date('2026-01-05T08:00:00Z'),
      protocolFile: shippedProtocolFile('placebo'),
    });
    const admin = await app.userToken('administrator');
    await app
      .http()
      .post('/sites')
      .set('Authorization', admin)
      .send(siteBody('S01', { occurredAt: '2025-10-01' }))
      .expect(201);
    const coordinator = await app.userToken('site_coordinator', ['S01']);
    statistician = await app.userToken('blinded_statistician');
    auditor = await app.userToken('auditor');
    const post = (path: string, body: object) => app.http().post(path).set('Authorization', coordinator).send(body).expect(201);

    app.setNow(new Date('2026-07-20T12:00:00Z'));
    for (const patient of PATIENTS) {
      const dates = STARTS[patient.start];
      const id = `S01-${patient.number}`;
      await post('/sites/S01/patients', enrolmentBody(patient.number, { occurredAt: dates.enrolled, consentDate: dates.consent }));
      await post(`/patients/${id}/randomization`, randomizationBody({ occurredAt: dates.randomized, kitNumber: `K-${patient.number}` }));
      await post(`/patients/${id}/infusions`, infusionBody({ occurredAt: dates.infusion }));
      await post(`/patients/${id}/assessments`, assessmentBody({ occurredAt: dates.infusion, incatLegs: 3 }));
      const [date, incatLegs] = patient.followUp;
      if (date < '2026-07-20') await post(`/patients/${id}/assessments`, assessmentBody({ occurredAt: date, incatLegs }));
    }

    app.setNow(new Date('2026-08-02T12:00:00Z'));
    await app
      .http()
      .post('/protocol/versions')
      .set('Authorization', admin)
      .send({ ...submission(), file: AMENDMENT, effectiveFrom: '2026-08-01' })
      .expect(201);

    app.setNow(new Date('2026-11-15T12:00:00Z'));
    for (const patient of PATIENTS) {
      const [date, incatLegs] = patient.followUp;
      if (date > '2026-07-20') await post(`/patients/S01-${patient.number}/assessments`, assessmentBody({ occurredAt: date, incatLegs }));
    }
    await whenReadModelsCaughtUp(app);
  }, 120_000);
  afterAll(() => app?.close());

  it("lists the visits and endpoints of the version in force on the day asked, today's by default", async () => {
    const month8 = (protocol: { visits: Array<{ name: string; window: unknown }> }) =>
      protocol.visits.find((visit) => visit.name === 'month-8')?.window;
    const before = await get('/analysis/protocol?asOf=2026-07-31', statistician);
    const after = await get('/analysis/protocol?asOf=2026-08-01', statistician);
    expect([month8(before), before.endpoints[0].responder.by]).toEqual([{ before: 14, after: 14 }, 1]);
    expect([month8(after), after.endpoints[0].responder.by]).toEqual([{ before: 28, after: 28 }, 2]);
    expect(await get('/analysis/protocol', statistician)).toEqual({ ...after, asOf: undefined });
  });

  it('reads the primary endpoint as of a day by that day’s version, each assessment placed by the version of its own date', async () => {
    const primary = async (asOf?: string) => {
      const body = await get(`/analysis/endpoints${asOf ? `?asOf=${asOf}` : ''}`, statistician);
      const [endpoint] = body.protocolEndpoints;
      return { rule: endpoint.rule.by, population: endpoint.population, responders: endpoint.responders, change: endpoint.change };
    };
    // version 1: early-2 improved by 1 in its window; early-1's day 217 is outside it
    expect(await primary('2026-07-31')).toEqual({
      rule: 1,
      population: 4,
      responders: 1,
      change: expect.objectContaining({ n: 1, mean: -1 }),
    });
    // the amendment: ≥ 2 points; late-2 improved by 1; late-1 not assessed yet on 09-30
    expect(await primary('2026-09-30')).toEqual({
      rule: 2,
      population: 4,
      responders: 0,
      change: expect.objectContaining({ n: 2, mean: -1 }),
    });
    // late-1's day 262 counts by the amendment's window; early-1's day 217 still does not: it was dated before the amendment
    const latest = { rule: 2, population: 4, responders: 1, change: expect.objectContaining({ n: 3, mean: -4 / 3 }) };
    expect(await primary('2026-10-31')).toEqual(latest);
    expect(await primary()).toEqual(latest);
  });

  it('refuses a malformed day naming the field, and a visit the version of that day does not have', async () => {
    const bad = await app.http().get('/analysis/endpoints?asOf=2026-02-30').set('Authorization', statistician).expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'asOf' })]);
    const unknown = await app
      .http()
      .get('/analysis/endpoints?asOf=2026-07-31&visit=month-12')
      .set('Authorization', statistician)
      .expect(400);
    expect(unknown.body.details).toEqual([{ field: 'visit', rule: 'unknown-visit' }]);
    expect((await get('/analysis/endpoints?asOf=2026-10-31&visit=month-12', statistician)).protocolEndpoints[0]).toMatchObject({
      visit: 'month-12',
      evaluable: 4,
      responders: 0,
    });
  });

  it('names, in the auditor’s as-of views, the version in force at the moment as the log then knew it', async () => {
    const before = await get(`/audit/patients/S01-0003/as-of?at=${encodeURIComponent('2026-07-25T00:00:00Z')}`, auditor);
    const after = await get(`/audit/patients/S01-0003/as-of?at=${encodeURIComponent('2026-11-16T00:00:00Z')}`, auditor);
    expect(before.protocol).toEqual({ version: 1, protocolId: 'anti-mag-rituximab-rct', effectiveFrom: '2026-01-05', on: '2026-07-25' });
    expect(after.protocol).toEqual({ version: 2, protocolId: 'anti-mag-rituximab-rct', effectiveFrom: '2026-08-01', on: '2026-11-16' });
    // the amendment, effective 2026-08-01, was logged on 2026-08-02: on the morning of 08-02 it was not known yet
    const logged = await get(`/audit/patients/S01-0003/as-of?at=${encodeURIComponent('2026-08-02T06:00:00Z')}`, auditor);
    expect(logged.protocol).toMatchObject({ version: 1, on: '2026-08-02' });
    const replay = await get(
      `/audit/projections/analysis/as-of?at=${encodeURIComponent('2026-07-25T00:00:00Z')}&table=observations&limit=1`,
      auditor,
    );
    expect(replay.protocol).toMatchObject({ version: 1 });
  });
});
