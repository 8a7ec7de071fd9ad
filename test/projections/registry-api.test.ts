import { INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { configureHttpApp } from '@trialstream/api-common';
import { AUTH_MIGRATIONS, AuthModule, DATA_SOURCE, UserDirectory, type NewUser } from '@trialstream/auth';
import { ProjectionRunner, REGISTRY_PROJECTION, StoreFeed } from '@trialstream/projections';
import { RegistryModule } from '../../apps/monitoring/src/registry';
import { openProjectionHarness, readAllOf, type ProjectionHarness } from './projection-harness';
import { recordTrial, type RecordedTrial } from './trial-builder';

describe('the registry query API', () => {
  let harness: ProjectionHarness;
  let app: INestApplication;
  let trial: RecordedTrial;
  let otherTrial: RecordedTrial;
  let users: UserDirectory;

  beforeAll(async () => {
    harness = await openProjectionHarness([REGISTRY_PROJECTION], AUTH_MIGRATIONS);
    trial = await recordTrial(harness.store, 4);
    otherTrial = await recordTrial(harness.store, 2);
    await readAllOf(harness.store, trial.events.length + otherTrial.events.length);
    const runner = new ProjectionRunner(REGISTRY_PROJECTION, harness.dataSource, harness.store);
    await new StoreFeed(runner, harness.store).catchUp();

    @Module({ providers: [{ provide: DATA_SOURCE, useValue: harness.dataSource }], exports: [DATA_SOURCE] })
    class TestDatabaseModule {}
    @Module({
      imports: [AuthModule.forRoot({ imports: [TestDatabaseModule] }), RegistryModule.register({ imports: [TestDatabaseModule] })],
    })
    class RegistryTestApp {}

    app = await NestFactory.create(RegistryTestApp, { logger: false, abortOnError: false });
    await configureHttpApp(app, 'registry test');
    await app.init();
    users = app.get(UserDirectory);
  });
  afterAll(async () => {
    await app?.close();
    await harness?.close();
  });

  const tokenFor = async (user: Pick<NewUser, 'role' | 'siteIds'>) =>
    (await users.createUser({ name: `${user.role} user`, ...user })).token;
  const get = (path: string, token: string) => request(app.getHttpServer()).get(path).auth(token, { type: 'bearer' });

  it('gives a monitor the patients of the assigned sites only, with status, last event and counts', async () => {
    const [site] = trial.sites;
    const token = await tokenFor({ role: 'monitor', siteIds: [site] });

    const response = await get('/registry/patients', token).expect(200);

    expect(response.body).toMatchObject({ total: 4, limit: 100, offset: 0 });
    expect(response.body.items.map((patient: { siteId: string }) => patient.siteId)).toEqual([site, site, site, site]);
    expect(response.body.items[1]).toEqual({
      patientId: `${site}-002`,
      siteId: site,
      status: 'randomized',
      enrolledAt: '2024-01-15',
      lastEventType: 'InfusionGiven',
      lastEventAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      eventCounts: { PatientEnrolled: 1, PatientRandomized: 1, InfusionGiven: 2, LabResulted: 1 },
      totalEvents: 5,
    });
  });

  it('filters by site and status and pages through the result', async () => {
    const token = await tokenFor({ role: 'monitor', siteIds: trial.sites });

    const withdrawn = await get(`/registry/patients?siteId=${trial.sites[1]}&status=withdrawn`, token).expect(200);
    const secondPage = await get(`/registry/patients?limit=3&offset=3`, token).expect(200);

    expect(withdrawn.body.items.map((patient: { patientId: string }) => patient.patientId)).toEqual([`${trial.sites[1]}-003`]);
    expect(secondPage.body).toMatchObject({ total: 8, limit: 3, offset: 3 });
    expect(secondPage.body.items.map((patient: { patientId: string }) => patient.patientId)).toEqual([
      `${trial.sites[0]}-004`,
      `${trial.sites[1]}-001`,
      `${trial.sites[1]}-002`,
    ]);
  });

  it('refuses a monitor a site outside the assigned ones with 403', async () => {
    const token = await tokenFor({ role: 'monitor', siteIds: [trial.sites[0]] });

    const response = await get(`/registry/patients?siteId=${otherTrial.sites[0]}`, token).expect(403);

    expect(response.body).toEqual({
      error: 'forbidden',
      message: `site ${otherTrial.sites[0]} is outside the sites assigned to you`,
      details: [{ field: 'siteId', rule: 'site-scope' }],
    });
  });

  it('refuses roles without the monitoring permission', async () => {
    await get('/registry/patients', await tokenFor({ role: 'blinded_statistician', siteIds: [] })).expect(403);
    await get('/registry/sites', await tokenFor({ role: 'site_coordinator', siteIds: [trial.sites[0]] })).expect(403);
    await request(app.getHttpServer()).get('/registry/sites').expect(401);
  });

  it('counts each assigned site’s patients by status', async () => {
    const token = await tokenFor({ role: 'monitor', siteIds: [trial.sites[0]] });

    const response = await get('/registry/sites', token).expect(200);

    expect(response.body.items).toEqual([
      {
        siteId: trial.sites[0],
        name: `Site ${trial.sites[0]}`,
        activatedAt: '2024-01-01',
        patients: 4,
        byStatus: { not_enrolled: 0, enrolled: 1, screen_failed: 1, randomized: 1, withdrawn: 1 },
      },
    ]);
  });

  it('shows an auditor every site', async () => {
    const response = await get('/registry/sites', await tokenFor({ role: 'auditor', siteIds: [] })).expect(200);
    expect(response.body.items.map((site: { siteId: string }) => site.siteId)).toEqual([...trial.sites, ...otherTrial.sites].sort());
  });

  it('rejects a malformed query with the API’s error shape', async () => {
    const token = await tokenFor({ role: 'monitor', siteIds: trial.sites });
    const response = await get('/registry/patients?status=lost&limit=0', token).expect(400);
    expect(response.body.details).toEqual(
      expect.arrayContaining([
        { field: 'status', rule: 'is-in' },
        { field: 'limit', rule: 'min' },
      ]),
    );
  });
});
