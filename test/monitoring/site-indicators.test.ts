import { csvRows } from '../support/csv';
import { noonOf, read } from './monitoring-desk';
import { AS_OF_1, AS_OF_2, threeSiteTrial, type ThreeSiteTrial } from './three-site-trial';

/** Deviation counts by code; codes not named are zero. */
const byCode = (counts: Partial<Record<string, number>> = {}) => ({
  'dose-off-by-more-than-10-percent': 0,
  'infusion-out-of-window': 0,
  'limb-temperature-below-32C': 0,
  'visit-out-of-window': 0,
  ...counts,
});
const queries = (counts: Partial<Record<'open' | 'answered' | 'closed' | 'cancelled', [number, number]>> = {}) =>
  Object.fromEntries(
    (['open', 'answered', 'closed', 'cancelled'] as const).map((status) => {
      const [count, oldestAgeDays] = counts[status] ?? [0, null];
      return [status, { count, oldestAgeDays }];
    }),
  );

describe('per-site monitoring of a three-site trial (see three-site-trial.ts for the story)', () => {
  let trial: ThreeSiteTrial;

  beforeAll(async () => {
    trial = await threeSiteTrial();
  });
  afterAll(() => trial?.app.close());

  const get = async (token: string, path: string) => {
    const response = await read(trial.app, token, path);
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    return response;
  };
  const indicators = async (siteId: string, asOf: string) =>
    (await get(siteId === 'PAR' ? trial.monitorA.token : trial.monitorB.token, `/monitoring/sites/${siteId}?asOf=${asOf}`)).body;

  it('gives each site’s indicators at the end of 2026-03-20 as worked out by hand', async () => {
    expect(await indicators('PAR', AS_OF_1)).toEqual({
      siteId: 'PAR',
      name: 'Site PAR',
      asOf: AS_OF_1,
      // consented by 03-20: PAR-001 and PAR-002 (both randomized 03-05) and PAR-003 (screen failure)
      patients: { screened: 3, enrolled: 2, screenFailures: 1, randomized: 2, active: 2, withdrawn: 0 },
      // PAR-001: screening, baseline, infusions 1 (03-12) and 2 (03-19) done; infusion 3's window opens 03-24 → 4 expected, 4 done.
      // PAR-002: screening (03-03) and infusion 1 done; the screening anti-MAG, IgM and assessment of 03-03 lie inside the
      //          baseline window (02-26..03-12) too and fill it; CD19, CD20 and the nerve study are missing when the
      //          window closes: overdue; infusion 2 (window 03-17..03-21) not given by 03-20: due
      //          → 4 expected, 2 done, 1 due, 1 overdue, 3 forms missing.
      // PAR-003: a screen failure has no visits to track. Sum: 8 expected, 6 done, 1 due, 1 overdue, 3 missing.
      visits: { expected: 8, done: 6, due: 1, overdue: 1, missingForms: 3 },
      // clinical entries dated by 03-20 — PAR-001: 3 screening (0), 5 baseline (0), nerve study (7), infusion 03-12 (0),
      // infusion 03-19 entered 03-21 (2: dated by 03-20, so counted), AE (0); PAR-002: 3 screening (7 each), infusion (0),
      // AE (1). Sorted: 0 ×11, 1, 2, 7, 7, 7, 7 (17 entries): median x[8] = 0; p90 x[14.4] = 7 + 0.4 × (7 − 7) = 7; over 5 days: 4
      dataEntryLatency: { count: 17, median: 0, p90: 7, over5Days: 4 },
      // PAR-001's nerve study at 31.5 °C on 03-11; PAR-002's late infusion is dated 03-23
      deviations: { total: 1, byCode: byCode({ 'limb-temperature-below-32C': 1 }) },
      // PAR-001 03-13; PAR-002 03-15, serious
      adverseEvents: { total: 2, serious: 1 },
      // Q1 open since 03-18: 2 days; Q2 raised 03-17, cancelled 03-19: 2 days
      queries: queries({ open: [1, 2], cancelled: [1, 2] }),
      // eligible: PAR-001 14 (enrolment, randomization, 3 screening forms, IgM, anti-MAG, nerve study, assessment — not the
      // masked CD19/CD20 counts —, 4 infusions, AE) + PAR-002 9 (enrolment, randomization, 3 screening forms, 2 infusions,
      // AE, withdrawal) + PAR-003 1 = 24; verified: PAR-001's enrolment, randomization, first infusion = 3 → 3/24
      sourceDataVerification: { verified: 3, eligible: 24, share: 0.125 },
      codeBreaks: { events: 0, patients: 0 },
    });

    expect(await indicators('ZRH', AS_OF_1)).toEqual({
      siteId: 'ZRH',
      name: 'Site ZRH',
      asOf: AS_OF_1,
      // ZRH-001 (randomized 03-06) and ZRH-002 (consent 03-10); ZRH-003 consents only on 03-25
      patients: { screened: 2, enrolled: 2, screenFailures: 0, randomized: 1, active: 1, withdrawn: 0 },
      // ZRH-001: screening (03-02), infusion 1 (planned 03-13 ±7, given 03-16) and baseline (03-15; window 03-02..03-16) done,
      //          infusion 2's window opens 03-21 → 3 expected, 3 done.
      // ZRH-002: screening window 03-10..04-07 open, anti-MAG done, IgM and assessment outstanding → 1 expected, 1 due.
      visits: { expected: 4, done: 3, due: 1, overdue: 0, missingForms: 0 },
      // ZRH-001: screening 2, 2, 2; baseline labs and nerve study 3 ×5, assessment 7; infusion 03-16 entered 03-17: 1.
      // ZRH-002: anti-MAG 2. Sorted: 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 7: median x[5] = 3; p90 x[9] = 3; over 5 days: 1
      dataEntryLatency: { count: 11, median: 3, p90: 3, over5Days: 1 },
      deviations: { total: 0, byCode: byCode() },
      adverseEvents: { total: 0, serious: 0 },
      // Q3 raised 03-17, closed 03-19: 2 days
      queries: queries({ closed: [1, 2] }),
      // eligible: ZRH-001 13 (enrolment, randomization, 3 screening forms, IgM, anti-MAG, nerve study, assessment, 4 infusions)
      // + ZRH-002 2 (enrolment, anti-MAG) = 15; verified (as the record stands): infusion 1 and the assessment's INCAT legs
      sourceDataVerification: { verified: 2, eligible: 15, share: 2 / 15 },
      codeBreaks: { events: 0, patients: 0 },
    });

    expect(await indicators('BSL', AS_OF_1)).toEqual({
      siteId: 'BSL',
      name: 'Site BSL',
      asOf: AS_OF_1,
      patients: { screened: 2, enrolled: 1, screenFailures: 1, randomized: 1, active: 1, withdrawn: 0 },
      // BSL-001: screening (03-01), infusions 1 (03-11) and 2 (03-18) done; baseline (window closed 03-11) lacks its
      // nerve study (done only 03-27): overdue, 1 form missing; infusion 3 opens 03-23 → 4 expected, 3 done, 1 overdue
      visits: { expected: 4, done: 3, due: 0, overdue: 1, missingForms: 1 },
      // 3 screening + 5 baseline + 2 infusions + AE 03-20, all entered the same day: 11 × 0
      dataEntryLatency: { count: 11, median: 0, p90: 0, over5Days: 0 },
      // 600 mg on 03-18 against 705 mg planned
      deviations: { total: 1, byCode: byCode({ 'dose-off-by-more-than-10-percent': 1 }) },
      adverseEvents: { total: 1, serious: 0 },
      queries: queries(),
      // eligible: BSL-001 15 (enrolment, randomization, 3 screening, IgM, anti-MAG, assessment, nerve study, 4 infusions,
      // 2 AEs) + BSL-002 1 = 16; none verified
      sourceDataVerification: { verified: 0, eligible: 16, share: 0 },
      codeBreaks: { events: 0, patients: 0 },
    });
  });

  it('gives each site’s indicators at the end of 2026-04-20 as worked out by hand', async () => {
    expect(await indicators('PAR', AS_OF_2)).toEqual({
      siteId: 'PAR',
      name: 'Site PAR',
      asOf: AS_OF_2,
      // PAR-002 withdrew on 04-05
      patients: { screened: 3, enrolled: 2, screenFailures: 1, randomized: 2, active: 1, withdrawn: 1 },
      // PAR-001: + infusions 3 (03-26) and 4 (04-02) → 6 expected, 6 done; month 3 opens 05-28.
      // PAR-002: infusion 2 given 03-23 fills its visit (late: a deviation, not a gap); infusions 3 (03-24..03-28) and
      //          4 (03-31..04-04) opened before the withdrawal and were never given: overdue; the follow-ups opened after it
      //          and are no longer expected → 6 expected, 3 done, 3 overdue, 3 + 1 + 1 = 5 forms missing.
      visits: { expected: 12, done: 9, due: 0, overdue: 3, missingForms: 5 },
      // + PAR-001 infusions 03-26 and 04-02 (0, 0) and PAR-002 infusion 03-23 (0): 0 ×14, 1, 2, 7, 7, 7, 7 (20 entries):
      // median (x[9] + x[10]) / 2 = 0; p90 x[17.1] = 7; over 5 days: 4
      dataEntryLatency: { count: 20, median: 0, p90: 7, over5Days: 4 },
      // + PAR-002's infusion 2 on day 12 (due day 8 ±2) and PAR-001's 800 mg infusion on 03-26
      deviations: {
        total: 3,
        byCode: byCode({ 'dose-off-by-more-than-10-percent': 1, 'infusion-out-of-window': 1, 'limb-temperature-below-32C': 1 }),
      },
      adverseEvents: { total: 2, serious: 1 },
      // Q1 answered 03-25 and not closed: 03-18 → 04-20 = 33 days; Q2 still 2
      queries: queries({ answered: [1, 33], cancelled: [1, 2] }),
      sourceDataVerification: { verified: 3, eligible: 24, share: 0.125 },
      codeBreaks: { events: 0, patients: 0 },
    });

    expect(await indicators('ZRH', AS_OF_2)).toEqual({
      siteId: 'ZRH',
      name: 'Site ZRH',
      asOf: AS_OF_2,
      patients: { screened: 3, enrolled: 3, screenFailures: 0, randomized: 1, active: 1, withdrawn: 0 },
      // ZRH-001: + infusions 2-4 → 6 expected, 6 done. ZRH-002: screening closed 04-07 without IgM and assessment: overdue,
      // 2 missing. ZRH-003: screening window 03-25..04-22 open, nothing recorded: due → 8 expected, 6 done, 1 due, 1 overdue
      visits: { expected: 8, done: 6, due: 1, overdue: 1, missingForms: 2 },
      // + ZRH-001 infusions 03-23 (1), 03-30 (1), 04-06 (0); ZRH-003's AE of 03-30 entered 04-08 (9).
      // Sorted: 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 7, 9 (15): median x[7] = 2; p90 x[12.6] = 3 + 0.6 × (7 − 3) = 5.4;
      // over 5 days: 7 and 9
      dataEntryLatency: { count: 15, median: 2, p90: 5.4, over5Days: 2 },
      deviations: { total: 0, byCode: byCode() },
      adverseEvents: { total: 1, serious: 1 },
      // Q4 open since 04-10: 10 days; Q3 closed after 2
      queries: queries({ open: [1, 10], closed: [1, 2] }),
      // + ZRH-003 2 (enrolment, AE) = 17 eligible
      sourceDataVerification: { verified: 2, eligible: 17, share: 2 / 17 },
      codeBreaks: { events: 0, patients: 0 },
    });

    expect(await indicators('BSL', AS_OF_2)).toEqual({
      siteId: 'BSL',
      name: 'Site BSL',
      asOf: AS_OF_2,
      patients: { screened: 2, enrolled: 1, screenFailures: 1, randomized: 1, active: 1, withdrawn: 0 },
      // the nerve study of 03-27 fills the baseline (the closest visit expecting one), out of its window; infusions 3
      // and 4 done → 6 expected, 6 done
      visits: { expected: 6, done: 6, due: 0, overdue: 0, missingForms: 0 },
      // + nerve study, infusions 03-25 and 04-01 (0 each), AE 04-10 entered 04-12 (2): 0 ×14, 2 → median 0,
      // p90 x[12.6] = 0 + 0.6 × (0 − 0) = 0
      dataEntryLatency: { count: 15, median: 0, p90: 0, over5Days: 0 },
      // + the baseline visit out of window (nerve study 03-27, window 02-25..03-11)
      deviations: { total: 2, byCode: byCode({ 'dose-off-by-more-than-10-percent': 1, 'visit-out-of-window': 1 }) },
      adverseEvents: { total: 2, serious: 1 },
      queries: queries(),
      sourceDataVerification: { verified: 0, eligible: 16, share: 0 },
      // BSL-001's emergency code-break of 04-15: counted, the arm it revealed is nowhere
      codeBreaks: { events: 1, patients: 1 },
    });
  });

  it('gives a monitor’s sites overview with the same figures, one row per assigned site', async () => {
    const overview = await get(trial.monitorB.token, `/monitoring/sites?asOf=${AS_OF_2}`);
    expect(overview.body).toEqual({ asOf: AS_OF_2, items: [await indicators('BSL', AS_OF_2), await indicators('ZRH', AS_OF_2)] });
  });

  it('lists a site’s patients with the next visit due and what is overdue or missing', async () => {
    const early = await get(trial.monitorA.token, `/monitoring/sites/PAR/patients?asOf=${AS_OF_1}`);
    expect(early.body).toMatchObject({ asOf: AS_OF_1, total: 3, limit: 100, offset: 0 });
    const [par001, par002, par003] = early.body.items;
    expect(par001).toMatchObject({
      patientId: 'PAR-001',
      status: 'randomized',
      consentDate: '2026-03-01',
      randomizationDate: '2026-03-05',
      // cycle day 15 of the cycle that started 03-12, ±2 days
      nextVisit: {
        visitId: 'cycle-1-infusion-3',
        status: 'upcoming',
        targetDate: '2026-03-26',
        windowStart: '2026-03-24',
        windowEnd: '2026-03-28',
      },
      overdueVisits: [],
      deviations: 1,
      queries: { open: 1, answered: 0, closed: 0, cancelled: 0 },
      // verified: enrolment, randomization, infusion 1 of 14 eligible
      sourceDataVerification: { verified: 3, eligible: 14, share: 3 / 14 },
    });
    expect(par002).toMatchObject({
      patientId: 'PAR-002',
      nextVisit: { visitId: 'cycle-1-infusion-2', status: 'due', windowEnd: '2026-03-21', missingForms: ['infusion'] },
      overdueVisits: [
        {
          visitId: 'baseline',
          windowStart: '2026-02-26',
          windowEnd: '2026-03-12',
          missingForms: ['lab:CD19', 'lab:CD20', 'neurography'],
        },
      ],
      adverseEvents: { total: 1, serious: 1 },
    });
    expect(par003).toMatchObject({ patientId: 'PAR-003', status: 'screen_failed', nextVisit: null, overdueVisits: [] });

    // a page holds whole items, the same as the full list's, and the total counts every patient the filter keeps
    const secondPage = await get(trial.monitorA.token, `/monitoring/sites/PAR/patients?asOf=${AS_OF_1}&limit=1&offset=1`);
    expect(secondPage.body).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(secondPage.body.items).toEqual([par002]);
    const randomizedPage = await get(
      trial.monitorA.token,
      `/monitoring/sites/PAR/patients?asOf=${AS_OF_1}&status=randomized&limit=1&offset=1`,
    );
    expect(randomizedPage.body).toMatchObject({ total: 2, items: [{ patientId: 'PAR-002', status: 'randomized' }] });

    const late = await get(trial.monitorA.token, `/monitoring/sites/PAR/patients?asOf=${AS_OF_2}&status=withdrawn`);
    expect(late.body.total).toBe(1);
    expect(late.body.items[0]).toMatchObject({
      patientId: 'PAR-002',
      withdrawalDate: '2026-04-05',
      nextVisit: null,
      visits: { expected: 6, done: 3, due: 0, overdue: 3, missingForms: 5 },
    });
    expect(late.body.items[0].overdueVisits.map((visit: { visitId: string }) => visit.visitId)).toEqual([
      'baseline',
      'cycle-1-infusion-3',
      'cycle-1-infusion-4',
    ]);
  });

  it('lists a site’s deviations with the events behind them, filtered and paged', async () => {
    const all = await get(trial.monitorA.token, `/monitoring/sites/PAR/deviations?asOf=${AS_OF_2}`);
    expect(all.body).toMatchObject({ total: 3, limit: 100, offset: 0 });
    expect(all.body.items).toEqual([
      {
        patientId: 'PAR-001',
        code: 'limb-temperature-below-32C',
        eventIds: [trial.ids.par001Neurography],
        occurredOn: '2026-03-11',
        detail: expect.stringContaining('31.5 °C'),
      },
      {
        patientId: 'PAR-002',
        code: 'infusion-out-of-window',
        eventIds: [trial.ids.par002Infusion2],
        occurredOn: '2026-03-23',
        detail: 'infusion 2 of cycle 1 given on day 12, due on day 8 ±2',
      },
      {
        patientId: 'PAR-001',
        code: 'dose-off-by-more-than-10-percent',
        eventIds: [trial.ids.par001Infusion3],
        occurredOn: '2026-03-26',
        detail: 'administered 800 mg, planned 705 mg (+13.5%)',
      },
    ]);

    const second = await get(trial.monitorA.token, `/monitoring/sites/PAR/deviations?asOf=${AS_OF_2}&limit=1&offset=1`);
    expect(second.body).toMatchObject({ total: 3, limit: 1, offset: 1, items: [{ code: 'infusion-out-of-window' }] });
    const ofPatient = await get(
      trial.monitorA.token,
      `/monitoring/sites/PAR/deviations?asOf=${AS_OF_2}&patientId=PAR-001&code=dose-off-by-more-than-10-percent`,
    );
    expect(ofPatient.body.items.map((deviation: { eventIds: string[] }) => deviation.eventIds)).toEqual([[trial.ids.par001Infusion3]]);

    const visit = await get(trial.monitorB.token, `/monitoring/sites/BSL/deviations?asOf=${AS_OF_2}&code=visit-out-of-window`);
    expect(visit.body.items).toEqual([
      {
        patientId: 'BSL-001',
        code: 'visit-out-of-window',
        eventIds: [trial.ids.bsl001Neurography],
        occurredOn: '2026-03-27',
        visitId: 'baseline',
        detail: 'Baseline: neurography on 2026-03-27; window 2026-02-25 to 2026-03-11',
      },
    ]);
  });

  it('shows the site its query inbox at a date: status and age then, filtered by status and patient', async () => {
    const coordinator = trial.coordinators.PAR;
    const early = await get(coordinator, `/monitoring/sites/PAR/queries?asOf=${AS_OF_1}`);
    // oldest first: Q2 (raised 03-17), Q1 (03-18)
    expect(
      early.body.items.map((query: { queryId: string; status: string; ageDays: number }) => [query.queryId, query.status, query.ageDays]),
    ).toEqual([
      [trial.ids.q2, 'cancelled', 2],
      [trial.ids.q1, 'open', 2],
    ]);

    const answered = await get(coordinator, `/monitoring/sites/PAR/queries?asOf=${AS_OF_2}&status=answered`);
    expect(answered.body).toMatchObject({ total: 1 });
    expect(answered.body.items[0]).toEqual({
      queryId: trial.ids.q1,
      patientId: 'PAR-001',
      siteId: 'PAR',
      targetEventId: trial.ids.par001Neurography,
      targetType: 'NeurographyRecorded',
      field: 'limbTemperatureC',
      status: 'answered',
      text: 'Was the limb warmed before the study?',
      raisedAt: '2026-03-18T12:00:00.000Z',
      ageDays: 33,
      reopenedCount: 0,
      answer: { text: 'Yes, warmed for 10 minutes; the room was cold.', at: '2026-03-25T12:00:00.000Z' },
      currentValue: 31.5,
      history: [
        expect.objectContaining({ action: 'raise', status: 'open', at: '2026-03-18T12:00:00.000Z' }),
        expect.objectContaining({ action: 'answer', status: 'answered', at: '2026-03-25T12:00:00.000Z' }),
      ],
    });

    const ofPatient = await get(coordinator, `/monitoring/sites/PAR/queries?asOf=${AS_OF_2}&patientId=PAR-002`);
    expect(ofPatient.body.items.map((query: { queryId: string }) => query.queryId)).toEqual([trial.ids.q2]);
    const beforeAnyQuery = await get(trial.monitorB.token, `/monitoring/sites/ZRH/queries?asOf=2026-03-16`);
    expect(beforeAnyQuery.body).toMatchObject({ items: [], total: 0 });
  });

  it('reports at the end of today on the server clock when no date is asked for', async () => {
    trial.app.setNow(noonOf(AS_OF_2));
    const today = await get(trial.monitorA.token, '/monitoring/sites/PAR');
    expect(today.body).toEqual(await indicators('PAR', AS_OF_2));
  });

  it('exports each list as CSV, holding the same rows, and records each export in the access log', async () => {
    const token = trial.monitorA.token;
    const sites = await get(token, `/monitoring/sites/export.csv?asOf=${AS_OF_2}`);
    expect(sites.headers['content-type']).toMatch(/^text\/csv/);
    expect(sites.headers['content-disposition']).toBe(`attachment; filename="monitoring-sites-${AS_OF_2}.csv"`);
    expect(csvRows(sites.text)).toEqual([
      expect.objectContaining({
        siteId: 'PAR',
        screened: '3',
        withdrawn: '1',
        visitsOverdue: '3',
        missingForms: '5',
        latencyP90Days: '7',
        answeredQueries: '1',
        oldestAnsweredQueryDays: '33',
        oldestOpenQueryDays: '',
        sdvShare: '0.125',
      }),
    ]);

    const patients = csvRows((await get(token, `/monitoring/sites/PAR/patients/export.csv?asOf=${AS_OF_1}`)).text);
    expect(patients.map((row) => [row.patientId, row.nextVisit, row.overdueVisits, row.missingForms])).toEqual([
      ['PAR-001', 'cycle-1-infusion-3', '', ''],
      ['PAR-002', 'cycle-1-infusion-2', 'baseline', 'baseline: lab:CD19 lab:CD20 neurography'],
      ['PAR-003', '', '', ''],
    ]);

    const deviations = csvRows((await get(token, `/monitoring/sites/PAR/deviations/export.csv?asOf=${AS_OF_2}`)).text);
    expect(deviations.map((row) => [row.patientId, row.code, row.eventIds, row.detail])).toEqual([
      ['PAR-001', 'limb-temperature-below-32C', trial.ids.par001Neurography, expect.stringContaining('31.5 °C')],
      ['PAR-002', 'infusion-out-of-window', trial.ids.par002Infusion2, 'infusion 2 of cycle 1 given on day 12, due on day 8 ±2'],
      ['PAR-001', 'dose-off-by-more-than-10-percent', trial.ids.par001Infusion3, 'administered 800 mg, planned 705 mg (+13.5%)'],
    ]);

    const open = csvRows((await get(token, `/monitoring/sites/PAR/queries/export.csv?asOf=${AS_OF_1}&status=open`)).text);
    expect(open).toEqual([
      expect.objectContaining({ queryId: trial.ids.q1, status: 'open', ageDays: '2', currentValue: '31.5', answer: '' }),
    ]);

    const exports = await trial.app.dataSource.query(
      `SELECT data FROM event_store.events WHERE type = 'AccessRecorded' AND data->>'action' = 'export' ORDER BY global_position`,
    );
    expect(exports.map((row: { data: unknown }) => row.data)).toEqual([
      { action: 'export', resource: 'monitoring/sites', detail: { asOf: AS_OF_2 } },
      { action: 'export', resource: 'monitoring/sites/PAR/patients', detail: { asOf: AS_OF_1 } },
      { action: 'export', resource: 'monitoring/sites/PAR/deviations', detail: { asOf: AS_OF_2 } },
      { action: 'export', resource: 'monitoring/sites/PAR/queries', detail: { asOf: AS_OF_1, status: 'open' } },
    ]);
  });

  it('refuses a malformed reporting date or filter with the API’s error shape', async () => {
    const response = await read(trial.app, trial.monitorA.token, '/monitoring/sites/PAR/queries?asOf=20.03.2026&status=lost&limit=0');
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual(
      expect.arrayContaining([
        { field: 'asOf', rule: 'matches' },
        { field: 'status', rule: 'is-in' },
        { field: 'limit', rule: 'min' },
      ]),
    );
  });
});
