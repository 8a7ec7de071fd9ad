/**
 * Accepted lab units and their conversions come from the protocol file alone (issue 12.1/12.6): a file
 * that reports IgM in g/dL instead of mg/dL changes what ingest accepts and what the analysis read
 * model and the SDTM export convert, with no code change; an amendment may add a unit, never re-read one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shippedProtocolFile } from '@trialstream/config';
import { parse, stringify } from 'yaml';
import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { AuditModule } from '../../apps/audit/src/audit.module';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { PLATFORM_PROJECTIONS } from '../../apps/platform/src/migrations';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { whenReadModelsCaughtUp } from '../audit/audit-trial';
import { infusionBody, labBody, NOW, randomizedPatient, submission, trialWithSites } from '../ingest/site-api';
import { startTestApp, type TestApp } from '../support/app';
import { csvRows } from '../support/csv';

const PLACEBO = readFileSync(shippedProtocolFile('placebo'), 'utf8');
const edited = (edit: (file: any) => void): string => {
  const file = parse(PLACEBO);
  edit(file);
  return stringify(file);
};
const range = { min: 0, minExclusive: true, max: 20 };
/** A trial of the family whose laboratory reports IgM in g/dL (10 g/L each) and never in mg/dL. */
const IN_GRAMS_PER_DECILITRE = edited((file) => {
  file.trial.id = 'anti-mag-rituximab-gdl';
  file.units.IGM = { 'g/L': file.units.IGM['g/L'], 'g/dL': { canonical: 'g/L', factor: 10, range } };
});

describe('lab units from the protocol file', () => {
  const apps: TestApp[] = [];
  const start = async (file: string) => {
    const path = join(tmpdir(), `${process.pid}-${apps.length}-protocol.yaml`);
    writeFileSync(path, file);
    const app = await startTestApp([IngestModule, AnalysisModule, AuditModule, ProjectionsModule.forRoot(PLATFORM_PROJECTIONS)], {
      now: NOW,
      protocolFile: path,
    });
    apps.push(app);
    const { admin, coordinators } = await trialWithSites(app, ['S01']);
    const patient = await randomizedPatient(app, coordinators.S01, 'S01', '0001');
    const lab = (body: object) => app.http().post(`/patients/${patient}/labs`).set('Authorization', coordinators.S01).send(labBody(body));
    return { app, admin, patient, lab, coordinator: coordinators.S01 };
  };
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('accepts the units the file lists and refuses the others, naming the field', async () => {
    const placebo = await start(PLACEBO);
    expect((await placebo.lab({ value: 1.2, unit: 'g/dL' }).expect(422)).body.details).toEqual([
      { field: 'unit', rule: 'unit-not-allowed' },
    ]);
    await placebo.lab({ value: 120, unit: 'mg/dL' }).expect(201);

    const gdl = await start(IN_GRAMS_PER_DECILITRE);
    expect((await gdl.lab({ value: 120, unit: 'mg/dL' }).expect(422)).body.details).toEqual([{ field: 'unit', rule: 'unit-not-allowed' }]);
    // the file's range is the reported unit's: 25 g/dL is beyond its 20
    expect((await gdl.lab({ value: 25, unit: 'g/dL' }).expect(422)).body.details).toEqual([{ field: 'value', rule: expect.any(String) }]);
    await gdl.lab({ value: 1.2, unit: 'g/dL' }).expect(201);
  });

  it("converts by the file's factors in the analysis read model and the SDTM export; an amendment adds a unit, never re-reads one", async () => {
    const { app, admin, patient, lab, coordinator } = await start(IN_GRAMS_PER_DECILITRE);
    // version 1 took effect on the day of the first start (NOW); a month later:
    app.setNow(new Date('2026-07-01T12:00:00Z'));
    await lab({ occurredAt: '2026-03-09', value: 1.2, unit: 'g/dL' }).expect(201);
    await app.http().post(`/patients/${patient}/infusions`).set('Authorization', coordinator).send(infusionBody()).expect(201);
    await lab({ occurredAt: '2026-06-08', value: 0.6, unit: 'g/dL' }).expect(201);

    const amend = (file: string) =>
      app
        .http()
        .post('/protocol/versions')
        .set('Authorization', admin)
        .send({ ...submission(), file, effectiveFrom: '2026-06-01' });
    const rereads = await amend(
      edited((file) => {
        file.trial.id = 'anti-mag-rituximab-gdl';
        file.units.IGM = { 'g/L': file.units.IGM['g/L'], 'g/dL': { canonical: 'g/L', factor: 100, range } };
      }),
    ).expect(422);
    expect(rereads.body.details).toEqual([{ field: 'units.IGM["g/dL"]', rule: 'conversion-kept' }]);
    await amend(
      edited((file) => {
        file.trial.id = 'anti-mag-rituximab-gdl';
        file.units.IGM['g/dL'] = { canonical: 'g/L', factor: 10, range };
      }),
    ).expect(201);
    // mg/dL is back from the amendment's effective date on
    await lab({ occurredAt: '2026-06-09', value: 500, unit: 'mg/dL' }).expect(201);

    await whenReadModelsCaughtUp(app);
    const statistician = await app.userToken('blinded_statistician');
    const dataset = csvRows((await app.http().get('/analysis/dataset.csv').set('Authorization', statistician).expect(200)).text);
    expect(
      dataset.filter((row) => row.parameter === 'IGM').map(({ date, value, unit, change }) => ({ date, value, unit, change })),
    ).toEqual([
      { date: '2026-03-09', value: '12', unit: 'g/L', change: '' },
      { date: '2026-06-08', value: '6', unit: 'g/L', change: '-6' },
      { date: '2026-06-09', value: '5', unit: 'g/L', change: '-7' },
    ]);

    const auditor = await app.userToken('auditor');
    const lb = csvRows((await app.http().get('/audit/exports/sdtm/LB.csv').set('Authorization', auditor).expect(200)).text);
    expect(
      lb
        .filter((row) => row.LBTESTCD === 'IGM')
        .map(({ LBORRES, LBORRESU, LBSTRESN, LBSTRESU }) => ({ LBORRES, LBORRESU, LBSTRESN, LBSTRESU })),
    ).toEqual([
      { LBORRES: '1.2', LBORRESU: 'g/dL', LBSTRESN: '12', LBSTRESU: 'g/L' },
      { LBORRES: '0.6', LBORRESU: 'g/dL', LBSTRESN: '6', LBSTRESU: 'g/L' },
      { LBORRES: '500', LBORRESU: 'mg/dL', LBSTRESN: '5', LBSTRESU: 'g/L' },
    ]);
  });
});
