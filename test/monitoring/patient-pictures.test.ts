import type { TestApp } from '../support/app';
import { MonitorDesk, PatientDesk, read, sitesOf, startMonitoringApp } from './monitoring-desk';

/**
 * Monitoring keeps each patient's picture by stream version, date and rules, and reads again only the
 * patients whose rows moved: a monitor reading the same views again and again must still see every event
 * of every patient, whichever patient of a site it touched and whatever dates were read in between.
 */
describe('a monitor reading the same site again and again', () => {
  let app: TestApp;
  let monitor: MonitorDesk;
  let first: PatientDesk;
  let second: PatientDesk;
  let other: PatientDesk;
  const infusions: Record<string, string> = {};

  beforeAll(async () => {
    app = await startMonitoringApp('2026-03-01');
    const { S01, S02 } = await sitesOf(app, ['S01', 'S02']);
    monitor = new MonitorDesk(app, await app.userToken('monitor', ['S01', 'S02']));
    first = await S01.enrol('0001', '2026-03-01');
    second = await S01.enrol('0002', '2026-03-02');
    other = await S02.enrol('0001', '2026-03-02');
    for (const [patient, kit] of [
      [first, 'K-0001'],
      [second, 'K-0002'],
      [other, 'K-0003'],
    ] as const) {
      await patient.randomize('2026-03-05', kit);
      infusions[patient.patientId] = await patient.infusion('2026-03-12');
    }
  });
  afterAll(() => app?.close());

  const get = async (path: string) => (await read(app, monitor.token, path)).body;
  const openQueriesByPatient = async (asOf: string) =>
    Object.fromEntries(
      ((await get(`/monitoring/sites/S01/patients?asOf=${asOf}`)).items as Array<{ patientId: string; queries: { open: number } }>).map(
        (patient) => [patient.patientId, patient.queries.open],
      ),
    );
  const openBySite = async (asOf: string) =>
    Object.fromEntries(
      ((await get(`/monitoring/sites?asOf=${asOf}`)).items as Array<{ siteId: string; queries: { open: { count: number } } }>).map(
        (site) => [site.siteId, site.queries.open.count],
      ),
    );

  it("counts a query on one patient of a site at once, leaves the site's other patient and the other site as they were", async () => {
    const asOf = '2026-03-20';
    expect(await openBySite(asOf)).toEqual({ S01: 0, S02: 0 });
    expect(await openQueriesByPatient(asOf)).toEqual({ [first.patientId]: 0, [second.patientId]: 0 });

    await monitor.raiseQuery(
      second.patientId,
      infusions[second.patientId],
      'administeredDoseMg',
      'Dose per the pharmacy log?',
      '2026-03-14',
    );
    expect(await openBySite(asOf)).toEqual({ S01: 1, S02: 0 });
    expect(await openQueriesByPatient(asOf)).toEqual({ [first.patientId]: 0, [second.patientId]: 1 });

    await monitor.raiseQuery(other.patientId, infusions[other.patientId], 'administeredDoseMg', 'Dose per the pharmacy log?', '2026-03-15');
    await monitor.raiseQuery(first.patientId, infusions[first.patientId], 'administeredDoseMg', 'Dose per the pharmacy log?', '2026-03-15');
    expect(await openBySite(asOf)).toEqual({ S01: 2, S02: 1 });
    expect(await openQueriesByPatient(asOf)).toEqual({ [first.patientId]: 1, [second.patientId]: 1 });
  });

  it('answers each date by the records as they stand at it, however the dates read alternate', async () => {
    // the queries were raised on 14 and 15 March: a day before, none was open
    for (const [asOf, expected] of [
      ['2026-03-13', { S01: 0, S02: 0 }],
      ['2026-03-20', { S01: 2, S02: 1 }],
      ['2026-03-14', { S01: 1, S02: 0 }],
      ['2026-03-20', { S01: 2, S02: 1 }],
    ] as const) {
      expect({ asOf, open: await openBySite(asOf) }).toEqual({ asOf, open: expected });
    }
    expect(await openQueriesByPatient('2026-03-14')).toEqual({ [first.patientId]: 0, [second.patientId]: 1 });
  });
});
