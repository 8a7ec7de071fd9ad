import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { enrolmentBody, randomizationBody, submission, trialWithSites, withdrawalBody } from '../ingest/site-api';
import { startTestApp, TestApp } from '../support/app';
import { NOW } from './analysis-scenario';

const ARM_NAMES = /rituximab|placebo/i;

/** A randomization as a site sends it once the server assigns kits: no kit number. */
const serverAssigned = (overrides: object = {}) => {
  const { kitNumber: _kit, ...body } = randomizationBody(overrides) as { kitNumber?: string };
  return body;
};

describe('server-side kit assignment from the allocation list', () => {
  let app: TestApp;
  let admin: string;
  let coordinators: Record<string, string>;

  const post = (path: string, body: object, token: string) => app.http().post(path).set('Authorization', token).send(body);
  const enrol = async (site: string, number: string) =>
    (await post(`/sites/${site}/patients`, enrolmentBody(number), coordinators[site]).expect(201)).body.patientId as string;
  const listOrder = async (stratum: string): Promise<string[]> =>
    (await app.dataSource.query(`SELECT kit_number FROM allocation.kits WHERE stratum = $1 ORDER BY list_position`, [stratum])).map(
      (row: { kit_number: string }) => row.kit_number,
    );
  const counts = async () => (await app.http().get('/allocation').set('Authorization', admin).expect(200)).body;

  beforeAll(async () => {
    app = await startTestApp([IngestModule, AnalysisModule], { now: NOW });
    ({ admin, coordinators } = await trialWithSites(app, ['S01', 'S02', 'S03']));
  });
  afterAll(() => app?.close());

  it('refuses a list for a stratum that is not an activated site', async () => {
    const res = await post('/allocation/generate', { seed: 'x', strata: ['S01', 'S99'], blockSizes: [4], kitsPerStratum: 4 }, admin).expect(
      422,
    );
    expect(res.body.details).toEqual([{ field: 'stratum', rule: 'activated-site' }]);
  });

  it('refuses an imported list with errors, naming line and field, without echoing an arm', async () => {
    const csv = ['kitNumber,stratum,blockNumber,arm', '9001,S01,1,rituximab', '9001,S01,1,placebo', '9003,S01,x,verum'].join('\n');
    const res = await post('/allocation/import', { csv }, admin).expect(422);
    expect(res.body.details).toEqual([
      { field: 'csv.line3.kitNumber', rule: 'duplicate-kit-number' },
      { field: 'csv.line4.blockNumber', rule: 'must-be-integer' },
      { field: 'csv.line4.arm', rule: 'not-one-of' },
    ]);
    expect(res.body.message).not.toMatch(/verum/);
  });

  it('is only for administrators', async () => {
    await post('/allocation/generate', { seed: 'x', strata: ['S01'], blockSizes: [4], kitsPerStratum: 4 }, coordinators.S01).expect(403);
    await app
      .http()
      .get('/allocation')
      .set('Authorization', await app.userToken('unblinded_statistician'))
      .expect(403);
  });

  it('generates a seeded list and shows the administrator kit counts per stratum, never an arm', async () => {
    // 10 kits from blocks of 4 and 6 is reachable exactly (4 + 6); S03 gets 10 kits too
    const res = await post(
      '/allocation/generate',
      { seed: 'anti-mag-2026', strata: ['S01', 'S02', 'S03'], blockSizes: [4, 6], kitsPerStratum: 10 },
      admin,
    ).expect(201);
    expect(res.body).toEqual({
      loaded: true,
      source: 'generated',
      loadedAt: NOW.toISOString(),
      kits: 30,
      strata: ['S01', 'S02', 'S03'].map((stratum) => ({ stratum, kits: 10, reserved: 0, dispensed: 0, available: 10 })),
      warnings: [],
    });
    expect(JSON.stringify(res.body)).not.toMatch(ARM_NAMES);
    // 1:1 in every stratum, as the allocation schema holds it
    const arms = await app.dataSource.query(`SELECT stratum, arm, count(*)::int AS kits FROM allocation.kits GROUP BY 1, 2 ORDER BY 1, 2`);
    expect(arms).toEqual(
      ['S01', 'S02', 'S03'].flatMap((stratum) => [
        { stratum, arm: 'placebo', kits: 5 },
        { stratum, arm: 'rituximab', kits: 5 },
      ]),
    );
  });

  it('refuses a second list: a trial has one', async () => {
    const res = await post(
      '/allocation/import',
      { csv: 'kitNumber,stratum,blockNumber,arm\n9001,S01,1,placebo\n9002,S01,1,rituximab' },
      admin,
    ).expect(409);
    expect(res.body.details).toEqual([{ field: 'allocation', rule: 'allocation-list-exists' }]);
  });

  it('refuses a kit number or another stratum from the site once the server assigns kits', async () => {
    const patientId = await enrol('S01', '0900');
    const withKit = await post(`/patients/${patientId}/randomization`, randomizationBody({ kitNumber: 'K-0042' }), coordinators.S01).expect(
      422,
    );
    expect(withKit.body.details).toEqual([{ field: 'kitNumber', rule: 'kit-assigned-by-server' }]);
    const otherStratum = await post(`/patients/${patientId}/randomization`, serverAssigned({ stratum: 'S02' }), coordinators.S01).expect(
      422,
    );
    expect(otherStratum.body.details).toEqual([{ field: 'stratum', rule: 'stratum-is-site' }]);
    await post(`/patients/${patientId}/randomization`, serverAssigned(), coordinators.S02).expect(403);
  });

  it('hands concurrent randomizations at one site distinct kits, the first of the stratum in list order', async () => {
    const patients = await Promise.all(['0901', '0902', '0903', '0904', '0905'].map((number) => enrol('S02', number)));
    const answers = await Promise.all(patients.map((id) => post(`/patients/${id}/randomization`, serverAssigned(), coordinators.S02)));
    expect(answers.map((res) => res.status)).toEqual([201, 201, 201, 201, 201]);
    const given = answers.map((res) => res.body.kitNumber as string);
    expect(new Set(given)).toEqual(new Set((await listOrder('S02')).slice(0, 5)));
    for (const res of answers) {
      expect(res.body).toMatchObject({ stratum: 'S02', events: [{ type: 'PatientRandomized' }] });
      expect(JSON.stringify(res.body)).not.toMatch(ARM_NAMES);
    }
    expect((await counts()).strata[1]).toEqual({ stratum: 'S02', kits: 10, reserved: 0, dispensed: 5, available: 5 });
    // the kit is in the event, with the stratum, and nothing else
    const events = (await app.http().get(`/patients/${patients[0]}/events`).set('Authorization', coordinators.S02).expect(200)).body;
    expect(events[1]).toMatchObject({ type: 'PatientRandomized', data: { kitNumber: given[0], stratum: 'S02' } });
    expect(Object.keys(events[1].data).sort()).toEqual(['kitNumber', 'stratum']);
  });

  it('answers a retry with the same kit and stores nothing new; a second randomization is a conflict', async () => {
    const patientId = await enrol('S03', '0910');
    const body = serverAssigned();
    const first = await post(`/patients/${patientId}/randomization`, body, coordinators.S03).expect(201);
    const retry = await post(`/patients/${patientId}/randomization`, body, coordinators.S03).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(first.body.kitNumber).toBe((await listOrder('S03'))[0]);
    await post(`/patients/${patientId}/randomization`, serverAssigned(), coordinators.S03).expect(409);
    expect((await counts()).strata[2]).toMatchObject({ dispensed: 1, reserved: 0, available: 9 });
  });

  it('gives a refused randomization’s kit back, so the next patient of the site gets it', async () => {
    const withdrawn = await enrol('S03', '0911');
    await post(`/patients/${withdrawn}/withdrawal`, withdrawalBody({ occurredAt: '2026-03-04' }), coordinators.S03).expect(201);
    const refused = await post(`/patients/${withdrawn}/randomization`, serverAssigned(), coordinators.S03).expect(422);
    expect(refused.body.details).toEqual([{ field: 'patientId', rule: 'patient-withdrawn' }]);
    expect((await counts()).strata[2]).toMatchObject({ dispensed: 1, reserved: 0, available: 9 });

    const next = await enrol('S03', '0912');
    const res = await post(`/patients/${next}/randomization`, serverAssigned(), coordinators.S03).expect(201);
    expect(res.body.kitNumber).toBe((await listOrder('S03'))[1]);
  });

  it('refuses a randomization when the site’s stratum has no free kit left', async () => {
    // S01's 10 kits are all still free (the one patient tried above was refused)
    const patients: string[] = [];
    for (let n = 0; n < 11; n++) patients.push(await enrol('S01', String(930 + n).padStart(4, '0')));
    for (const id of patients.slice(0, 10)) await post(`/patients/${id}/randomization`, serverAssigned(), coordinators.S01).expect(201);
    const exhausted = await post(`/patients/${patients[10]}/randomization`, serverAssigned(), coordinators.S01).expect(422);
    expect(exhausted.body.details).toEqual([{ field: 'stratum', rule: 'no-kit-available' }]);
    expect((await counts()).strata[0]).toEqual({ stratum: 'S01', kits: 10, reserved: 0, dispensed: 10, available: 0 });
  });

  it('keeps the list fixed in the database and gives the application role no more than it needs', async () => {
    await expect(app.dataSource.query(`UPDATE allocation.kits SET arm = 'placebo'`)).rejects.toThrow('fixed once loaded');
    await expect(app.dataSource.query(`DELETE FROM allocation.kits`)).rejects.toThrow('is not allowed');
    await expect(
      app.dataSource.query(`UPDATE allocation.kits SET patient_id = NULL, reserved_at = NULL WHERE dispensed_at IS NOT NULL`),
    ).rejects.toThrow('stays with its patient');
    const [grants] = await app.dataSource.query(`
      SELECT has_table_privilege('trialstream_app', 'allocation.kits', 'SELECT') AS can_select,
             has_table_privilege('trialstream_app', 'allocation.kits', 'DELETE') AS can_delete,
             has_column_privilege('trialstream_app', 'allocation.kits', 'arm', 'UPDATE') AS can_change_arm,
             has_column_privilege('trialstream_app', 'allocation.kits', 'patient_id', 'UPDATE') AS can_assign,
             has_schema_privilege('public', 'allocation', 'USAGE') AS public_usage`);
    expect(grants).toEqual({ can_select: true, can_delete: false, can_change_arm: false, can_assign: true, public_usage: false });
  });
});

