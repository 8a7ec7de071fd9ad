import { MonitoringReader } from '../../apps/monitoring/src/api/monitoring-reader';
import { MonitoringService } from '../../apps/monitoring/src/api/monitoring.service';
import type { TestApp } from '../support/app';
import { whenProjectionCaughtUp } from '../support/projections';
import { MonitorDesk, noonOf, read, sitesOf, startMonitoringApp, type PatientDesk } from './monitoring-desk';

/**
 * The warm-up folds today's figures of a quiet site before anyone asks, so that the first read after a start,
 * a catch-up or midnight is answered from what is kept; a site whose events are still arriving is left to its
 * reads. Its rounds are run here by hand, one after another (test apps run none of their own).
 */
describe("monitoring's warm-up of today's figures", () => {
  let app: TestApp;
  let monitor: MonitorDesk;
  let busy: PatientDesk;
  let infusion: string;
  let service: MonitoringService;
  let foldedSites: jest.SpyInstance;

  beforeAll(async () => {
    app = await startMonitoringApp('2026-03-01');
    const { S01, S02 } = await sitesOf(app, ['S01', 'S02']);
    monitor = new MonitorDesk(app, await app.userToken('monitor', ['S01', 'S02']));
    busy = await S01.enrol('0001', '2026-03-01');
    const quiet = await S02.enrol('0001', '2026-03-02');
    await busy.randomize('2026-03-05', 'K-0001');
    await quiet.randomize('2026-03-05', 'K-0002');
    infusion = await busy.infusion('2026-03-12');
    await quiet.infusion('2026-03-12');
    service = app.app.get(MonitoringService);
    foldedSites = jest.spyOn(app.app.get(MonitoringReader), 'patientsNamed');
    app.setNow(noonOf('2026-03-20'));
  });
  afterAll(() => app?.close());

  const overview = async (path: string) => {
    const response = await read(app, monitor.token, path);
    expect(response.status).toBe(200);
    return response.body;
  };

  /** The sites whose patients were read to be folded since the last look. */
  const sitesFolded = () => {
    const sites = foldedSites.mock.calls.flatMap(([, siteIds]) => siteIds as string[]);
    foldedSites.mockClear();
    return sites;
  };

  it('folds a site once its events stayed put for a round, and the first read of the day then folds only the site that moved', async () => {
    await whenProjectionCaughtUp(app.dataSource, 'monitoring');
    await service.warmToday();
    expect(sitesFolded()).toEqual([]);

    // S01 gets an event between the rounds: only S02 stayed put
    await monitor.raiseQuery(busy.patientId, infusion, 'administeredDoseMg', 'Dose per the pharmacy log?', '2026-03-20');
    await whenProjectionCaughtUp(app.dataSource, 'monitoring');
    await service.warmToday();
    expect(sitesFolded()).toEqual(['S02']);
    const gauge = (await app.http().get('/metrics').expect(200)).text
      .split('\n')
      .filter((line) => line.startsWith('trialstream_monitoring_sites_today{'));
    expect(gauge).toEqual([
      'trialstream_monitoring_sites_today{figures="kept"} 1',
      'trialstream_monitoring_sites_today{figures="stale"} 1',
    ]);

    const today = await overview('/monitoring/sites');
    expect(sitesFolded()).toEqual(['S01']);
    expect(
      today.items.map((site: { siteId: string; queries: { open: { count: number } } }) => [site.siteId, site.queries.open.count]),
    ).toEqual([
      ['S01', 1],
      ['S02', 0],
    ]);

    // S01 is quiet now, and its read kept today's figures: the next round has nothing to fold
    await service.warmToday();
    expect(sitesFolded()).toEqual([]);
  });

  it("folds every quiet site again once the date moves on, and keeps a past date's figures beside today's", async () => {
    const pastDate = await overview('/monitoring/sites?asOf=2026-03-13');
    expect(sitesFolded()).toEqual(['S01', 'S02']);
    // today's figures were not pushed out by the past date's
    await overview('/monitoring/sites');
    expect(sitesFolded()).toEqual([]);

    app.setNow(noonOf('2026-03-21'));
    await service.warmToday();
    expect(sitesFolded()).toEqual(['S01', 'S02']);
    await overview('/monitoring/sites');
    expect(sitesFolded()).toEqual([]);
    expect(await overview('/monitoring/sites?asOf=2026-03-13')).toEqual(pastDate);
    expect(sitesFolded()).toEqual([]);
  });
});
