import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { AccountAudit, Accounts, UserDirectory } from '@trialstream/auth';
import { loadConfig } from '@trialstream/config';
import { upcastStoredEvent } from '@trialstream/domain';
import { PostgresEventStore } from '@trialstream/event-store';
import { AuthTestDatabase, openAuthTestDatabase } from './auth-test-database';

const repoRoot = resolve(__dirname, '../..');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('admin CLI', () => {
  let db: AuthTestDatabase;

  beforeAll(async () => {
    db = await openAuthTestDatabase();
  });
  afterAll(() => db?.close());

  /** Runs the admin command; `input` lines are what the operator types (codes, passwords), piped on standard input. */
  function adminWithInput(input: string[], ...args: string[]): Promise<CliResult> {
    const command = ['ts-node', '--transpile-only', '-r', 'tsconfig-paths/register', 'apps/admin/src/cli.ts', ...args];
    const child = spawn('npx', command, { cwd: repoRoot, env: { ...process.env, DATABASE_URL: db.database.url } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(input.map((line) => `${line}\n`).join(''));
    return new Promise((resolvePromise, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    });
  }

  const admin = (...args: string[]) => adminWithInput([], ...args);

  const printed = (stdout: string, label: string): string => new RegExp(`^\\s*${label}:\\s*(\\S.*)$`, 'm').exec(stdout)?.[1] ?? '';

  it('creates a user and prints a token that authenticates as that user', async () => {
    const result = await admin('create-user', '--name', 'alice', '--role', 'site_coordinator', '--site', 'S01');

    expect(result).toMatchObject({ code: 0 });
    const userId = /Created user (\S+)/.exec(result.stdout)?.[1];
    expect(printed(result.stdout, 'role')).toBe('site_coordinator');
    expect(printed(result.stdout, 'sites')).toBe('S01');
    const principal = await new UserDirectory(db.dataSource).authenticate(printed(result.stdout, 'token'));
    expect(principal).toEqual({ userId, name: 'alice', role: 'site_coordinator', siteIds: ['S01'] });
  });

  it('activates a site as an event in the store, attributed to the operator, and refuses a second activation', async () => {
    const result = await admin('create-site', '--id', 'S07', '--name', 'Kantonsspital', '--country', 'CH', '--date', '2026-01-15');
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/Activated site S07 \(Kantonsspital\): event [0-9a-f-]{36}/);
    const [event] = await db.dataSource.query(
      `SELECT type, site_id, actor_role, actor_id, occurred_at, data FROM event_store.events WHERE stream_id = 'site-S07'`,
    );
    expect(event).toMatchObject({ type: 'SiteActivated', site_id: 'S07', actor_role: 'administrator', occurred_at: '2026-01-15' });
    expect(event.actor_id).toMatch(/^cli:/);
    expect(event.data).toMatchObject({ siteId: 'S07', name: 'Kantonsspital', country: 'CH' });

    const again = await admin('create-site', '--id', 'S07', '--name', 'Kantonsspital');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already');
  });

  it('assigns a monitor every site given with --site', async () => {
    const result = await admin('create-user', '--name', 'mona', '--role', 'monitor', '--site', 'S01', '--site', 'S02');
    expect(result.code).toBe(0);
    const principal = await new UserDirectory(db.dataSource).authenticate(printed(result.stdout, 'token'));
    expect(principal).toMatchObject({ role: 'monitor', siteIds: ['S01', 'S02'] });
  });

  it('refuses an unknown role with the list of roles and a non-zero exit', async () => {
    const result = await admin('create-user', '--name', 'eve', '--role', 'superuser');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--role: role must be one of site_coordinator, investigator, monitor');
    expect(result.stdout).not.toContain('token');
  });

  it('refuses a coordinator without a site', async () => {
    const result = await admin('create-user', '--name', 'bob', '--role', 'site_coordinator');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--site: a site_coordinator works at exactly one site (got 0)');
  });

  it('lists users and revokes one so that its token stops working', async () => {
    const created = await admin('create-user', '--name', 'carol', '--role', 'auditor');
    const userId = /Created user (\S+)/.exec(created.stdout)![1];
    const token = printed(created.stdout, 'token');

    const listed = await admin('list-users');
    expect(listed.stdout).toMatch(new RegExp(`^${userId}\\tauditor\\t\\(all\\)\\t[0-9a-f]{12}\\tactive\\tcarol$`, 'm'));
    expect(listed.stdout).not.toContain(token.split('_').slice(2).join('_'));

    const revoked = await admin('revoke-user', '--id', userId);
    expect(revoked.code).toBe(0);
    expect(await new UserDirectory(db.dataSource).authenticate(token)).toBeNull();
    expect((await admin('list-users')).stdout).toMatch(new RegExp(`^${userId}\\t.*\\trevoked `, 'm'));
  });

  describe('people, and acting as one', () => {
    const PASSWORD = 'a long passphrase for ada';
    let ada: { userId: string; activationCode: string };
    let boActivationCode: string;

    const eventsOf = (streamId: string) =>
      db.dataSource.query(`SELECT type, actor_id, actor_role, data FROM event_store.events WHERE stream_id = $1 ORDER BY stream_version`, [
        streamId,
      ]);

    it('creates a person with --username and prints a one-time activation code instead of a key', async () => {
      const result = await admin('create-user', '--username', 'ada.admin', '--name', 'Ada Lovelace', '--role', 'administrator');
      expect(result).toMatchObject({ code: 0 });
      ada = { userId: /Created person (\S+)/.exec(result.stdout)![1], activationCode: printed(result.stdout, 'activation code') };
      expect(printed(result.stdout, 'username')).toBe('ada.admin');
      expect(ada.activationCode).toMatch(/\S{8,}/);
      expect(result.stdout).not.toMatch(/token:/);
      const [created] = await eventsOf(`account-${ada.userId}`);
      expect(created).toMatchObject({ type: 'AccountCreated', actor_id: expect.stringMatching(/^cli:/), data: { username: 'ada.admin' } });
      expect(JSON.stringify(created)).not.toContain(ada.activationCode);
    });

    it("activates the person's password from the code, both typed on standard input; the code works once", async () => {
      const tooShort = await adminWithInput([ada.activationCode, 'short'], 'activate', '--username', 'ada.admin');
      expect(tooShort.code).toBe(1);
      expect(tooShort.stderr).toContain('--password: min-length');
      const activated = await adminWithInput([ada.activationCode, PASSWORD], 'activate', '--username', 'ada.admin');
      expect(activated).toMatchObject({ code: 0 });
      expect(activated.stdout).toContain('Activated ada.admin');
      expect(activated.stdout + activated.stderr).not.toContain(PASSWORD);
      const again = await adminWithInput([ada.activationCode, 'another long passphrase'], 'activate', '--username', 'ada.admin');
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('valid-activation-code');
    });

    it('acts as the person named by --as once their password checks out: the event names them', async () => {
      const result = await adminWithInput([PASSWORD], 'create-site', '--id', 'S08', '--name', 'Inselspital', '--as', 'ada.admin');
      expect(result).toMatchObject({ code: 0 });
      const [event] = await eventsOf('site-S08');
      expect(event).toMatchObject({ type: 'SiteActivated', actor_id: ada.userId, actor_role: 'administrator' });

      const created = await adminWithInput(
        [PASSWORD],
        'create-user',
        '--username',
        'bo.monitor',
        '--name',
        'Bo',
        '--role',
        'monitor',
        '--site',
        'S08',
        '--as',
        'ada.admin',
      );
      expect(created.code).toBe(0);
      const bo = /Created person (\S+)/.exec(created.stdout)![1];
      boActivationCode = printed(created.stdout, 'activation code');
      expect((await eventsOf(`account-${bo}`))[0]).toMatchObject({
        type: 'AccountCreated',
        actor_id: ada.userId,
        data: { createdBy: ada.userId },
      });
      expect(await eventsOf(`account-${ada.userId}`)).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'LoginSucceeded', data: { username: 'ada.admin' } })]),
      );
    });

    it('refuses --as with a wrong password, or for a person who is no administrator, and does nothing', async () => {
      const wrong = await adminWithInput(
        ['not the password at all'],
        'create-site',
        '--id',
        'S09',
        '--name',
        'Nowhere',
        '--as',
        'ada.admin',
      );
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('--as ada.admin: The user name or password is wrong');
      const unknown = await adminWithInput([PASSWORD], 'create-site', '--id', 'S09', '--name', 'Nowhere', '--as', 'nobody.here');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('--as nobody.here: The user name or password is wrong');
      const none = await admin('create-site', '--id', 'S09', '--name', 'Nowhere', '--as', 'ada.admin');
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('nothing on standard input');
      // a monitor with a password is a person, but the admin command acts only as an administrator
      const clock = () => new Date();
      const store = new PostgresEventStore(db.dataSource, { upcast: upcastStoredEvent });
      await new Accounts(db.dataSource, new AccountAudit(store, clock), loadConfig({}).auth, clock).activate(
        'bo.monitor',
        boActivationCode,
        'the monitor has a passphrase',
      );
      const monitor = await adminWithInput(
        ['the monitor has a passphrase'],
        'create-site',
        '--id',
        'S09',
        '--name',
        'Nowhere',
        '--as',
        'bo.monitor',
      );
      expect(monitor.code).toBe(1);
      expect(monitor.stderr).toContain('bo.monitor is a monitor; the admin command acts only as an administrator');
      expect(await eventsOf('site-S09')).toEqual([]);
      expect((await eventsOf(`account-${ada.userId}`)).filter((e: { type: string }) => e.type === 'LoginFailed')).toEqual([
        expect.objectContaining({ data: { username: 'ada.admin', reason: 'wrong-password' } }),
      ]);
    });
  });

  it('fails for an unknown command or user id', async () => {
    expect((await admin('launch-rocket')).code).toBe(2);
    const unknownUser = await admin('revoke-user', '--id', '00000000-0000-4000-8000-000000000000');
    expect(unknownUser.code).toBe(1);
    expect(unknownUser.stderr).toContain('No user with id');
  });
});