describe('randomization without an allocation list', () => {
  let app: TestApp;
  let admin: string;
  let coordinator: string;

  beforeAll(async () => {
    app = await startTestApp([IngestModule, AnalysisModule], { now: NOW });
    ({
      admin,
      coordinators: { S01: coordinator },
    } = await trialWithSites(app, ['S01']));
  });
  afterAll(() => app?.close());

  it('records the kit an external IWRS dispensed, and asks for one when none is sent', async () => {
    const post = (path: string, body: object, token = coordinator) => app.http().post(path).set('Authorization', token).send(body);
    const patientId = (await post('/sites/S01/patients', enrolmentBody('0001')).expect(201)).body.patientId;
    const missing = await post(`/patients/${patientId}/randomization`, serverAssigned()).expect(422);
    expect(missing.body.details).toEqual([{ field: 'kitNumber', rule: 'allocation-list-missing' }]);
    const res = await post(`/patients/${patientId}/randomization`, randomizationBody({ kitNumber: 'IWRS-77' })).expect(201);
    expect(res.body).toMatchObject({ kitNumber: 'IWRS-77', events: [{ type: 'PatientRandomized' }] });

    // with no list there is no arm to reveal: the code-break is refused before anything is recorded
    const codeBreak = await post(`/patients/${patientId}/code-break`, { ...submission(), reason: 'Anaphylaxis' }).expect(422);
    expect(codeBreak.body.details).toEqual([{ field: 'patientId', rule: 'no-allocated-kit' }]);
    const events = (await app.http().get(`/patients/${patientId}/events`).set('Authorization', coordinator).expect(200)).body;
    expect(events.map((event: { type: string }) => event.type)).toEqual(['PatientEnrolled', 'PatientRandomized']);
    expect((await app.http().get('/allocation').set('Authorization', admin).expect(200)).body).toEqual({
      loaded: false,
      source: null,
      loadedAt: null,
      kits: 0,
      strata: [],
    });
  });
});
