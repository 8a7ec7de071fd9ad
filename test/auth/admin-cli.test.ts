import { UserDirectory } from '@trialstream/auth';
import { CliResult, runCli } from '../support/cli';
import { AuthTestDatabase, openAuthTestDatabase } from './auth-test-database';

describe('admin CLI', () => {
  let db: AuthTestDatabase;

  beforeAll(async () => {
    db = await openAuthTestDatabase();
  });
  afterAll(() => db?.close());

  const admin = (...args: string[]): Promise<CliResult> =>
    runCli('apps/admin/src/cli.ts', args, { ...process.env, DATABASE_URL: db.database.url });

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

  it('fails for an unknown command or user id', async () => {
    expect((await admin('launch-rocket')).code).toBe(2);
    const unknownUser = await admin('revoke-user', '--id', '00000000-0000-4000-8000-000000000000');
    expect(unknownUser.code).toBe(1);
    expect(unknownUser.stderr).toContain('No user with id');
  });
});
