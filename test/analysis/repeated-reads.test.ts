import { createDataSource } from '@trialstream/database';
import { createProjectionSchema } from '@trialstream/projections';
import type { DataSource } from 'typeorm';
import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { ANALYSIS_PROJECTIONS } from '../../apps/analysis/src/analysis.schema';
import { ANALYSIS_PROJECTION } from '../../apps/analysis/src/projection/analysis.projection';
import { AnalysisReader } from '../../apps/analysis/src/read/analysis-reader';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { labBody, submission, trialWithSites } from '../ingest/site-api';
import { startTestApp, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { whenProjectionCaughtUp } from '../support/projections';
import { ALLOCATION_CSV, B_CELL_VALUES, buildPatient, NOW, PATIENTS, subjectOf } from './analysis-scenario';

/**
 * The analysis keeps the records it has read and reads again only the patients whose rows moved: every
 * later read must still show what was recorded since, and what a blinded reader gets never comes from
 * what an unblinded one read.
 */
describe('a statistician reading the analysis again and again', () => {
  let app: TestApp;
  let coordinators: Record<string, string>;
  let blinded: string;
  let unblinded: string;
  const [first, second] = [PATIENTS[0], PATIENTS.find((plan) => plan.site === 'S02')!];

  const patients = async (token: string) =>
    (await app.http().get('/analysis/patients').set('Authorization', token).expect(200)).body.patients as Array<Record<string, any>>;
  const at = (path: string, body: object) =>
    app
      .http()
      .post(`/patients/${subjectOf(first)}/${path}`)
      .set('Authorization', coordinators.S01)
      .send(body)
      .expect(201);
  const caughtUp = () => whenProjectionCaughtUp(app.dataSource, 'analysis');

  beforeAll(async () => {
    app = await startTestApp([IngestModule, AnalysisModule, ProjectionsModule.forRoot(ANALYSIS_PROJECTIONS)], { now: NOW });
    const trial = await trialWithSites(app, ['S01', 'S02']);
    coordinators = trial.coordinators;
    blinded = await app.userToken('blinded_statistician');
    unblinded = await app.userToken('unblinded_statistician');
    await app.http().post('/allocation/import').set('Authorization', trial.admin).send({ csv: ALLOCATION_CSV }).expect(201);
    await buildPatient(app, coordinators.S01, first);
    await caughtUp();
  });
  afterAll(() => app?.close());

  const pooledIgm = async () =>
    (await app.http().get('/analysis/endpoints').set('Authorization', blinded).expect(200)).body.pooled.igm.latestPercentChange;

  it('shows a result recorded after the last read, its correction, and a patient randomized since', async () => {
    expect((await patients(blinded)).map((patient) => [patient.subjectId, patient.igm.latest.value])).toEqual([['S01-01', 5.5]]);
    // baseline 10 g/L
    expect(await pooledIgm()).toMatchObject({ n: 1, median: -45 });

    const later = await at('labs', labBody({ occurredAt: '2026-12-01', analyte: 'IGM', value: 7, unit: 'g/L' }));
    await caughtUp();
    expect((await patients(blinded)).map((patient) => patient.igm.latest.value)).toEqual([7]);
    expect(await pooledIgm()).toMatchObject({ n: 1, median: -30 });

    await at('corrections', {
      ...submission(),
      occurredAt: '2026-12-01',
      correctedEventId: later.body.events[0].eventId,
      reason: 'Transcription error: 6.5 g/L on the lab report',
      data: { analyte: 'IGM', value: 6.5, unit: 'g/L', qualifier: '=' },
    });
    await caughtUp();
    expect((await patients(blinded)).map((patient) => patient.igm.latest)).toEqual([
      { date: '2026-12-01', visit: expect.any(String), value: 6.5, qualifier: '=' },
    ]);

    await buildPatient(app, coordinators.S02, second);
    await caughtUp();
    expect((await patients(blinded)).map((patient) => patient.subjectId)).toEqual(['S01-01', subjectOf(second)]);
    expect(await pooledIgm()).toMatchObject({ n: 2 });
  });

  it('never answers a blinded reader from what an unblinded reader read: no B cells, however the reads interleave', async () => {
    const bCellDigits = new RegExp(Object.values(B_CELL_VALUES).join('|').replace(/\./g, '\\.'));
    for (const reader of [unblinded, blinded, unblinded, blinded]) {
      const answer = await patients(reader);
      if (reader === unblinded) {
        expect(answer.every((patient) => typeof patient.bCellDepleted === 'boolean')).toBe(true);
        continue;
      }
      expect(answer.some((patient) => 'bCellDepleted' in patient)).toBe(false);
      expect(JSON.stringify(answer)).not.toMatch(/CD19|CD20|depleted/i);
      expect(JSON.stringify(answer)).not.toMatch(bCellDigits);
    }
    const dataset = (await app.http().get('/analysis/dataset.csv').set('Authorization', blinded).expect(200)).text;
    expect(dataset).not.toMatch(/CD19|CD20/);
  });
});

/** Rows a protocol version derived again carry the same stream version: the conversions tell the reader they moved. */
describe('the analysis reader after a protocol version converts a unit anew', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('analysis_reader');
    dataSource = createDataSource({ url: database.url, migrations: [], poolSize: 2, applicationName: 'analysis-reader-test' });
    await dataSource.initialize();
    await createProjectionSchema(dataSource, ANALYSIS_PROJECTION);
    await dataSource.query(
      `INSERT INTO analysis.patients (patient_id, stream_version, site_id, status, kit_number, cycles, dose_levels)
       VALUES ('S01-01', 7, 'S01', 'randomized', '1001', 1, '[375]')`,
    );
    await dataSource.query(`INSERT INTO analysis.lab_units (trial, conversions, waiting) VALUES ('', '{}', '{}')`);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const igmOf = async (reader: AnalysisReader) =>
    (await reader.patients({ sites: null, maskedAnalytes: [] }))[0].series.IGM?.map((observation) => observation.value);
  const observe = (value: number) =>
    dataSource.query(
      `INSERT INTO analysis.observations (patient_id, parameter, event_id, entry_order, site_id, date, cycle, value, qualifier,
                                          unit, is_baseline, is_nadir, change_censored)
       VALUES ('S01-01', 'IGM', 'lab-1', 3, 'S01', '2026-06-08', 1, $1, '=', 'g/L', false, false, false)
       ON CONFLICT (patient_id, parameter, event_id) DO UPDATE SET value = excluded.value`,
      [value],
    );

  it('reads the patient again when the conversions changed, though the stream version did not', async () => {
    const reader = new AnalysisReader(dataSource);
    expect(await igmOf(reader)).toBeUndefined();
    // the amendment's conversion derives the waiting result: same stream version, new rows
    await observe(6);
    await dataSource.query(`UPDATE analysis.lab_units SET conversions = '{"IGM":{"g/dL":{"canonical":"g/L","factor":10}}}'`);
    expect(await igmOf(reader)).toEqual([6]);
    // and nothing moved: the records kept are the answer
    await observe(60);
    expect(await igmOf(reader)).toEqual([6]);
    await dataSource.query(`UPDATE analysis.patients SET stream_version = 8`);
    expect(await igmOf(reader)).toEqual([60]);
  });
});
