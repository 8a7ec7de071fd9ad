import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { startTestApp, TestApp } from '../support/app';
import { siteBody } from './site-api';

describe('administrators manage users over HTTP', () => {
  let app: TestApp;
  let admin: string;
  beforeAll(async () => {
    app = await startTestApp([IngestModule]);
    admin = await app.userToken('administrator');
    for (const siteId of ['S01', 'S02']) await app.http().post('/sites').set('Authorization', admin).send(siteBody(siteId)).expect(201);
  });
  afterAll(() => app?.close());

  it('creates a coordinator whose key works at once and is never listed', async () => {
    const created = await app
      .http()
      .post('/users')
      .set('Authorization', admin)
      .send({ name: 'Ana', role: 'site_coordinator', siteIds: ['S01'] })
      .expect(201);
    expect(created.body).toMatchObject({ name: 'Ana', role: 'site_coordinator', siteIds: ['S01'], token: expect.stringMatching(/^tsk_/) });
    const listed = await app.http().get('/users').set('Authorization', admin).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    await app.http().get('/users').set('Authorization', `Bearer ${created.body.token}`).expect(403);
  });

  it('refuses a coordinator bound to two sites, naming the field and rule', async () => {
    const res = await app
      .http()
      .post('/users')
      .set('Authorization', admin)
      .send({ name: 'Bo', role: 'site_coordinator', siteIds: ['S01', 'S02'] })
      .expect(422);
    expect(res.body.details[0]).toMatchObject({ field: expect.stringMatching(/^siteIds/) });
  });

  it('refuses a user on a site that was never activated, naming the site', async () => {
    const res = await app
      .http()
      .post('/users')
      .set('Authorization', admin)
      .send({ name: 'Cy', role: 'monitor', siteIds: ['S01', 'S77'] })
      .expect(422);
    expect(res.body.details).toEqual([{ field: 'siteIds[1]', rule: 'activated-site' }]);
  });

  it('takes no siteIds for a role without sites', async () => {
    const created = await app.http().post('/users').set('Authorization', admin).send({ name: 'Dee', role: 'auditor' }).expect(201);
    expect(created.body).toMatchObject({ role: 'auditor', siteIds: [] });
  });

  it('refuses an unknown role with 400', async () => {
    const res = await app.http().post('/users').set('Authorization', admin).send({ name: 'Eve', role: 'root', siteIds: [] }).expect(400);
    expect(res.body.details).toEqual([{ field: 'role', rule: 'is-in' }]);
  });
});
