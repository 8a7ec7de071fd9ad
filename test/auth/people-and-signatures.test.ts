import { parseApiKey } from '@trialstream/auth';
import request from 'supertest';
import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { MONITORING_PROJECTIONS } from '../../apps/monitoring/src/monitoring.schema';
import { MonitoringModule } from '../../apps/monitoring/src/monitoring.module';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { startTestApp, TestApp } from '../support/app';
import { whenProjectionCaughtUp } from '../support/projections';
import { enrolmentBody, labBody, siteBody, submission } from '../ingest/site-api';

const T0 = new Date('2026-06-01T08:00:00Z');
const minutesAfter = (start: Date, minutes: number) => new Date(start.getTime() + minutes * 60_000);
const PASSWORD = 'correct horse battery staple';

type Agent = ReturnType<typeof request.agent>;

/**
 * People in the browser: accounts with activation codes, password login into a server-side session,
 * timeouts on an injected clock, lockout, CSRF, and electronic signatures, on the real platform and
 * PostgreSQL. Every secret handed out is collected, and the last test looks for each of them in every
 * log line and every stored event.
 */
describe('people, sessions and electronic signatures', () => {
  let app: TestApp;
  let admin: string;
  const secrets: string[] = [];
  const output: string[] = [];
  const writes = [process.stdout.write, process.stderr.write];

  const agent = (): Agent => request.agent(app.app.getHttpServer());

  async function createPerson(username: string, role: string, siteIds: string[] = []) {
    const created = await app
      .http()
      .post('/users')
      .set('Authorization', admin)
      .send({ username, name: `Dr ${username}`, role, siteIds })
      .expect(201);
    expect(created.body).toEqual({ userId: expect.any(String), username, activationCode: expect.any(String) });
    secrets.push(created.body.activationCode);
    return created.body as { userId: string; username: string; activationCode: string };
  }

  async function activePerson(username: string, role: string, siteIds: string[] = []) {
    const person = await createPerson(username, role, siteIds);
    await app.http().post('/auth/activate').send({ username, activationCode: person.activationCode, password: PASSWORD }).expect(204);
    secrets.push(PASSWORD);
    return person;
  }

  async function login(username: string, password = PASSWORD) {
    const browser = agent();
    const res = await browser.post('/auth/login').send({ username, password }).expect(200);
    const cookie = String(res.headers['set-cookie']);
    secrets.push(/trialstream_session=([^;]+)/.exec(cookie)![1], res.body.csrfToken);
    return { browser, csrf: res.body.csrfToken as string, body: res.body, cookie };
  }

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        output.push(String(chunk));
        return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
    }
    app = await startTestApp([IngestModule, AnalysisModule, MonitoringModule, ProjectionsModule.forRoot(MONITORING_PROJECTIONS)], {
      now: T0,
    });
    admin = await app.userToken('administrator');
    secrets.push(admin.replace('Bearer ', ''));
    for (const siteId of ['S01', 'S02']) await app.http().post('/sites').set('Authorization', admin).send(siteBody(siteId)).expect(201);
  });
  afterAll(async () => {
    [process.stdout.write, process.stderr.write] = writes;
    await app?.close();
  });

  it('logs in with a session cookie, answers the session, and logs out', async () => {
    await activePerson('ana.login', 'site_coordinator', ['S01']);
    const { browser, body, cookie } = await login('Ana.Login');
    expect(body).toMatchObject({
      user: { username: 'ana.login', role: 'site_coordinator', siteIds: ['S01'] },
      csrfToken: expect.any(String),
      expiresAt: minutesAfter(T0, 12 * 60).toISOString(),
      idleExpiresAt: minutesAfter(T0, 30).toISOString(),
    });
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/i);
    await browser.get('/auth/session').expect(200);
    await browser.post('/auth/logout').set('X-CSRF-Token', body.csrfToken).expect(204);
    await browser.get('/auth/session').expect(401);

    const behindTls = await agent()
      .post('/auth/login')
      .set('X-Forwarded-Proto', 'https')
      .send({ username: 'ana.login', password: PASSWORD })
      .expect(200);
    secrets.push(/trialstream_session=([^;]+)/.exec(String(behindTls.headers['set-cookie']))![1]);
    expect(String(behindTls.headers['set-cookie'])).toMatch(/Secure/);
  });

  it('answers malformed credentials with 400 in the one error shape, and a wrong password with the same 401 as an unknown user', async () => {
    const missing = await agent().post('/auth/login').send({ username: 'ana.login' }).expect(400);
    expect(missing.body).toMatchObject({
      error: expect.any(String),
      message: expect.any(String),
      details: expect.arrayContaining([{ field: 'password', rule: 'is-string' }]),
    });
    await agent()
      .post('/auth/login')
      .send({ username: ['ana.login'], password: 12 })
      .expect(400);
    const wrong = await agent().post('/auth/login').send({ username: 'ana.login', password: 'not the password!' }).expect(401);
    const unknown = await agent().post('/auth/login').send({ username: 'no.such.user', password: 'not the password!' }).expect(401);
    expect(wrong.body).toEqual({
      error: 'unauthenticated',
      message: 'The user name or password is wrong',
      details: [{ field: 'password', rule: 'valid-credentials' }],
    });
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('ends a session after 30 idle minutes, and any session 12 hours after login however busy', async () => {
    await activePerson('ana.clock', 'site_coordinator', ['S01']);
    app.setNow(T0);
    const idle = await login('ana.clock');
    app.setNow(minutesAfter(T0, 29));
    await idle.browser.get('/auth/session').expect(200);
    app.setNow(minutesAfter(T0, 29 + 30));
    await idle.browser.get('/auth/session').expect(401);

    app.setNow(T0);
    const busy = await login('ana.clock');
    for (let minute = 25; minute < 12 * 60; minute += 25) {
      app.setNow(minutesAfter(T0, minute));
      await busy.browser.get('/auth/session').expect(200);
    }
    app.setNow(minutesAfter(T0, 12 * 60));
    await busy.browser.get('/auth/session').expect(401);
    app.setNow(T0);
  });

  it('locks a user name after 5 failures in 15 minutes, like an unknown one, and unlocks after the lockout', async () => {
    await activePerson('ana.locked', 'site_coordinator', ['S01']);
    const attempt = (username: string, password: string) => agent().post('/auth/login').send({ username, password });
    for (let i = 1; i <= 4; i++) {
      const known = await attempt('ana.locked', 'wrong password number');
      const unknown = await attempt('nobody.here', 'wrong password number');
      expect(known.status).toBe(401);
      // no response tells whether the user exists
      expect(unknown.body).toEqual(known.body);
    }
    const fifth = await attempt('ana.locked', 'wrong password number').expect(423);
    const unlockAt = minutesAfter(T0, 15).toISOString();
    expect(fifth.body).toMatchObject({ error: 'locked', unlockAt, details: [{ field: 'username', rule: 'not-locked-out' }] });
    expect(fifth.headers['retry-after']).toBe(String(15 * 60));
    await attempt('nobody.here', 'wrong password number').expect(423);
    // while locked, even the right password is refused
    await attempt('ana.locked', PASSWORD).expect(423);
    app.setNow(minutesAfter(T0, 16));
    await attempt('ana.locked', PASSWORD).expect(200);
    app.setNow(T0);

    const events = await app.dataSource.query(
      `SELECT type FROM event_store.events WHERE stream_id LIKE 'account-%' AND type IN ('LoginFailed', 'AccountLockedOut')`,
    );
    expect(events.filter((e: { type: string }) => e.type === 'AccountLockedOut')).toHaveLength(1);
  });

  it('refuses a state-changing request made with the cookie but without the CSRF token', async () => {
    await activePerson('ana.csrf', 'site_coordinator', ['S01']);
    const { browser, csrf } = await login('ana.csrf');
    const body = enrolmentBody('0901');
    const refused = await browser.post('/sites/S01/patients').send(body).expect(403);
    expect(refused.body.details).toEqual([{ field: 'X-CSRF-Token', rule: 'csrf-token' }]);
    await browser.post('/sites/S01/patients').set('X-CSRF-Token', 'forged').send(body).expect(403);
    expect((await app.dataSource.query(`SELECT 1 FROM event_store.events WHERE stream_id = 'patient-S01-0901'`)).length).toBe(0);
    await browser.post('/sites/S01/patients').set('X-CSRF-Token', csrf).send(body).expect(201);
    // an API key needs no CSRF token
    await app.http().post('/sites').set('Authorization', admin).send(siteBody('S03')).expect(201);
  });

  it('takes an activation code once, and enforces the password policy naming the rule', async () => {
    const person = await createPerson('ana.activate', 'monitor', ['S01']);
    const tooShort = await app
      .http()
      .post('/auth/activate')
      .send({ username: 'ana.activate', activationCode: person.activationCode, password: 'short' })
      .expect(422);
    expect(tooShort.body.details).toEqual([{ field: 'password', rule: 'min-length' }]);
    const sameAsName = await app
      .http()
      .post('/auth/activate')
      .send({ username: 'ana.activate', activationCode: person.activationCode, password: 'ANA.ACTIVATE' })
      .expect(422);
    expect(sameAsName.body.details).toContainEqual({ field: 'password', rule: 'not-username' });
    await app
      .http()
      .post('/auth/activate')
      .send({ username: 'ana.activate', activationCode: person.activationCode, password: PASSWORD })
      .expect(204);
    const twice = await app
      .http()
      .post('/auth/activate')
      .send({ username: 'ana.activate', activationCode: person.activationCode, password: 'another fine passphrase' })
      .expect(401);
    expect(twice.body.details).toEqual([{ field: 'activationCode', rule: 'valid-activation-code' }]);

    const { browser, csrf } = await login('ana.activate');
    const reused = await browser
      .post('/auth/password')
      .set('X-CSRF-Token', csrf)
      .send({ currentPassword: PASSWORD, newPassword: PASSWORD })
      .expect(422);
    expect(reused.body.details).toEqual([{ field: 'newPassword', rule: 'not-recently-used' }]);
    await browser
      .post('/auth/password')
      .set('X-CSRF-Token', csrf)
      .send({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase' })
      .expect(204);
    secrets.push('a brand new passphrase');
  });

  it('deactivates a person from the next request, and a reset ends the password', async () => {
    const person = await activePerson('ana.leaving', 'site_coordinator', ['S01']);
    const { browser } = await login('ana.leaving');
    await browser.get('/auth/session').expect(200);
    const reset = await app.http().post(`/users/${person.userId}/password-reset`).set('Authorization', admin).expect(201);
    secrets.push(reset.body.activationCode);
    await browser.get('/auth/session').expect(401);
    await agent().post('/auth/login').send({ username: 'ana.leaving', password: PASSWORD }).expect(401);
    await app
      .http()
      .post('/auth/activate')
      .send({ username: 'ana.leaving', activationCode: reset.body.activationCode, password: 'second passphrase here' })
      .expect(204);
    secrets.push('second passphrase here');
    const again = await login('ana.leaving', 'second passphrase here');
    await app.http().post(`/users/${person.userId}/deactivation`).set('Authorization', admin).expect(204);
    await again.browser.get('/auth/session').expect(401);
    await agent().post('/auth/login').send({ username: 'ana.leaving', password: 'second passphrase here' }).expect(401);
  });

  it('answers a user id that is no user id with 404 naming the field, on deactivation and reset alike', async () => {
    for (const action of ['deactivation', 'password-reset']) {
      const res = await app.http().post(`/users/not-a-uuid/${action}`).set('Authorization', admin);
      expect([res.status, res.body]).toEqual([404, expect.objectContaining({ details: [{ field: 'userId', rule: 'exists' }] })]);
    }
  });

  it('issues scoped, expiring API keys for machines, lists them without the key and revokes them', async () => {
    const issued = await app
      .http()
      .post('/api-keys')
      .set('Authorization', admin)
      .send({
        name: 'Lab system S01',
        role: 'site_coordinator',
        siteIds: ['S01'],
        scopes: ['submit-clinical-data'],
        expiresAt: minutesAfter(T0, 60 * 24).toISOString(),
      })
      .expect(201);
    const key = issued.body.apiKey as string;
    secrets.push(key);
    const listed = await app.http().get('/api-keys').set('Authorization', admin).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(parseApiKey(key)!.secret);
    // its scope lets it submit, not read
    await app.http().post('/sites/S01/patients').set('Authorization', `Bearer ${key}`).send(enrolmentBody('0902')).expect(201);
    await app.http().get('/patients/S01-0902/events').set('Authorization', `Bearer ${key}`).expect(403);
    app.setNow(minutesAfter(T0, 60 * 24 + 1));
    await app.http().post('/patients/S01-0902/labs').set('Authorization', `Bearer ${key}`).send(labBody()).expect(401);
    app.setNow(T0);
    await app.http().delete(`/api-keys/${issued.body.id}`).set('Authorization', admin).expect(204);
    // a machine cannot be given what a person signs
    const signedByMachine = await app
      .http()
      .post('/api-keys')
      .set('Authorization', admin)
      .send({
        name: 'Robot',
        role: 'site_coordinator',
        siteIds: ['S01'],
        scopes: ['code-break', 'read-monitoring'],
        expiresAt: minutesAfter(T0, 60).toISOString(),
      })
      .expect(422);
    expect(signedByMachine.body.details).toEqual([
      { field: 'scopes[0]', rule: 'needs-a-person' },
      { field: 'scopes[1]', rule: 'within-role' },
    ]);
    await app.http().post('/patients/S01-0902/labs').set('Authorization', `Bearer ${key}`).send(labBody()).expect(401);
  });

  describe('electronic signatures', () => {
    let patientId: string;
    let investigator: { browser: Agent; csrf: string };
    let coordinator: string;
    let labId: string;

    beforeAll(async () => {
      coordinator = await app.userToken('site_coordinator', ['S01']);
      await activePerson('dr.signer', 'investigator', ['S01']);
      investigator = await login('dr.signer');
      const enrolled = await app
        .http()
        .post('/sites/S01/patients')
        .set('Authorization', coordinator)
        .send(enrolmentBody('0100'))
        .expect(201);
      patientId = enrolled.body.patientId;
      const lab = await app
        .http()
        .post(`/patients/${patientId}/labs`)
        .set('Authorization', coordinator)
        .send(labBody({ occurredAt: '2026-03-02' }))
        .expect(201);
      labId = lab.body.events[0].eventId;
    });

    const sign = (body: object) =>
      investigator.browser
        .post(`/patients/${patientId}/signatures`)
        .set('X-CSRF-Token', investigator.csrf)
        .send({ ...submission(), meaning: 'approval', ...body });

    it('refuses a wrong password with 401 and records the failed attempt', async () => {
      const refused = await sign({ scope: { kind: 'casebook' }, username: 'dr.signer', password: 'not my password' }).expect(401);
      expect(refused.body.error).toBe('unauthenticated');
      const [failed] = await app.dataSource.query(`SELECT data FROM event_store.events WHERE type = 'SignatureAuthenticationFailed'`);
      expect(failed.data).toEqual({ resource: `patient/${patientId}`, reason: 'wrong-password' });
      const signatures = await investigator.browser.get(`/patients/${patientId}/signatures`).expect(200);
      expect(signatures.body).toEqual([]);
    });

    it('asks for the user name at the first signature of a session', async () => {
      const refused = await sign({ scope: { kind: 'casebook' }, password: PASSWORD }).expect(422);
      expect(refused.body.details).toEqual([{ field: 'username', rule: 'required-for-first-signature' }]);
    });

    it('signs a visit with the printed name, meaning, stream version and content hash, and a correction invalidates it', async () => {
      const signed = await sign({ scope: { kind: 'visit', visit: 'screening' }, username: 'dr.signer', password: PASSWORD }).expect(201);
      expect(signed.body.events[0].type).toBe('RecordSigned');
      const [event] = await app.dataSource.query(`SELECT data, actor_id, actor_role FROM event_store.events WHERE event_id = $1`, [
        signed.body.events[0].eventId,
      ]);
      expect(event.data).toMatchObject({
        meaning: 'approval',
        scope: { kind: 'visit', visit: 'screening' },
        signer: { username: 'dr.signer', printedName: 'Dr dr.signer', role: 'investigator' },
        signedAt: T0.toISOString(),
        signedStreamVersion: 2,
        coverage: { eventIds: [labId] },
        contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(event.actor_role).toBe('investigator');

      // a second signature in the same session takes the password alone
      await sign({ scope: { kind: 'casebook' }, meaning: 'review', password: PASSWORD }).expect(201);

      const awaiting = async () => {
        await whenProjectionCaughtUp(app.dataSource, 'monitoring');
        const res = await app
          .http()
          .get('/monitoring/sites/S01/signatures?status=awaiting&asOf=2026-06-01')
          .set('Authorization', coordinator)
          .expect(200);
        return (res.body.items as { patientId: string; scope: string; status: string }[]).filter((item) => item.patientId === patientId);
      };
      expect(await awaiting()).toEqual([]);
      // the patient page asks for one patient's casebook and visits
      const onePatient = await app
        .http()
        .get(`/monitoring/sites/S01/signatures?patientId=${patientId}&asOf=2026-06-01`)
        .set('Authorization', coordinator)
        .expect(200);
      expect(
        onePatient.body.items.map((item: { patientId: string; scope: string; status: string }) => [
          item.patientId,
          item.scope,
          item.status,
        ]),
      ).toEqual([
        [patientId, 'casebook', 'signed'],
        [patientId, 'screening', 'signed'],
      ]);
      const correction = await app
        .http()
        .post(`/patients/${patientId}/corrections`)
        .set('Authorization', coordinator)
        .send({
          ...submission(),
          occurredAt: '2026-03-02',
          correctedEventId: labId,
          reason: 'Transcription error',
          data: { analyte: 'IGM', value: 1.25, unit: 'g/L', qualifier: '=' },
        })
        .expect(201);
      const correctionId = correction.body.events[0].eventId;

      const listed = await investigator.browser.get(`/patients/${patientId}/signatures`).expect(200);
      expect(
        listed.body.map((s: { scope: unknown; status: string; invalidatedBy?: { eventId: string; type: string } }) => [
          s.scope,
          s.status,
          s.invalidatedBy,
        ]),
      ).toEqual([
        [{ kind: 'visit', visit: 'screening' }, 'invalidated', { eventId: correctionId, type: 'EntryCorrected', occurredAt: '2026-03-02' }],
        [{ kind: 'casebook' }, 'invalidated', { eventId: correctionId, type: 'EntryCorrected', occurredAt: '2026-03-02' }],
      ]);
      expect(await awaiting()).toEqual([
        expect.objectContaining({
          scope: 'casebook',
          status: 'invalidated',
          invalidatedBy: { eventId: correctionId, type: 'EntryCorrected' },
        }),
        expect.objectContaining({
          scope: 'screening',
          status: 'invalidated',
          invalidatedBy: { eventId: correctionId, type: 'EntryCorrected' },
        }),
      ]);
    });

    it("refuses to sign another site's patient", async () => {
      const other = await app.userToken('site_coordinator', ['S02']);
      const enrolled = await app.http().post('/sites/S02/patients').set('Authorization', other).send(enrolmentBody('0200')).expect(201);
      const refused = await investigator.browser
        .post(`/patients/${enrolled.body.patientId}/signatures`)
        .set('X-CSRF-Token', investigator.csrf)
        .send({ ...submission(), meaning: 'approval', scope: { kind: 'casebook' }, username: 'dr.signer', password: PASSWORD })
        .expect(403);
      expect(refused.body.details).toEqual([{ field: 'patientId', rule: 'site-scope' }]);
      const stored = await app.dataSource.query(`SELECT 1 FROM event_store.events WHERE stream_id = $1 AND type = 'RecordSigned'`, [
        `patient-${enrolled.body.patientId}`,
      ]);
      expect(stored).toEqual([]);
    });
  });

  it("signs the database freeze with the administrator's password, and refuses it without or with a wrong one", async () => {
    await activePerson('the.admin', 'administrator');
    const { browser, csrf } = await login('the.admin');
    const freeze = (body: object) =>
      browser
        .post('/trial/freeze')
        .set('X-CSRF-Token', csrf)
        .send({ ...submission(), reason: 'Cleaning', ...body });
    expect((await freeze({}).expect(422)).body.details).toEqual([{ field: 'password', rule: 'required' }]);
    await freeze({ username: 'the.admin', password: 'not my password' }).expect(401);
    const frozen = await freeze({ username: 'the.admin', password: PASSWORD }).expect(201);
    const [event] = await app.dataSource.query(`SELECT type, data FROM event_store.events WHERE event_id = $1`, [
      frozen.body.events[0].eventId,
    ]);
    expect(event).toEqual({
      type: 'DatabaseFrozen',
      data: {
        reason: 'Cleaning',
        signature: {
          signer: expect.objectContaining({ username: 'the.admin', role: 'administrator', printedName: 'Dr the.admin' }),
          meaning: 'approval',
          signedAt: T0.toISOString(),
        },
      },
    });
  });

  it('writes every login, failure, lockout, password change, reset and deactivation to the log, and no secret anywhere', async () => {
    const types = (await app.dataSource.query(`SELECT DISTINCT type FROM event_store.events WHERE stream_id LIKE 'account-%'`)).map(
      (r: { type: string }) => r.type,
    );
    expect(types).toEqual(
      expect.arrayContaining([
        'AccountCreated',
        'AccountActivated',
        'LoginSucceeded',
        'LoginFailed',
        'AccountLockedOut',
        'LoggedOut',
        'PasswordChanged',
        'PasswordReset',
        'AccountDeactivated',
        'SignatureAuthenticationFailed',
        'ApiKeyIssued',
        'ApiKeyRevoked',
      ]),
    );
    const stored = JSON.stringify(await app.dataSource.query(`SELECT * FROM event_store.events`));
    const logged = output.join('');
    expect(secrets.length).toBeGreaterThan(20);
    for (const secret of new Set(secrets)) {
      const parts = [secret, ...secret.split('_').filter((part) => part.length >= 16)];
      for (const part of parts) {
        expect(stored.includes(part) ? `stored: ${part}` : 'absent').toBe('absent');
        expect(logged.includes(part) ? `logged: ${part}` : 'absent').toBe('absent');
      }
    }
  });
});
