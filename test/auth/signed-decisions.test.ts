import request from 'supertest';
import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { AuditModule } from '../../apps/audit/src/audit.module';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { enrolmentBody, siteBody, submission } from '../ingest/site-api';
import { startTestApp, TestApp, TestPerson } from '../support/app';

const T0 = new Date('2026-06-01T08:00:00Z');
const ARMS = ['ZEBRA-ACTIVE-ARM', 'OKAPI-PLACEBO-ARM'];

type Agent = ReturnType<typeof request.agent>;

interface Session {
  person: TestPerson;
  post(path: string, body: object): request.Test;
}

/**
 * The attacks on the signed decisions, 21 CFR Part 11 §11.200(a): an emergency code-break, the database
 * lock and the unblinding each need the user name and password of the person deciding, entered at that
 * moment. A wrong password, another person's password or user name, a signature copied from an earlier
 * decision, a replayed request and a caller with an API key only are each refused, and nothing of the
 * trial changes; the right password yields one event that carries the signer's manifest, in the log an
 * auditor reads.
 */
describe('signed decisions: code-break, lock and unblinding', () => {
  let app: TestApp;
  let keyOnlyAdministrator: string;
  let keyOnlyCoordinator: string;
  let auditor: string;
  let administrator: Session;
  let otherAdministrator: Session;
  /** A third administrator unblinds: the failed attempts of each decision's attacks stay under the lockout's five. */
  let unblinder: Session;
  let requester: Session;
  let patientId: string;

  /** A person signed in through the browser's path: a session cookie and its CSRF token. */
  async function signedIn(person: TestPerson): Promise<Session> {
    const agent: Agent = request.agent(app.app.getHttpServer());
    const login = await agent.post('/auth/login').send(person.credentials).expect(200);
    const csrf = login.body.csrfToken as string;
    return { person, post: (path, body) => agent.post(path).set('X-CSRF-Token', csrf).send(body) };
  }

  /** Everything a decision could change: the trial's status and every event outside the accounts' and readers' own streams. */
  async function trialSnapshot() {
    const events: { n: number }[] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM event_store.events WHERE stream_id NOT LIKE 'account-%' AND stream_id NOT LIKE 'access-%'`,
    );
    const trial = await app.http().get('/trial').set('Authorization', auditor).expect(200);
    return { events: events[0].n, status: trial.body.status as string };
  }

  async function failedSignatures(person: TestPerson): Promise<Array<{ resource: string; reason: string }>> {
    const rows: { data: { resource: string; reason: string } }[] = await app.dataSource.query(
      `SELECT data FROM event_store.events WHERE stream_id = $1 AND type = 'SignatureAuthenticationFailed' ORDER BY global_position`,
      [`account-${person.userId}`],
    );
    return rows.map((row) => row.data);
  }

  /** The event as the auditor's log serves it. */
  async function inAuditLog(eventId: string) {
    let after = '0';
    for (;;) {
      const page = await app
        .http()
        .get('/audit/events')
        .query({ afterPosition: after, limit: 1000 })
        .set('Authorization', auditor)
        .expect(200);
      const found = (page.body.events as Array<{ eventId: string }>).find((event) => event.eventId === eventId);
      if (found) return found;
      if (page.body.nextAfterPosition === null) throw new Error(`event ${eventId} is not in the audit log`);
      after = page.body.nextAfterPosition;
    }
  }

  const noArmIn = (body: unknown) => expect(ARMS.filter((arm) => JSON.stringify(body).includes(arm))).toEqual([]);

  beforeAll(async () => {
    app = await startTestApp([IngestModule, AnalysisModule, AuditModule], { now: T0 });
    keyOnlyAdministrator = await app.userToken('administrator');
    auditor = await app.userToken('auditor');
    await app.http().post('/sites').set('Authorization', keyOnlyAdministrator).send(siteBody('S01')).expect(201);
    keyOnlyCoordinator = await app.userToken('site_coordinator', ['S01']);
    await app
      .http()
      .post('/allocation/generate')
      .set('Authorization', keyOnlyAdministrator)
      .send({ seed: 'signed-decisions', strata: ['S01'], blockSizes: [2], kitsPerStratum: 4, arms: ARMS })
      .expect(201);
    const enrolled = await app
      .http()
      .post('/sites/S01/patients')
      .set('Authorization', keyOnlyCoordinator)
      .send(enrolmentBody('0001'))
      .expect(201);
    patientId = enrolled.body.patientId;
    await app
      .http()
      .post(`/patients/${patientId}/randomization`)
      .set('Authorization', keyOnlyCoordinator)
      .send({ ...submission(), occurredAt: '2026-03-05' })
      .expect(201);
    administrator = await signedIn(await app.person('administrator', [], 'ada.admin'));
    otherAdministrator = await signedIn(await app.person('administrator', [], 'otto.admin'));
    unblinder = await signedIn(await app.person('administrator', [], 'una.admin'));
    requester = await signedIn(await app.person('site_coordinator', ['S01'], 'cora.coordinator'));
  });
  afterAll(() => app?.close());

  const decisions = () => [
    {
      name: 'code-break',
      type: 'CodeBreakPerformed',
      stream: () => `patient-${patientId}`,
      path: () => `/patients/${patientId}/code-break`,
      by: () => requester,
      other: () => administrator,
      statusAfter: 'open',
    },
    {
      name: 'lock',
      type: 'DatabaseLocked',
      stream: () => 'trial',
      path: () => '/trial/lock',
      by: () => administrator,
      other: () => otherAdministrator,
      statusAfter: 'locked',
    },
    {
      name: 'unblinding',
      type: 'TrialUnblinded',
      stream: () => 'trial',
      path: () => '/trial/unblinding',
      by: () => unblinder,
      other: () => otherAdministrator,
      statusAfter: 'unblinded',
    },
  ];

  it('refuses the unblinding before the lock even with the right password: the rule still holds for a signed decision', async () => {
    const before = await trialSnapshot();
    const refused = await administrator
      .post('/trial/unblinding', { ...submission(), reason: 'interim look', ...administrator.person.credentials })
      .expect(422);
    expect(refused.body.details).toEqual([{ field: 'trial', rule: 'database-not-locked' }]);
    expect(await trialSnapshot()).toEqual(before);
  });

  describe.each(decisions())('the $name', ({ name, type, stream, path, by, other, statusAfter }) => {
    const body = (extra: object = {}) => ({ ...submission(), reason: `signed ${name} for the test`, ...extra });

    it('refuses a caller with an API key only, naming §11.200, even with a real person’s credentials in the body', async () => {
      const before = await trialSnapshot();
      const keyOnly = name === 'code-break' ? keyOnlyCoordinator : keyOnlyAdministrator;
      for (const extra of [{}, { password: 'any password at all' }, by().person.credentials]) {
        const refused = await app.http().post(path()).set('Authorization', keyOnly).send(body(extra)).expect(403);
        expect(refused.body).toMatchObject({
          error: 'forbidden',
          message: expect.stringContaining('21 CFR Part 11 §11.200'),
          details: [{ field: 'authorization', rule: 'signed-by-a-person' }],
        });
        noArmIn(refused.body);
      }
      expect(await trialSnapshot()).toEqual(before);
      expect(await failedSignatures(by().person)).toEqual([]);
    });

    it('refuses a wrong password with 401, records the failed signature, and changes nothing', async () => {
      const before = await trialSnapshot();
      const refused = await by()
        .post(path(), body({ username: by().person.username, password: 'not the password at all' }))
        .expect(401);
      expect(refused.body.details).toEqual([{ field: 'password', rule: 'valid-credentials' }]);
      noArmIn(refused.body);
      expect(await trialSnapshot()).toEqual(before);
      expect((await failedSignatures(by().person)).at(-1)).toEqual({ resource: expect.stringContaining(name), reason: 'wrong-password' });
    });

    it("refuses another person's password, and another person's user name and password, in the signer's session", async () => {
      const before = await trialSnapshot();
      const theirs = other().person.credentials;
      const withTheirPassword = await by()
        .post(path(), body({ username: by().person.username, password: theirs.password }))
        .expect(401);
      expect(withTheirPassword.body.details).toEqual([{ field: 'password', rule: 'valid-credentials' }]);
      // both components of someone else: a signature is executed by its owner only (§11.200(a)(2))
      const asThem = await by().post(path(), body(theirs)).expect(401);
      expect(asThem.body.details).toEqual([{ field: 'username', rule: 'valid-credentials' }]);
      noArmIn(asThem.body);
      expect(await trialSnapshot()).toEqual(before);
      expect((await failedSignatures(by().person)).slice(-2).map((failure) => failure.reason)).toEqual([
        'wrong-password',
        'wrong-username',
      ]);
      expect(await failedSignatures(other().person)).toEqual([]);
    });

    it('signs with the right password: one event, attributed to the signer, carrying the manifest, in the audit log; replays sign nothing', async () => {
      const before = await trialSnapshot();
      const signer = by().person;
      const request = body(signer.credentials);
      const signed = await by().post(path(), request).expect(201);
      expect(signed.body.events).toHaveLength(1);
      const eventId = signed.body.events[0].eventId as string;
      const [stored] = await app.dataSource.query(
        `SELECT type, stream_id, actor_id, actor_role, data FROM event_store.events WHERE event_id = $1`,
        [eventId],
      );
      const role = name === 'code-break' ? 'site_coordinator' : 'administrator';
      const manifest = {
        signer: { userId: signer.userId, username: signer.username, printedName: `Dr ${signer.username}`, role },
        meaning: 'approval',
        signedAt: T0.toISOString(),
      };
      expect(stored).toEqual({
        type,
        stream_id: stream(),
        actor_id: signer.userId,
        actor_role: role,
        data: expect.objectContaining({ reason: `signed ${name} for the test`, signature: manifest }),
      });
      expect(JSON.stringify(stored.data)).not.toContain(signer.credentials.password);
      if (name === 'code-break') expect(ARMS).toContain(signed.body.arm);
      else noArmIn(signed.body);

      const after = await trialSnapshot();
      expect(after).toEqual({ events: before.events + 1, status: statusAfter });
      expect(await inAuditLog(eventId)).toMatchObject({ eventId, type, data: { signature: manifest } });

      // The same request again answers the first result and stores nothing.
      const replayed = await by().post(path(), request).expect(201);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.body.events[0].eventId).toBe(eventId);
      // The stored signature copied into a new request signs nothing...
      const copied = await by()
        .post(path(), body({ signature: stored.data.signature }))
        .expect(400);
      expect(copied.body.details).toEqual([{ field: 'signature', rule: 'unknown-field' }]);
      // ...and within the session's signature continuity the password is still asked for.
      const withoutPassword = await by()
        .post(path(), body({ username: signer.username }))
        .expect(422);
      expect(withoutPassword.body.details).toEqual([{ field: 'password', rule: 'required' }]);
      noArmIn(withoutPassword.body);
      expect(await trialSnapshot()).toEqual(after);
    });
  });

  it("refuses an investigator's record signature from an API key only, and stores nothing", async () => {
    const investigatorKey = await app.userToken('investigator', ['S01']);
    const refused = await app
      .http()
      .post(`/patients/${patientId}/signatures`)
      .set('Authorization', investigatorKey)
      .send({ ...submission(), meaning: 'approval', scope: { kind: 'casebook' }, username: 'whoever', password: 'any password at all' })
      .expect(403);
    expect(refused.body.details).toEqual([{ field: 'authorization', rule: 'signed-by-a-person' }]);
    const stored = await app.dataSource.query(`SELECT 1 FROM event_store.events WHERE type = 'RecordSigned'`);
    expect(stored).toEqual([]);
  });

  it('refuses the freeze from an API key only', async () => {
    const before = await trialSnapshot();
    const refused = await app
      .http()
      .post('/trial/freeze')
      .set('Authorization', keyOnlyAdministrator)
      .send({ ...submission(), reason: 'Cleaning' })
      .expect(403);
    expect(refused.body.details).toEqual([{ field: 'authorization', rule: 'signed-by-a-person' }]);
    expect(await trialSnapshot()).toEqual(before);
  });

  it('gives the key of a user without a password none of the scopes a person signs', async () => {
    const keyOnlyUser = await app
      .http()
      .post('/users')
      .set('Authorization', keyOnlyAdministrator)
      .send({ name: 'Lock script', role: 'administrator' })
      .expect(201);
    const refused = await app
      .http()
      .post('/api-keys')
      .set('Authorization', keyOnlyAdministrator)
      .send({ name: 'for the script', userId: keyOnlyUser.body.userId, scopes: ['lock-database'], expiresAt: '2026-07-01T00:00:00Z' })
      .expect(422);
    expect(refused.body.details).toEqual([{ field: 'scopes[0]', rule: 'needs-a-person' }]);
  });
});
