import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import {
  AnyAuthenticatedRole,
  AuthModule,
  CurrentPrincipal,
  DATA_SOURCE,
  Principal,
  Public,
  RequirePermission,
  UserDirectory,
} from '@trialstream/auth';
import { AuthTestDatabase, aNewUser, openAuthTestDatabase } from './auth-test-database';

@Controller()
class ProbeController {
  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @RequirePermission('read-monitoring')
  @Get('monitoring')
  monitoring(@CurrentPrincipal() principal: Principal) {
    return { readBy: principal.userId };
  }

  @RequirePermission('read-patient', { siteParam: 'siteId' })
  @Get('sites/:siteId/patients')
  patients() {
    return [];
  }

  @AnyAuthenticatedRole()
  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @Get('undeclared')
  undeclared() {
    return 'should never be reached';
  }
}

@Public()
@Controller('docs')
class DocsController {
  @Get()
  docs() {
    return 'api docs';
  }
}

describe('API key and permission guards in a Nest app', () => {
  let db: AuthTestDatabase;
  let app: INestApplication;
  let users: UserDirectory;

  beforeAll(async () => {
    db = await openAuthTestDatabase();
    @Module({ providers: [{ provide: DATA_SOURCE, useValue: db.dataSource }], exports: [DATA_SOURCE] })
    class TestDatabaseModule {}

    // NestFactory rather than @nestjs/testing's Test.createTestingModule, which is not installed.
    @Module({ imports: [AuthModule.forRoot({ imports: [TestDatabaseModule] })], controllers: [ProbeController, DocsController] })
    class ProbeAppModule {}

    app = await NestFactory.create(ProbeAppModule, { logger: false });
    await app.init();
    users = app.get(UserDirectory);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const tokenFor = async (overrides: Parameters<typeof aNewUser>[0]) => (await users.createUser(aNewUser(overrides))).token;

  it('answers public routes without a token', async () => {
    await request(app.getHttpServer()).get('/health').expect(200, { status: 'ok' });
    await request(app.getHttpServer()).get('/docs').expect(200);
  });

  it('answers 401 naming the Authorization header when no token is sent', async () => {
    const response = await request(app.getHttpServer()).get('/monitoring').expect(401);
    expect(response.body.message).toContain('Authorization: Bearer');
  });

  it('answers 401 for a bad, malformed or non-Bearer token', async () => {
    const token = await tokenFor({ role: 'monitor' });
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const header of [`Bearer ${tampered}`, 'Bearer not-a-token', `Basic ${token}`, token]) {
      const response = await request(app.getHttpServer()).get('/monitoring').set('Authorization', header).expect(401);
      expect(response.body.message).toContain('Authorization');
    }
  });

  it('answers 401 once a key is revoked', async () => {
    const { user, token } = await users.createUser(aNewUser({ role: 'monitor' }));
    await request(app.getHttpServer()).get('/monitoring').auth(token, { type: 'bearer' }).expect(200);
    await users.revoke(user.id);
    await request(app.getHttpServer()).get('/monitoring').auth(token, { type: 'bearer' }).expect(401);
  });

  it('answers 403 when the role lacks the permission', async () => {
    const token = await tokenFor({ role: 'blinded_statistician' });
    const response = await request(app.getHttpServer()).get('/monitoring').auth(token, { type: 'bearer' }).expect(403);
    expect(response.body.message).toBe('the blinded_statistician role does not permit read-monitoring');
  });

  it('answers 200 with the authenticated principal when the role is allowed', async () => {
    const { user, token } = await users.createUser(aNewUser({ role: 'monitor', siteIds: ['S01'] }));
    await request(app.getHttpServer()).get('/monitoring').auth(token, { type: 'bearer' }).expect(200, { readBy: user.id });
  });

  it("refuses a coordinator another site's patients but gives them their own", async () => {
    const token = await tokenFor({ role: 'site_coordinator', siteIds: ['S01'] });
    await request(app.getHttpServer()).get('/sites/S01/patients').auth(token, { type: 'bearer' }).expect(200);
    const response = await request(app.getHttpServer()).get('/sites/S02/patients').auth(token, { type: 'bearer' }).expect(403);
    expect(response.body.message).toBe('site S02 is outside the sites assigned to you');
  });

  it('lets an auditor read patients at any site', async () => {
    const token = await tokenFor({ role: 'auditor' });
    await request(app.getHttpServer()).get('/sites/S77/patients').auth(token, { type: 'bearer' }).expect(200);
  });

  it('opens a route marked for any authenticated role to every role', async () => {
    const { user, token } = await users.createUser(aNewUser({ name: 'Stat', role: 'blinded_statistician' }));
    await request(app.getHttpServer())
      .get('/me')
      .auth(token, { type: 'bearer' })
      .expect(200, { userId: user.id, name: 'Stat', role: 'blinded_statistician', siteIds: [] });
  });

  it('closes a route that declares no permission, even to an administrator', async () => {
    const token = await tokenFor({ role: 'administrator' });
    await request(app.getHttpServer()).get('/undeclared').auth(token, { type: 'bearer' }).expect(403);
  });
});
