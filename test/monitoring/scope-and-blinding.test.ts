import { submission } from '../ingest/site-api';
import { read } from './monitoring-desk';
import { AS_OF_1, AS_OF_2, CODE_BREAK_ARM, MASKED_VALUES, threeSiteTrial, type ThreeSiteTrial } from './three-site-trial';

const SITE_LISTS = ['', '/patients', '/deviations', '/queries', '/patients/export.csv', '/deviations/export.csv', '/queries/export.csv'];

/** Every monitoring route of a site, as a path. */
const siteRoutes = (siteId: string) => SITE_LISTS.map((list) => `/monitoring/sites/${siteId}${list}`);

describe('site scope and blinding of the monitoring API', () => {
  let trial: ThreeSiteTrial;

  beforeAll(async () => {
    trial = await threeSiteTrial();
  });
  afterAll(() => trial?.app.close());

  const exportsRecorded = async (): Promise<number> =>
    (await trial.app.dataSource.query(`SELECT count(*)::int AS n FROM event_store.events WHERE type = 'AccessRecorded'`))[0].n;

  it('refuses a monitor every route of a site outside the assigned ones with 403, and records no export', async () => {
    const before = await exportsRecorded();
    for (const path of siteRoutes('ZRH')) {
      const response = await read(trial.app, trial.monitorA.token, `${path}?asOf=${AS_OF_2}`);
      expect({ path, status: response.status, body: response.body }).toEqual({
        path,
        status: 403,
        body: {
          error: 'forbidden',
          message: 'site ZRH is outside the sites assigned to you',
          details: [{ field: 'siteId', rule: 'site-scope' }],
        },
      });
    }
    expect(await exportsRecorded()).toBe(before);
  });

  it('shows a monitor’s overview and its export only the assigned sites', async () => {
    const overview = await read(trial.app, trial.monitorA.token, `/monitoring/sites?asOf=${AS_OF_2}`);
    expect(overview.body.items.map((site: { siteId: string }) => site.siteId)).toEqual(['PAR']);
    const csv = await read(trial.app, trial.monitorA.token, `/monitoring/sites/export.csv?asOf=${AS_OF_2}`);
    expect(
      csv.text
        .split('\r\n')
        .filter(Boolean)
        .map((line) => line.split(',')[0]),
    ).toEqual(['siteId', 'PAR']);
  });

  it('shows a site coordinator its own site only, its query inbox included', async () => {
    const coordinator = trial.coordinators.ZRH;
    const overview = await read(trial.app, coordinator, `/monitoring/sites?asOf=${AS_OF_2}`);
    expect(overview.body.items.map((site: { siteId: string }) => site.siteId)).toEqual(['ZRH']);

    const inbox = await read(trial.app, coordinator, `/monitoring/sites/ZRH/queries?asOf=${AS_OF_2}&status=open`);
    expect(inbox.body.items.map((query: { queryId: string }) => query.queryId)).toEqual([trial.ids.q4]);

    for (const path of [...siteRoutes('PAR'), ...siteRoutes('BSL')]) {
      expect({ path, status: (await read(trial.app, coordinator, path)).status }).toEqual({ path, status: 403 });
    }
  });

  it('refuses a monitor the workflow on another site’s patients', async () => {
    const post = (path: string, body: object) => trial.app.http().post(path).set('Authorization', trial.monitorA.token).send(body);
    const query = { ...submission(), targetEventId: trial.ids.zrh001Infusion1, field: 'administeredDoseMg', text: 'x' };
    expect((await post('/patients/ZRH-001/queries', query)).body).toEqual({
      error: 'forbidden',
      message: 'site ZRH is outside the sites assigned to you',
      details: [{ field: 'patientId', rule: 'site-scope' }],
    });
    await post('/patients/ZRH-001/source-data-verifications', { ...submission(), targetEventId: trial.ids.zrh001Infusion1 }).expect(403);
    await post(`/patients/ZRH-001/queries/${trial.ids.q4}/close`, submission()).expect(403);
  });

  it('keeps monitoring from roles that may not read patient data', async () => {
    for (const role of ['blinded_statistician', 'administrator'] as const) {
      const token = await trial.app.userToken(role);
      expect((await read(trial.app, token, '/monitoring/sites')).status).toBe(403);
      expect((await read(trial.app, token, '/monitoring/sites/PAR/queries')).status).toBe(403);
    }
    expect((await trial.app.http().get('/monitoring/sites')).status).toBe(401);
  });

  it('answers 404 for a site in scope that the trial does not have', async () => {
    const token = await trial.app.userToken('monitor', ['PAR', 'GVA']);
    const response = await read(trial.app, token, '/monitoring/sites/GVA');
    expect(response.status).toBe(404);
    expect(response.body.details).toEqual([{ field: 'siteId', rule: 'exists' }]);
  });

  describe('blinding', () => {
    const masked = Object.values(MASKED_VALUES).flatMap(({ cd19, cd20 }) => [String(cd19), String(cd20)]);
    const allocation = new RegExp(`${CODE_BREAK_ARM}|rituximab|"arm"|\\barm\\b|allocation`, 'i');

    it('holds the masked values and the revealed arm in the log, where an unblinded auditor reads them', async () => {
      const auditor = await trial.app.userToken('auditor');
      const history = (await read(trial.app, auditor, '/patients/PAR-001/events')).text;
      expect(history).toContain(String(MASKED_VALUES.PAR.cd19));
      const [codeBreak] = await trial.app.dataSource.query(`SELECT data FROM event_store.events WHERE type = 'CodeBreakPerformed'`);
      expect(codeBreak.data.arm).toBe(CODE_BREAK_ARM);
    });

    it('puts no arm and no masked analyte value in any monitoring response or export for a blinded role', async () => {
      const readers = [
        { name: 'monitor A', token: trial.monitorA.token, sites: ['PAR'] },
        { name: 'monitor B', token: trial.monitorB.token, sites: ['ZRH', 'BSL'] },
        ...(['PAR', 'ZRH', 'BSL'] as const).map((siteId) => ({
          name: `coordinator ${siteId}`,
          token: trial.coordinators[siteId],
          sites: [siteId],
        })),
      ];
      let scanned = 0;
      for (const reader of readers) {
        const paths = ['/monitoring/sites', '/monitoring/sites/export.csv', ...reader.sites.flatMap(siteRoutes)];
        for (const path of paths) {
          for (const asOf of [AS_OF_1, AS_OF_2, undefined]) {
            const url = asOf ? `${path}?asOf=${asOf}` : path;
            const response = await read(trial.app, reader.token, url);
            expect({ reader: reader.name, url, status: response.status }).toEqual({ reader: reader.name, url, status: 200 });
            const leaked = masked.filter((value) => response.text.includes(value));
            expect({ reader: reader.name, url, leaked, allocation: allocation.exec(response.text)?.[0] ?? null }).toEqual({
              reader: reader.name,
              url,
              leaked: [],
              allocation: null,
            });
            scanned += 1;
          }
        }
      }
      // 5 readers; overview and its export, and 7 routes per site: (2 + 7) × 3 + (2 + 14) × 3 + (2 + 7) × 3 × 3 = 156 responses
      expect(scanned).toBe(156);
    });

    it('counts the code-break per patient without saying what it revealed', async () => {
      const patients = await read(trial.app, trial.monitorB.token, `/monitoring/sites/BSL/patients?asOf=${AS_OF_2}`);
      expect(
        patients.body.items.map((patient: { patientId: string; codeBreaks: number }) => [patient.patientId, patient.codeBreaks]),
      ).toEqual([
        ['BSL-001', 1],
        ['BSL-002', 0],
      ]);
    });

    it('keeps the read model itself free of masked values and allocations', async () => {
      const rows = await trial.app.dataSource.query(
        `SELECT row_to_json(p)::text AS text FROM monitoring.patients p UNION ALL SELECT row_to_json(s)::text FROM monitoring.sites s
         UNION ALL SELECT row_to_json(e)::text FROM monitoring.events e`,
      );
      const text = rows.map((row: { text: string }) => row.text).join('\n');
      // the B-cell counts are there, without their values
      expect(text.match(/"analyte": ?"CD(19|20)", ?"masked": ?true|"masked": ?true, ?"analyte": ?"CD(19|20)"/g)).toHaveLength(6);
      expect(masked.filter((value) => text.includes(value))).toEqual([]);
      expect(allocation.exec(text)?.[0] ?? null).toBeNull();
    });
  });
});
