import { MONITORING_PROJECTION } from '../../apps/monitoring/src/projection/monitoring.projection';
import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';
import { rebuildProjection, verifyProjection } from '@trialstream/projections';
import { read } from './monitoring-desk';
import { AS_OF_1, AS_OF_2, threeSiteTrial, type ThreeSiteTrial } from './three-site-trial';

const quiet = { warn: () => undefined, error: () => undefined };

describe('the monitoring read model rebuilt from the store', () => {
  let trial: ThreeSiteTrial;
  let store: PostgresEventStore;
  let auditor: string;

  beforeAll(async () => {
    trial = await threeSiteTrial();
    store = trial.app.app.get<PostgresEventStore>(EVENT_STORE);
    auditor = await trial.app.userToken('auditor');
  });
  afterAll(() => trial?.app.close());

  /** Every monitoring answer for every site at both dates, and the rows behind them. */
  async function everything() {
    const answers: Record<string, unknown> = {};
    for (const asOf of [AS_OF_1, AS_OF_2]) {
      answers[`sites ${asOf}`] = (await read(trial.app, auditor, `/monitoring/sites?asOf=${asOf}`)).body;
      for (const siteId of ['PAR', 'ZRH', 'BSL']) {
        for (const list of ['patients', 'deviations', 'queries']) {
          answers[`${siteId} ${list} ${asOf}`] = (await read(trial.app, auditor, `/monitoring/sites/${siteId}/${list}?asOf=${asOf}`)).body;
        }
      }
    }
    const rows = {
      patients: await trial.app.dataSource.query(`SELECT * FROM monitoring.patients ORDER BY patient_id`),
      events: await trial.app.dataSource.query(`SELECT * FROM monitoring.events ORDER BY patient_id, stream_version`),
      sites: await trial.app.dataSource.query(`SELECT * FROM monitoring.sites ORDER BY site_id`),
    };
    return { answers, rows };
  }

  it('verifies row for row against a replay of the whole log', async () => {
    await read(trial.app, auditor, '/monitoring/sites');
    const report = await verifyProjection(MONITORING_PROJECTION, store, trial.app.dataSource, { logger: quiet });

    expect(report.identical).toBe(true);
    expect(report.tables.map(({ table, liveRows, rebuiltRows }) => ({ table, liveRows, rebuiltRows }))).toEqual([
      // 8 patients (3 + 3 + 2) and 3 activated sites
      { table: 'patients', liveRows: 8, rebuiltRows: 8 },
      { table: 'sites', liveRows: 3, rebuiltRows: 3 },
      // each site's count of its patients' events
      { table: 'site_activity', liveRows: 3, rebuiltRows: 3 },
      // the default trial's log holds no protocol version: its masking is the built-in protocol's
      { table: 'trials', liveRows: 0, rebuiltRows: 0 },
      // one row per event of the 8 patients' streams
      { table: 'events', liveRows: 77, rebuiltRows: 77 },
    ]);
  });

  it('answers every monitoring question the same after a rebuild swapped in', async () => {
    const live = await everything();

    const report = await rebuildProjection(MONITORING_PROJECTION, store, trial.app.dataSource, { logger: quiet });

    expect(report).toMatchObject({ projection: 'monitoring', schema: 'monitoring', deadLettered: 0 });
    expect(await everything()).toEqual(live);
  });
});
