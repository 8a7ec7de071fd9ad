import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { AuditModule } from '../../apps/audit/src/audit.module';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { enrolmentBody, NOW, submission, trialWithSites } from '../ingest/site-api';
import { startTestApp, TestApp, TestPerson } from '../support/app';
import { csvRows } from '../support/csv';

describe("arms in an auditor's SDTM DM export", () => {
  let app: TestApp;
  let admin: string;
  let auditor: string;
  let coordinator: string;
  /** Lock and unblinding are signed: a person with a password takes them. */
  let administrator: TestPerson;

  beforeAll(async () => {
    app = await startTestApp([IngestModule, AnalysisModule, AuditModule], { now: NOW });
    ({
      admin,
      coordinators: { S01: coordinator },
    } = await trialWithSites(app, ['S01']));
    auditor = await app.userToken('auditor');
    administrator = await app.person('administrator');
    await app
      .http()
      .post('/allocation/generate')
      .set('Authorization', admin)
      .send({ seed: 'export-arms', strata: ['S01'], blockSizes: [4], kitsPerStratum: 4 })
      .expect(201);
    for (const screening of ['0001', '0002']) {
      const { body } = await app
        .http()
        .post('/sites/S01/patients')
        .set('Authorization', coordinator)
        .send(enrolmentBody(screening))
        .expect(201);
      await app
        .http()
        .post(`/patients/${body.patientId}/randomization`)
        .set('Authorization', coordinator)
        .send({ ...submission(), occurredAt: '2026-03-05' })
        .expect(201);
    }
  });
  afterAll(() => app?.close());

  const dm = async () => csvRows((await app.http().get('/audit/exports/sdtm/DM.csv').set('Authorization', auditor).expect(200)).text);

  it('carries no arm while the trial is blinded, even for the auditor', async () => {
    const rows = await dm();
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0])).not.toContain('ARM');
    await app
      .http()
      .post('/trial/lock')
      .set('Authorization', administrator.authorization)
      .send({ ...submission(), reason: 'Last patient out', ...administrator.credentials })
      .expect(201);
    expect(Object.keys((await dm())[0])).not.toContain('ARM');
  });

  it("carries each patient's arm from the allocation list once the trial is unblinded", async () => {
    await app
      .http()
      .post('/trial/unblinding')
      .set('Authorization', administrator.authorization)
      .send({ ...submission(), reason: 'Final analysis', ...administrator.credentials })
      .expect(201);
    const [{ kits }] = await app.dataSource.query(
      `SELECT json_object_agg(e.stream_id, k.arm) AS kits
         FROM event_store.events e JOIN allocation.kits k ON k.kit_number = e.data->>'kitNumber'
        WHERE e.type = 'PatientRandomized'`,
    );
    const rows = await dm();
    expect(rows.map((row) => [row.SUBJID, row.ARM])).toEqual([
      ['S01-0001', kits['patient-S01-0001']],
      ['S01-0002', kits['patient-S01-0002']],
    ]);
    expect(rows.every((row) => ['rituximab', 'placebo'].includes(row.ARM))).toBe(true);
  });
});
