import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';
import { readDeadLetters, rebuildProjection, verifyProjection } from '@trialstream/projections';
import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { ANALYSIS_PROJECTIONS } from '../../apps/analysis/src/analysis.schema';
import { ANALYSIS_PROJECTION } from '../../apps/analysis/src/projection/analysis.projection';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { labBody, submission, trialWithSites } from '../ingest/site-api';
import { startTestApp, TestApp, TestPerson } from '../support/app';
import { whenProjectionCaughtUp } from '../support/projections';
import { ALLOCATION_CSV, B_CELL_VALUES, buildPatient, NOW, PATIENTS, subjectOf } from './analysis-scenario';

const quiet = { warn: () => undefined, error: () => undefined };

/** Anything that would tell a blinded reader the allocation: an arm, a B-cell value, a depletion flag. */
const ARM_NAMES = /rituximab|placebo/i;
const B_CELL_DIGITS = new RegExp(
  Object.values(B_CELL_VALUES)
    .map((v) => String(v).replace('.', '\\.'))
    .join('|'),
);
const MASKED_ANALYTES = /CD19|CD20|depleted|bCell/i;
const BLINDED_ROLE_REFUSED = 'the blinded_statistician role does not permit read-analysis-unblinded';

describe('the blinded placebo-controlled analysis of a dozen patients', () => {
  let app: TestApp;
  let admin: string;
  let coordinators: Record<string, string>;
  let blindedStatistician: string;
  let unblindedStatistician: string;
  let safetyBoard: string;
  let monitor: string;
  /** Signed decisions (lock, unblinding, code-break) are taken by people with a password. */
  let administrator: TestPerson;
  let siteSigners: Record<string, TestPerson>;
  const kits: Record<string, string> = {};

  const get = (path: string, token: string) => app.http().get(path).set('Authorization', token);
  const post = (path: string, body: object, token: string) => app.http().post(path).set('Authorization', token).send(body);
  const caughtUp = () => whenProjectionCaughtUp(app.dataSource, 'analysis');

  beforeAll(async () => {
    app = await startTestApp([IngestModule, AnalysisModule, ProjectionsModule.forRoot(ANALYSIS_PROJECTIONS)], { now: NOW });
    ({ admin, coordinators } = await trialWithSites(app, ['S01', 'S02']));
    blindedStatistician = await app.userToken('blinded_statistician');
    unblindedStatistician = await app.userToken('unblinded_statistician');
    safetyBoard = await app.userToken('safety_board');
    monitor = await app.userToken('monitor', ['S01', 'S02']);
    administrator = await app.person('administrator');
    siteSigners = { S01: await app.person('site_coordinator', ['S01']), S02: await app.person('site_coordinator', ['S02']) };
    await post('/allocation/import', { csv: ALLOCATION_CSV }, admin).expect(201);
    for (const plan of PATIENTS) kits[subjectOf(plan)] = await buildPatient(app, coordinators[plan.site], plan);
    await caughtUp();
  });
  afterAll(() => app?.close());

  it('gave every patient the next kit of their site, in list order, and the site only its number', async () => {
    expect(kits).toEqual({
      'S01-01': '1001',
      'S01-02': '1002',
      'S01-03': '1003',
      'S01-04': '1004',
      'S01-05': '1005',
      'S01-06': '1006',
      'S02-01': '2001',
      'S02-02': '2002',
      'S02-03': '2003',
      'S02-04': '2004',
      'S02-05': '2005',
      'S02-06': '2006',
    });
    // 8 kits per site, 6 dispensed each
    const overview = (await get('/allocation', admin).expect(200)).body;
    expect(overview).toMatchObject({
      loaded: true,
      source: 'imported',
      kits: 16,
      strata: [
        { stratum: 'S01', kits: 8, reserved: 0, dispensed: 6, available: 2 },
        { stratum: 'S02', kits: 8, reserved: 0, dispensed: 6, available: 2 },
      ],
    });
    expect(JSON.stringify(overview)).not.toMatch(ARM_NAMES);
    expect(await readDeadLetters(app.dataSource, 'analysis')).toEqual([]);
  });

  describe('pooled, while the trial is blinded', () => {
    it('summarises IgM as percent change and percent of baseline: median and range', async () => {
      const { pooled, trial } = (await get('/analysis/endpoints', blindedStatistician).expect(200)).body;
      expect(trial.status).toBe('open');
      expect(pooled).toMatchObject({ patients: 12, treated: 12 });
      // latest IgM vs baseline, in %: S01-01 5.5/10 −45, S01-02 8.8/8 +10, S01-03 18/20 −10 (month 3 corrected 91 → 19),
      // S01-04 3/4 −25, S01-05 6/5 +20 (the voided 50 g/L is gone), S01-06 4.8/12 −60, S02-01 9/10 −10, S02-02 12/16 −25,
      // S02-03 9/20 −55 (baseline 2000 mg/dL = 20 g/L), S02-04 6.6/6 +10, S02-05 5.2/10 −48, S02-06 9/9 0.
      // sorted: −60 −55 −48 −45 −25 −25 | −10 −10 0 10 10 20 → median (−25 − 10) / 2 = −17.5, range −60 to 20
      expect(pooled.igm).toMatchObject({ evaluable: 12, censored: 0 });
      expect(pooled.igm.latestPercentChange).toMatchObject({ n: 12, nMissing: 0, median: -17.5, min: -60, max: 20 });
      // percent of baseline is 100 + percent change: median 82.5, range 40 to 120
      expect(pooled.igm.latestPercentOfBaseline).toMatchObject({ n: 12, median: 82.5, min: 40, max: 120 });
      // nadirs: −50 0 −10 −50 +10 −60 −10 −50 −55 0 −60 0 → sorted −60 −60 −55 −50 −50 −50 | −10 −10 0 0 0 10 → median −30
      expect(pooled.igm.nadirPercentChange).toMatchObject({ n: 12, median: -30, min: -60, max: 10 });
      expect(pooled.igm.nadirPercentOfBaseline).toMatchObject({ median: 70, min: 40, max: 110 });
    });

    it('summarises the anti-MAG titer, leaving a censored baseline out of the numbers and counting it', async () => {
      const { pooled } = (await get('/analysis/endpoints', blindedStatistician).expect(200)).body;
      // S01-06's baseline is "> 100000 BTU": no percent can be computed from it.
      // latest: −50 +10 −10 −50 +20 −10 −60 −40 +10 −60 0 → sorted −60 −60 −50 −50 −40 [−10] −10 0 10 10 20 → median −10
      expect(pooled.antiMag).toMatchObject({ evaluable: 12, censored: 1 });
      expect(pooled.antiMag.latestPercentChange).toMatchObject({ n: 11, nMissing: 1, median: -10, min: -60, max: 20 });
      // nadirs: −60 0 −10 −50 +10 −10 −60 −50 0 −60 0 → sorted −60 −60 −60 −50 −50 [−10] −10 0 0 0 10 → median −10
      expect(pooled.antiMag.nadirPercentChange).toMatchObject({ n: 11, nMissing: 1, median: -10, min: -60, max: 10 });
    });

    it('counts clinical status per visit, ulnar responders and worseners, and INCAT responders', async () => {
      const { pooled } = (await get('/analysis/endpoints', blindedStatistician).expect(200)).body;
      // month 3: improved S01-04; worsened S01-03, S02-05; the other 9 stable
      // month 6: improved S01-01, S01-04, S02-02, S02-03; worsened S01-03, S02-04; 6 stable
      expect(pooled.clinicalStatus).toEqual([
        { visit: 'month-3', improved: 1, stable: 9, worsened: 2, notAssessed: 0 },
        { visit: 'month-6', improved: 4, stable: 6, worsened: 2, notAssessed: 0 },
      ]);
      // ≥ +10% in a ulnar nerve: S01-01 30→33, S01-04 40→44, S01-06 35→40, S02-01 33→37, S02-02 28→31, S02-05 30→36 = 6;
      // ≤ −10%: S01-03 left 40→36, S01-04 right 40→36 = 2 (S01-04 is both)
      expect(pooled.ulnar).toEqual({ evaluable: 12, responders: 6, worseners: 2 });
      // INCAT total down ≥ 1 at month 6: S01-01 3→2, S01-04 4→2, S02-02 2→1, S02-03 3→2 = 4; legs: S01-01, S01-04, S02-02 = 3
      // total changes −1 0 +1 −2 0 0 0 −1 −1 +1 0 0 → sorted −2 −1 −1 −1 0 0 | 0 0 0 0 1 1 → median 0, mean −3/12 = −0.25
      // sensory changes −2 +1 +1 −3 0 0 −1 −3 −1 +2 0 0 → sorted −3 −3 −2 −1 −1 0 | 0 0 0 1 1 2 → median 0
      expect(pooled.incat).toMatchObject({
        evaluable: 12,
        responders: 4,
        legResponders: 3,
        change: { n: 12, median: 0, min: -2, max: 1, mean: -0.25 },
        sensorySumChange: { n: 12, median: 0, min: -3, max: 2 },
      });
    });

    it('compares each cycle and dose level with the baseline before the first cycle', async () => {
      const { pooled } = (await get('/analysis/endpoints', blindedStatistician).expect(200)).body;
      // S01-04 and S02-04 had a second cycle at 750 mg/m² from 2026-07-06: their month 6 belongs to it, their month 3 to cycle 1.
      // cycle 1 (latest in cycle): the ten one-cycle patients' month 6 and S01-04 2/4 −50, S02-04 6/6 0:
      // sorted −60 −55 −50 −48 −45 −25 | −10 −10 0 0 10 20 → median −17.5
      // cycle 2: S01-04 3/4 −25, S02-04 6.6/6 +10 → median −7.5
      const cycle1 = { group: 1, patients: 12, percentChange: expect.objectContaining({ median: -17.5, min: -60, max: 20 }) };
      const cycle2 = { group: 2, patients: 2, percentChange: expect.objectContaining({ median: -7.5, min: -25, max: 10 }) };
      expect(pooled.byCycle.IGM).toEqual([expect.objectContaining(cycle1), expect.objectContaining(cycle2)]);
      expect(pooled.byDoseLevel.IGM).toEqual([
        expect.objectContaining({ ...cycle1, group: 375 }),
        expect.objectContaining({ ...cycle2, group: 750 }),
      ]);
    });

    it('shows per patient which re-treatment signal came first and by how many days', async () => {
      const { patients } = (await get('/analysis/patients', blindedStatistician).expect(200)).body;
      const signals = Object.fromEntries(patients.map((p: any) => [p.subjectId, p.retreatment]));
      // anti-MAG 20000 → 25000 is +25% from the nadir
      expect(signals['S01-01']).toEqual({
        signals: [
          { kind: 'antiMagRise', date: '2026-09-07', visit: 'month-6', daysAfterFirst: 0, value: 25000, nadir: 20000, riseFraction: 0.25 },
        ],
        first: ['antiMagRise'],
        firstDate: '2026-09-07',
      });
      // INCAT 2 → 3 and "worsened" at month 3; IgM 4 → 5.2 (+30%) at month 6, 91 days later
      expect(signals['S02-05']).toEqual({
        signals: [
          { kind: 'clinicalWorsening', date: '2026-06-08', visit: 'month-3', daysAfterFirst: 0, reasons: ['incat', 'globalStatus'] },
          {
            kind: 'igmRise',
            date: '2026-09-07',
            visit: 'month-6',
            daysAfterFirst: 91,
            value: 5.2,
            nadir: 4,
            riseFraction: expect.closeTo(0.3, 9),
          },
        ],
        first: ['clinicalWorsening'],
        firstDate: '2026-06-08',
      });
      // IgM 2 → 3 (+50%) and 8 → 12 (+50%)
      expect(signals['S01-04'].first).toEqual(['igmRise']);
      expect(signals['S02-02'].first).toEqual(['igmRise']);
      expect(signals['S01-03'].first).toEqual(['clinicalWorsening']);
      expect(signals['S02-04'].signals).toEqual([
        { kind: 'clinicalWorsening', date: '2026-09-07', visit: 'month-6', daysAfterFirst: 0, reasons: ['incat', 'globalStatus'] },
      ]);
      for (const quiet of ['S01-02', 'S01-05', 'S01-06', 'S02-01', 'S02-03', 'S02-06']) expect(signals[quiet].signals).toEqual([]);
      const { pooled } = (await get('/analysis/endpoints', blindedStatistician).expect(200)).body;
      expect(pooled.retreatment).toEqual({ patientsWithSignal: 6, firstSignal: { igmRise: 2, antiMagRise: 1, clinicalWorsening: 3 } });
    });

    it('reads endpoints at a named visit and with other signal thresholds when asked', async () => {
      const { pooled } = (await get('/analysis/endpoints?visit=month-3', blindedStatistician).expect(200)).body;
      // month 3 IgM: S01-01 5/10 −50, S01-02 8/8 0, S01-03 19/20 −5, S01-04 2/4 −50, S01-05 5.5/5 +10, S01-06 6/12 −50,
      // S02-01 10.5/10 +5, S02-02 8/16 −50, S02-03 10/20 −50, S02-04 6/6 0, S02-05 4/10 −60, S02-06 9.9/9 +10
      // sorted −60 −50 −50 −50 −50 −50 | −5 0 0 5 10 10 → median (−50 − 5) / 2 = −27.5
      expect(pooled.igm.latestPercentChange).toMatchObject({ n: 12, median: -27.5, min: -60, max: 10 });
      // nerve conduction was not studied at month 3
      expect(pooled.ulnar.evaluable).toBe(0);
      const strict = (await get('/analysis/endpoints?igmRise=0.6&antiMagRise=0.6&incatRise=2', blindedStatistician).expect(200)).body;
      // no IgM or titer rose by 60%, and nobody's INCAT rose by 2; S01-03, S02-04 and S02-05 still had "worsened"
      expect(strict.pooled.retreatment).toEqual({
        patientsWithSignal: 3,
        firstSignal: { igmRise: 0, antiMagRise: 0, clinicalWorsening: 3 },
      });
      await get('/analysis/endpoints?visit=week-3', blindedStatistician).expect(400);
    });

    it('summarises adverse events pooled', async () => {
      const { pooled } = (await get('/analysis/safety', blindedStatistician).expect(200)).body;
      // S01-01 IRR g2; S01-04 IRR g1 and pneumonia g3 (serious, possibly related); S02-01 headache g1 (unlikely); S02-05 IRR g2
      expect(pooled).toEqual({
        patients: 12,
        patientsWithEvents: 4,
        events: 5,
        serious: 1,
        patientsWithSeriousEvents: 1,
        related: 4,
        byGrade: { 1: 2, 2: 2, 3: 1, 4: 0, 5: 0 },
        byTerm: [
          { term: 'Infusion-related reaction', events: 3, patients: 3 },
          { term: 'Headache', events: 1, patients: 1 },
          { term: 'Pneumonia', events: 1, patients: 1 },
        ],
      });
    });

    it('hides B-cell values and depletion from blinded readers, even pooled; unblinded roles see pooled depletion', async () => {
      const blinded = (await get('/analysis/endpoints', blindedStatistician).expect(200)).body;
      expect(blinded.pooled).not.toHaveProperty('bCellDepletion');
      const perPatient = (await get('/analysis/patients', blindedStatistician).expect(200)).body;
      expect(perPatient.patients.every((p: any) => !('bCellDepleted' in p))).toBe(true);

      // every patient's CD19 was counted; the six whose count fell below detection are the six kits of one arm
      const unblinded = (await get('/analysis/endpoints', unblindedStatistician).expect(200)).body;
      expect(unblinded.pooled.bCellDepletion).toEqual({ evaluable: 12, depleted: 6 });
      // but no arm before the unblinding, even to an unblinded role
      const patients = (await get('/analysis/patients', unblindedStatistician).expect(200)).body.patients;
      expect(patients.filter((p: any) => p.bCellDepleted)).toHaveLength(6);
      expect(JSON.stringify(patients)).not.toMatch(ARM_NAMES);
    });

    it('exports the analysis dataset: canonical units, corrections and voids applied, censored values kept, no B cells', async () => {
      const res = await get('/analysis/dataset.csv', blindedStatistician).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const [header, ...lines] = res.text.trim().split('\r\n');
      expect(header).toBe(
        'subject,site,parameter,unit,visit,date,cycle,dose_level,value,qualifier,baseline,baseline_qualifier,change,percent_change,percent_of_baseline',
      );
      // per patient: IGM 3, ANTI_MAG 3, MCV left and right 2 each, INCAT total and legs, sensory, MRC, walk 3 each, global status 2 = 27
      expect(lines).toHaveLength(12 * 27);
      expect(lines).toContain('S02-03,S02,IGM,g/L,baseline,2026-03-09,0,,20,=,20,=,,,');
      expect(lines).toContain('S02-03,S02,IGM,g/L,month-6,2026-09-07,1,375,9,=,20,=,-11,-55,45');
      expect(lines).toContain('S01-03,S01,IGM,g/L,month-3,2026-06-08,1,375,19,=,20,=,-1,-5,95');
      expect(lines.filter((line) => line.startsWith('S01-05,S01,IGM,'))).toHaveLength(3);
      expect(lines).toContain('S01-06,S01,ANTI_MAG,BTU,baseline,2026-03-09,0,,100000,>,100000,>,,,');
      expect(lines).toContain('S01-06,S01,ANTI_MAG,BTU,month-6,2026-09-07,1,375,40000,=,100000,>,,,');
      expect(lines).toContain('S01-04,S01,IGM,g/L,month-6,2026-09-07,2,750,3,=,4,=,-1,-25,75');
      expect(lines).toContain('S01-01,S01,GLOBAL_STATUS,,month-6,2026-09-07,1,375,improved,=,,,,,');
      expect(res.text).not.toMatch(MASKED_ANALYTES);
    });
  });

  describe('before the unblinding', () => {
    it('refuses per-arm results to the unblinded statistician while the trial is blinded, and to blinded roles always', async () => {
      const refused = await get('/analysis/endpoints/by-arm', unblindedStatistician).expect(403);
      expect(refused.body.details).toEqual([{ field: 'trial', rule: 'trial-blinded' }]);
      expect((await get('/analysis/safety/by-arm', unblindedStatistician).expect(403)).body.details).toEqual([
        { field: 'trial', rule: 'trial-blinded' },
      ]);
      // the safety board sees per-arm safety, not per-arm efficacy
      expect((await get('/analysis/endpoints/by-arm', safetyBoard).expect(403)).body.details).toEqual([
        { field: 'trial', rule: 'trial-blinded' },
      ]);
      expect((await get('/analysis/endpoints/by-arm', blindedStatistician).expect(403)).body.message).toBe(BLINDED_ROLE_REFUSED);
      expect(await accessEvents('unblinded_statistician', 'unblinded-read')).toEqual([]);
    });

    it('lets the data safety board read adverse events per arm, and records each such read', async () => {
      const { arms, trial } = (await get('/analysis/safety/by-arm', safetyBoard).expect(200)).body;
      expect(trial.status).toBe('open');
      // rituximab: S01-01, S01-04, S01-06, S02-02, S02-03, S02-05; placebo: the other six
      expect(Object.keys(arms)).toEqual(['rituximab', 'placebo']);
      expect(arms.rituximab).toMatchObject({
        patients: 6,
        patientsWithEvents: 3,
        events: 4,
        serious: 1,
        related: 4,
        byGrade: { 1: 1, 2: 2, 3: 1 },
      });
      expect(arms.placebo).toMatchObject({
        patients: 6,
        patientsWithEvents: 1,
        events: 1,
        serious: 0,
        related: 0,
        byTerm: [{ term: 'Headache', events: 1, patients: 1 }],
      });
      expect(await accessEvents('safety_board', 'unblinded-read')).toEqual([
        expect.objectContaining({ action: 'unblinded-read', resource: 'analysis/safety/by-arm', detail: { trialStatus: 'open' } }),
      ]);
    });

    it('refuses the unblinding before the database is locked, naming the rule', async () => {
      const res = await post(
        '/trial/unblinding',
        { ...submission(), reason: 'interim look', ...administrator.credentials },
        administrator.authorization,
      ).expect(422);
      expect(res.body.details).toEqual([{ field: 'trial', rule: 'database-not-locked' }]);
      await post('/trial/lock', { ...submission() }, blindedStatistician).expect(403);
      expect((await get('/trial', monitor).expect(200)).body.status).toBe('open');
    });
  });

  describe('leakage to blinded roles', () => {
    it('shows no arm, kit-to-arm mapping or masked analyte to any blinded role before a code-break', async () => {
      await expectNothingRevealed();
    });

    it('reveals a patient’s arm in an emergency code-break to the requester alone, as an event monitors see', async () => {
      await post(
        '/patients/S02-03/code-break',
        { ...submission(), reason: 'Anaphylaxis; treating physician needs the allocation', ...siteSigners.S01.credentials },
        siteSigners.S01.authorization,
      ).expect(403);
      const res = await post(
        '/patients/S02-03/code-break',
        { ...submission(), reason: 'Anaphylaxis; treating physician needs the allocation', ...siteSigners.S02.credentials },
        siteSigners.S02.authorization,
      ).expect(201);
      expect(res.body).toMatchObject({
        patientId: 'S02-03',
        kitNumber: '2003',
        arm: 'rituximab',
        events: [{ type: 'CodeBreakPerformed' }],
      });

      const history = (await get('/patients/S02-03/events', monitor).expect(200)).body;
      const codeBreak = history.find((event: any) => event.type === 'CodeBreakPerformed');
      expect(codeBreak).toMatchObject({
        actor: { role: 'site_coordinator' },
        data: { reason: 'Anaphylaxis; treating physician needs the allocation' },
      });
      expect(JSON.stringify(history)).not.toMatch(ARM_NAMES);
      expect(await accessEvents('site_coordinator', 'code-break-read')).toEqual([
        expect.objectContaining({ resource: 'patient/S02-03', detail: expect.objectContaining({ kitNumber: '2003' }) }),
      ]);
      await caughtUp();
      const patients = (await get('/analysis/patients', blindedStatistician).expect(200)).body.patients;
      expect(patients.find((p: any) => p.subjectId === 'S02-03').codeBroken).toBe(true);
    });

    it('still shows nothing of the allocation to any blinded role after the code-break', async () => {
      await expectNothingRevealed();
    });
  });

  describe('after the database lock and the unblinding', () => {
    beforeAll(async () => {
      const signed = { ...administrator.credentials };
      await post(
        '/trial/lock',
        { ...submission(), reason: 'Last patient out; all queries closed', ...signed },
        administrator.authorization,
      ).expect(201);
      await post('/trial/lock', { ...submission(), ...signed }, administrator.authorization).expect(409);
      await post('/trial/unblinding', { ...submission(), reason: 'Final analysis', ...signed }, administrator.authorization).expect(201);
    });

    it('takes no new clinical data once the database is locked, but still an emergency code-break', async () => {
      const before = await app.dataSource.query(`SELECT count(*)::int AS n FROM event_store.events`);
      const late = await post('/patients/S01-01/labs', labBody({ occurredAt: '2026-05-20' }), coordinators.S01).expect(409);
      expect(late.body.details).toEqual([{ field: 'trial', rule: 'database-closed' }]);
      expect(await app.dataSource.query(`SELECT count(*)::int AS n FROM event_store.events`)).toEqual(before);
      await post(
        '/patients/S01-01/code-break',
        { ...submission(), reason: 'Suspected late toxicity', ...siteSigners.S01.credentials },
        siteSigners.S01.authorization,
      ).expect(201);
    });

    it('gives the unblinded statistician every endpoint per arm, with Fisher p-values and Welch 95% intervals', async () => {
      const { arms, comparison, trial } = (await get('/analysis/endpoints/by-arm', unblindedStatistician).expect(200)).body;
      expect(trial.status).toBe('unblinded');
      expect(Object.keys(arms)).toEqual(['rituximab', 'placebo']);
      // rituximab latest IgM: −45 −25 −60 −25 −55 −48 → sorted −60 −55 −48 | −45 −25 −25 → median −46.5, mean −258/6 = −43
      expect(arms.rituximab.igm.latestPercentChange).toMatchObject({ n: 6, median: -46.5, min: -60, max: -25, mean: -43 });
      // placebo: +10 −10 +20 −10 +10 0 → sorted −10 −10 0 | 10 10 20 → median 5, mean 20/6
      expect(arms.placebo.igm.latestPercentChange).toMatchObject({ n: 6, median: 5, min: -10, max: 20, mean: expect.closeTo(20 / 6, 9) });
      expect(arms.rituximab.bCellDepletion).toEqual({ evaluable: 6, depleted: 6 });
      expect(arms.placebo.bCellDepletion).toEqual({ evaluable: 6, depleted: 0 });
      expect(arms.rituximab.ulnar).toEqual({ evaluable: 6, responders: 5, worseners: 1 });
      expect(arms.placebo.ulnar).toEqual({ evaluable: 6, responders: 1, worseners: 1 });
      expect(arms.rituximab.incat).toMatchObject({ evaluable: 6, responders: 4, legResponders: 3 });
      expect(arms.placebo.incat).toMatchObject({ evaluable: 6, responders: 0, legResponders: 0 });
      expect(arms.rituximab.clinicalStatus).toEqual([
        { visit: 'month-3', improved: 1, stable: 4, worsened: 1, notAssessed: 0 },
        { visit: 'month-6', improved: 4, stable: 2, worsened: 0, notAssessed: 0 },
      ]);
      expect(arms.placebo.retreatment).toEqual({
        patientsWithSignal: 2,
        firstSignal: { igmRise: 0, antiMagRise: 0, clinicalWorsening: 2 },
      });

      expect(comparison).toMatchObject({ armA: 'rituximab', armB: 'placebo' });
      // Fisher, margins 6/6 and 6 responders: P(x) = C(6,x)·C(6,6−x)/C(12,6) = 1, 36, 225, 400, 225, 36, 1 (/924).
      // 5 of 6 vs 1 of 6: tables at most as likely as x = 5 are x = 0, 1, 5, 6 → (1 + 36 + 36 + 1)/924 = 74/924
      expect(comparison.ulnarResponders).toMatchObject({
        respondersA: 5,
        nA: 6,
        respondersB: 1,
        nB: 6,
        difference: expect.closeTo(4 / 6, 9),
      });
      expect(comparison.ulnarResponders.p).toBeCloseTo(74 / 924, 12);
      // 1 of 6 each (2 worseners): the observed table is the likeliest, p = 1
      expect(comparison.ulnarWorseners.p).toBeCloseTo(1, 12);
      // INCAT 4 of 6 vs 0 of 6, 4 responders: P(x) = C(6,x)·C(6,4−x)/C(12,4) = 15, 120, 225, 120, 15 (/495) → (15 + 15)/495
      expect(comparison.incatResponders.p).toBeCloseTo(30 / 495, 12);
      // legs 3 of 6 vs 0 of 6, 3 responders: C(6,x)·C(6,3−x)/C(12,3) = 20, 90, 90, 20 (/220) → (20 + 20)/220
      expect(comparison.incatLegResponders.p).toBeCloseTo(40 / 220, 12);
      // B cells 6 of 6 vs 0 of 6: only x = 0 and x = 6 are that unlikely → 2/924
      expect(comparison.bCellDepletion.p).toBeCloseTo(2 / 924, 12);

      // Welch, IgM latest % change: means −43 and 20/6; variances 1110/5 = 222 and (733 1/3)/5 = 146 2/3;
      // SE = √(222/6 + 146.667/6) = √61.444 = 7.8387; df = 61.444² / (37²/5 + 24.444²/5) = 9.599;
      // t(0.975; 9.60) = 2.2408 (t table: 2.262 at 9 df, 2.228 at 10) → −46.333 ± 17.565 = (−63.898, −28.768)
      expect(comparison.igmLatestPercentChange).toMatchObject({ method: 'welch', level: 0.95 });
      expect(comparison.igmLatestPercentChange.difference).toBeCloseTo(-46.3333, 3);
      expect(comparison.igmLatestPercentChange.standardError).toBeCloseTo(7.8387, 3);
      expect(comparison.igmLatestPercentChange.df).toBeCloseTo(9.599, 2);
      expect(comparison.igmLatestPercentChange.lower).toBeCloseTo(-63.898, 2);
      expect(comparison.igmLatestPercentChange.upper).toBeCloseTo(-28.768, 2);
      // sensory sum change: rituximab −2 −3 0 −3 −1 0 (mean −1.5, s² 9.5/5 = 1.9), placebo +1 +1 0 −1 +2 0 (mean 0.5, s² 5.5/5 = 1.1);
      // SE = √(1.9/6 + 1.1/6) = √0.5 = 0.70711; df = 0.25 / (0.31667²/5 + 0.18333²/5) = 9.336; t(0.975; 9.34) = 2.2498
      // → −2 ± 1.5909 = (−3.5909, −0.4091)
      expect(comparison.sensorySumChange.difference).toBeCloseTo(-2, 9);
      expect(comparison.sensorySumChange.standardError).toBeCloseTo(Math.SQRT1_2, 9);
      expect(comparison.sensorySumChange.lower).toBeCloseTo(-3.5909, 3);
      expect(comparison.sensorySumChange.upper).toBeCloseTo(-0.4091, 3);
      // anti-MAG: rituximab −50 −50 −60 −40 −60 (S01-06 censored) vs placebo +10 −10 +20 −10 +10 0: difference −55.333
      expect(comparison.antiMagLatestPercentChange.difference).toBeCloseTo(-55.3333, 3);
      // INCAT change: −1 −2 0 −1 −1 0 (mean −5/6) vs 0 +1 0 0 +1 0 (mean 1/3): difference −7/6
      expect(comparison.incatChange.difference).toBeCloseTo(-7 / 6, 9);

      expect(await accessEvents('unblinded_statistician', 'unblinded-read')).toEqual([
        expect.objectContaining({ resource: 'analysis/endpoints/by-arm', detail: { visit: 'latest', trialStatus: 'unblinded' } }),
      ]);
    });

    it('adds the arm to per-patient results and to the dataset for unblinded roles, and records both reads', async () => {
      const patients = (await get('/analysis/patients', unblindedStatistician).expect(200)).body.patients;
      expect(Object.fromEntries(patients.map((p: any) => [p.subjectId, p.arm]))).toEqual(
        Object.fromEntries(PATIENTS.map((plan) => [subjectOf(plan), plan.arm])),
      );
      const dataset = (await get('/analysis/dataset.csv', unblindedStatistician).expect(200)).text;
      const [header, ...lines] = dataset.trim().split('\r\n');
      expect(header.endsWith(',percent_of_baseline,arm')).toBe(true);
      // the 324 rows plus CD19 twice for each patient and CD20 twice for S01-01
      expect(lines).toHaveLength(324 + 24 + 2);
      expect(lines).toContain('S01-01,S01,CD19,cells/µL,month-3,2026-06-08,1,375,5,<,163.7,=,,,,rituximab');
      expect(lines).toContain('S01-02,S01,IGM,g/L,month-6,2026-09-07,1,375,8.8,=,8,=,0.8,10,110,placebo');
      const reads = await accessEvents('unblinded_statistician');
      expect(reads.map((read) => [read.action, read.resource])).toEqual(
        expect.arrayContaining([
          ['unblinded-read', 'analysis/patients'],
          ['export', 'export/analysis-dataset'],
        ]),
      );
    });

    it('lets the safety board and the unblinded statistician read safety per arm', async () => {
      const board = (await get('/analysis/safety/by-arm', safetyBoard).expect(200)).body;
      const statistician = (await get('/analysis/safety/by-arm', unblindedStatistician).expect(200)).body;
      expect(statistician.arms).toEqual(board.arms);
    });

    it('still gives blinded roles pooled results only, with nothing of the allocation', async () => {
      expect((await get('/analysis/endpoints/by-arm', blindedStatistician).expect(403)).body.message).toBe(BLINDED_ROLE_REFUSED);
      const dataset = (await get('/analysis/dataset.csv', blindedStatistician).expect(200)).text;
      expect(dataset.split('\r\n')[0].endsWith(',percent_of_baseline')).toBe(true);
      await expectNothingRevealed();
    });

    it('refuses a second unblinding', async () => {
      const res = await post(
        '/trial/unblinding',
        { ...submission(), reason: 'again', ...administrator.credentials },
        administrator.authorization,
      ).expect(409);
      expect(res.body.details).toEqual([{ field: 'trial', rule: 'already-unblinded' }]);
    });
  });

  it('never lets an arm into the event store, so no event the relay publishes to Kafka carries one', async () => {
    const events: Array<{ row: string }> = await app.dataSource.query(`SELECT e::text AS row FROM event_store.events e`);
    const submissions: Array<{ row: string }> = await app.dataSource.query(`SELECT s::text AS row FROM event_store.submissions s`);
    expect(events.length).toBeGreaterThan(12 * 15);
    expect(events.filter(({ row }) => ARM_NAMES.test(row))).toEqual([]);
    expect(submissions.filter(({ row }) => ARM_NAMES.test(row))).toEqual([]);
    const types: Array<{ type: string }> = await app.dataSource.query(
      `SELECT DISTINCT type FROM event_store.events WHERE stream_id = 'trial' OR type = 'CodeBreakPerformed' ORDER BY type`,
    );
    expect(types.map((row) => row.type)).toEqual(['CodeBreakPerformed', 'DatabaseLocked', 'TrialUnblinded']);
  });

  it('rebuilds from the store into exactly the live analysis model, and answers the same after the rebuild', async () => {
    await caughtUp();
    const store = app.app.get<PostgresEventStore>(EVENT_STORE);
    const before = (await get('/analysis/endpoints/by-arm', unblindedStatistician).expect(200)).body;
    const verified = await verifyProjection(ANALYSIS_PROJECTION, store, app.dataSource, { logger: quiet });
    expect(verified.tables.map((table) => [table.table, table.differences])).toEqual(verified.tables.map((table) => [table.table, []]));
    expect(verified.identical).toBe(true);
    // 25 observations per patient, CD19 twice each and CD20 twice for S01-01
    expect(verified.tables.find((table) => table.table === 'observations')?.liveRows).toBe(12 * 25 + 24 + 2);

    const rebuilt = await rebuildProjection(ANALYSIS_PROJECTION, store, app.dataSource, { logger: quiet });
    expect(rebuilt.deadLettered).toBe(0);
    expect((await get('/analysis/endpoints/by-arm', unblindedStatistician).expect(200)).body).toEqual(before);
  });

  /** The AccessRecorded events of every user of a role, optionally of one action. */
  async function accessEvents(role: string, action?: string): Promise<Array<{ action: string; resource: string; detail?: unknown }>> {
    const rows: Array<{ data: { action: string; resource: string; detail?: unknown } }> = await app.dataSource.query(
      `SELECT data FROM event_store.events WHERE type = 'AccessRecorded' AND actor_role = $1 ORDER BY global_position`,
      [role],
    );
    return rows.map((row) => row.data).filter((data) => action === undefined || data.action === action);
  }

  /**
   * Every analysis and export response a blinded role can ask for, and every patient history the
   * site-bound roles can read, scanned for arm names and B-cell values; analysis responses also for
   * any mention of a masked analyte (histories keep the analyte's name, redacted, by design).
   */
  async function expectNothingRevealed(): Promise<void> {
    const analysisRoutes = [
      '/analysis/patients',
      '/analysis/patients?visit=month-3',
      '/analysis/endpoints',
      '/analysis/endpoints?visit=month-3&point=nadir',
      '/analysis/endpoints/by-arm',
      '/analysis/safety',
      '/analysis/safety/by-arm',
      '/analysis/dataset.csv',
      '/trial',
    ];
    const readers = { blindedStatistician, monitor, siteCoordinator: coordinators.S02 };
    let scanned = 0;
    for (const [reader, token] of Object.entries(readers)) {
      for (const route of analysisRoutes) {
        const res = await get(route, token);
        const text = res.text;
        expect({ reader, route, arm: ARM_NAMES.exec(text)?.[0] }).toEqual({ reader, route, arm: undefined });
        expect({ reader, route, masked: MASKED_ANALYTES.exec(text)?.[0] }).toEqual({ reader, route, masked: undefined });
        expect({ reader, route, bCells: B_CELL_DIGITS.exec(text)?.[0] }).toEqual({ reader, route, bCells: undefined });
        if (res.status === 200) scanned++;
      }
    }
    // the blinded statistician reads all but the two per-arm routes; the site-bound roles only /trial (403 elsewhere, scanned too)
    expect(scanned).toBe(7 + 1 + 1);

    const histories: Array<[string, string]> = [
      ...PATIENTS.map((plan): [string, string] => [monitor, subjectOf(plan)]),
      ...PATIENTS.filter((plan) => plan.site === 'S02').map((plan): [string, string] => [coordinators.S02, subjectOf(plan)]),
    ];
    for (const [token, subject] of histories) {
      const text = (await get(`/patients/${subject}/events`, token).expect(200)).text;
      expect({ subject, arm: ARM_NAMES.exec(text)?.[0], bCells: B_CELL_DIGITS.exec(text)?.[0] }).toEqual({
        subject,
        arm: undefined,
        bCells: undefined,
      });
    }
  }
});
