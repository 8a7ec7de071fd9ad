import type { TestApp } from '../support/app';
import { bearer, NON_AUDITOR_ROLES, recordTrial, startAuditApp, type RecordedTrial } from './audit-trial';

describe('only auditors reach the audit API', () => {
  let app: TestApp;
  let trial: RecordedTrial;
  let routes: string[];

  beforeAll(async () => {
    app = await startAuditApp();
    trial = await recordTrial(app);
    const at = encodeURIComponent(trial.correctedAt.toISOString());
    routes = [
      '/audit/events',
      '/audit/events.ndjson',
      `/audit/patients/${trial.anna}/history`,
      '/audit/verify',
      `/audit/patients/${trial.anna}/as-of?at=${at}`,
      '/audit/projections/registry/as-of?position=5',
      '/audit/exports/odm.xml',
      '/audit/exports/sdtm/LB.csv',
    ];
  });
  afterAll(() => app?.close());

  it.each(NON_AUDITOR_ROLES)('refuses every audit route to a %s with 403, in the API error shape', async (role) => {
    const token = await app.userToken(role, role === 'site_coordinator' || role === 'monitor' ? ['S01'] : []);
    for (const route of routes) {
      const res = await bearer(app, token).get(route);
      expect({ route, status: res.status, error: res.body.error }).toEqual({ route, status: 403, error: 'forbidden' });
    }
  });

  it('refuses every audit route without credentials with 401', async () => {
    for (const route of routes) {
      const res = await app.http().get(route);
      expect({ route, status: res.status }).toEqual({ route, status: 401 });
    }
  });

  it('answers every audit route for an auditor', async () => {
    for (const route of routes) {
      const res = await bearer(app, trial.auditor).get(route);
      // Verification starts a job: 202 Accepted.
      expect({ route, status: res.status }).toEqual({ route, status: route === '/audit/verify' ? 202 : 200 });
    }
  });

  it('records nothing for a refused request', async () => {
    const monitor = await app.userToken('monitor', ['S01']);
    const before = await app.dataSource.query(`SELECT count(*)::int AS n FROM event_store.events WHERE type = 'AccessRecorded'`);
    await bearer(app, monitor).get('/audit/exports/odm.xml').expect(403);
    await bearer(app, monitor).get(`/audit/patients/${trial.anna}/history`).expect(403);
    const after = await app.dataSource.query(`SELECT count(*)::int AS n FROM event_store.events WHERE type = 'AccessRecorded'`);
    expect(after[0].n).toBe(before[0].n);
  });
});
