/**
 * The open-label pilot, activated at start from its file (TRIAL_PROTOCOL=pilot): its site ids such as
 * SITE-A are accepted, its 750 mg/m² re-treatment is a dose level, and nothing is masked: statisticians
 * and monitors see B-cell counts and depletion.
 */
import { shippedProtocolFile } from '@trialstream/config';
import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { ANALYSIS_PROJECTIONS } from '../../apps/analysis/src/analysis.schema';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { enrolmentBody, infusionBody, labBody, randomizationBody, siteBody } from '../ingest/site-api';
import { startTestApp, TestApp } from '../support/app';
import { whenProjectionCaughtUp } from '../support/projections';

describe('the open-label pilot from its protocol file', () => {
  let app: TestApp;
  let admin: string;
  const get = (path: string, token: string) => app.http().get(path).set('Authorization', token);
  const post = (path: string, body: object, token: string) => app.http().post(path).set('Authorization', token).send(body);

  beforeAll(async () => {
    app = await startTestApp([IngestModule, AnalysisModule, ProjectionsModule.forRoot(ANALYSIS_PROJECTIONS)], {
      now: new Date('2026-09-01T12:00:00Z'),
      protocolFile: shippedProtocolFile('pilot'),
    });
    admin = await app.userToken('administrator');
  });
  afterAll(() => app?.close());

  it('logged the file as version 1 at start and takes its site ids', async () => {
    expect((await get('/protocol/versions', admin).expect(200)).body).toEqual([
      expect.objectContaining({ version: 1, protocolId: 'anti-mag-rituximab-pilot', inForce: true }),
    ]);
    await post('/sites', siteBody('SITE-A'), admin).expect(201);
    const refused = await post('/sites', siteBody('site/b'), admin).expect(400);
    expect(refused.body.details[0]).toMatchObject({ field: 'siteId' });
  });

  it('shows B-cell values and depletion to the blinded statistician: nothing is masked in an open-label trial', async () => {
    const coordinator = await app.userToken('site_coordinator', ['SITE-A']);
    const statistician = await app.userToken('blinded_statistician');
    const monitor = await app.userToken('monitor', ['SITE-A']);
    await post('/sites/SITE-A/patients', enrolmentBody('01'), coordinator).expect(201);
    const { kitNumber: _kit, ...randomization } = randomizationBody() as { kitNumber?: string };
    await post('/patients/SITE-A-01/randomization', { ...randomization, kitNumber: 'OPEN-01' }, coordinator).expect(201);
    await post('/patients/SITE-A-01/infusions', infusionBody(), coordinator).expect(201);
    await post('/patients/SITE-A-01/labs', labBody({ analyte: 'CD19', value: 163.7, unit: 'cells/uL' }), coordinator).expect(201);
    // month 3: day 91 after 2026-03-09
    await post(
      '/patients/SITE-A-01/labs',
      labBody({ occurredAt: '2026-06-08', analyte: 'CD19', value: 5, unit: '10*6/L', qualifier: '<' }),
      coordinator,
    ).expect(201);
    await whenProjectionCaughtUp(app.dataSource, 'analysis');

    const { pooled, protocolEndpoints } = (await get('/analysis/endpoints', statistician).expect(200)).body;
    expect(pooled.bCellDepletion).toEqual({ evaluable: 1, depleted: 1 });
    expect(protocolEndpoints).toContainEqual(
      expect.objectContaining({ endpoint: 'b-cell-depletion', visit: 'month-3', evaluable: 1, responders: 1 }),
    );
    const history = (await get('/patients/SITE-A-01/events', monitor).expect(200)).body as Array<{
      type: string;
      data: { value?: number };
    }>;
    expect(history.filter((event) => event.type === 'LabResulted').map((event) => event.data.value)).toEqual([163.7, 5]);
  });
});
