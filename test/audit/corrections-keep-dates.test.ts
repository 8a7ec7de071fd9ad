import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { AuditModule } from '../../apps/audit/src/audit.module';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { PLATFORM_PROJECTIONS } from '../../apps/platform/src/migrations';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { startTestApp, type TestApp } from '../support/app';
import { csvRows } from '../support/csv';
import { infusionBody, labBody, NOW, randomizedPatient, submission, trialWithSites } from '../ingest/site-api';
import { bearer, submit, whenReadModelsCaughtUp } from './audit-trial';

/**
 * The baseline IgM of a patient is dated 2026-03-01 (first infusion 2026-03-09); the site corrects its
 * value with a correction sent on 2026-03-10. The IgM must stay a baseline sample of 2026-03-01.
 */
describe('a correction keeps the corrected entry’s clinical date', () => {
  let app: TestApp;
  let patientId: string;
  let statistician: string;
  let auditor: string;
  const reason = 'transcription error: 13.5 g/L on the lab report';

  beforeAll(async () => {
    app = await startTestApp([IngestModule, AnalysisModule, AuditModule, ProjectionsModule.forRoot(PLATFORM_PROJECTIONS)], { now: NOW });
    const { coordinators } = await trialWithSites(app, ['S01']);
    statistician = await app.userToken('blinded_statistician');
    auditor = await app.userToken('auditor');
    patientId = await randomizedPatient(app, coordinators.S01, 'S01', '0001');
    await submit(app, coordinators.S01, `/patients/${patientId}/infusions`, infusionBody({ occurredAt: '2026-03-09' }));
    const igm = await submit(app, coordinators.S01, `/patients/${patientId}/labs`, labBody({ occurredAt: '2026-03-01', value: 12.5 }));
    await submit(app, coordinators.S01, `/patients/${patientId}/corrections`, {
      ...submission(),
      occurredAt: '2026-03-10',
      correctedEventId: igm,
      reason,
      data: { analyte: 'IGM', value: 13.5, unit: 'g/L', qualifier: '=' },
    });
    await whenReadModelsCaughtUp(app);
  });
  afterAll(() => app?.close());

  it('keeps the baseline in the analysis dataset, with the corrected value and the original date', async () => {
    const csv = (await bearer(app, statistician).get('/analysis/dataset.csv').expect(200)).text;
    const igm = csvRows(csv).filter((row) => row.subject === patientId && row.parameter.toUpperCase().includes('IGM'));
    expect(igm).toEqual([expect.objectContaining({ visit: 'baseline', date: '2026-03-01', value: '13.5', baseline: '13.5' })]);
  });

  it('keeps the date in SDTM LB, and shows original and corrected value with the reason in CO', async () => {
    const lb = csvRows((await bearer(app, auditor).get('/audit/exports/sdtm/LB.csv').expect(200)).text).filter(
      (row) => row.LBTESTCD === 'IGM',
    );
    expect(lb).toEqual([expect.objectContaining({ USUBJID: expect.stringContaining(patientId), LBDTC: '2026-03-01', LBORRES: '13.5' })]);
    const co = csvRows((await bearer(app, auditor).get('/audit/exports/sdtm/CO.csv').expect(200)).text);
    expect(co).toEqual([
      expect.objectContaining({
        DOMAIN: 'CO',
        RDOMAIN: 'LB',
        COVAL: `Corrected value: 12.5 -> 13.5. Reason: ${reason}`,
        CODTC: NOW.toISOString().slice(0, 10),
      }),
    ]);
  });

  it('shows in the ODM audit trail the original and the corrected value, with the reason', async () => {
    const xml = (await bearer(app, auditor).get('/audit/exports/odm.xml').expect(200)).text;
    expect(xml).toMatch(/TransactionType="Insert"[^>]*Value="12.5"|Value="12.5"[^>]*TransactionType="Insert"/);
    expect(xml).toContain('13.5');
    expect(xml).toContain(`<ReasonForChange>${reason}</ReasonForChange>`);
  });

  it('moves the entry only when the correction corrects its date explicitly', async () => {
    const coordinator = await app.userToken('site_coordinator', ['S01']);
    const anti = await submit(
      app,
      coordinator,
      `/patients/${patientId}/labs`,
      labBody({ occurredAt: '2026-03-02', analyte: 'ANTI_MAG', value: 5000, unit: 'BTU' }),
    );
    await submit(app, coordinator, `/patients/${patientId}/corrections`, {
      ...submission(),
      occurredAt: '2026-03-12',
      correctedOccurredAt: '2026-03-03',
      correctedEventId: anti,
      reason: 'sample date misread',
      data: { analyte: 'ANTI_MAG', value: 5000, unit: 'BTU', qualifier: '=' },
    });
    await whenReadModelsCaughtUp(app);
    const lb = csvRows((await bearer(app, auditor).get('/audit/exports/sdtm/LB.csv').expect(200)).text).filter(
      (row) => row.LBTESTCD === 'ANTIMAG' || row.LBTESTCD.includes('MAG'),
    );
    expect(lb.map((row) => row.LBDTC)).toEqual(['2026-03-03']);
  });
});
