import { UserDirectory, UserRejectedError } from '@trialstream/auth';
import { AuthTestDatabase, aNewUser, openAuthTestDatabase } from './auth-test-database';

describe('UserDirectory on PostgreSQL', () => {
  let db: AuthTestDatabase;
  let users: UserDirectory;

  beforeAll(async () => {
    db = await openAuthTestDatabase();
    users = new UserDirectory(db.dataSource);
  });
  afterAll(() => db?.close());

  const tamper = (token: string): string => token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');

  it('authenticates an issued token as the user it was issued to', async () => {
    const { user, token } = await users.createUser(aNewUser({ name: 'Alice', role: 'site_coordinator', siteIds: ['S01'] }));
    expect(await users.authenticate(token)).toEqual({ userId: user.id, name: 'Alice', role: 'site_coordinator', siteIds: ['S01'] });
  });

  it('tells two users apart by their tokens', async () => {
    const monitor = await users.createUser(aNewUser({ role: 'monitor', siteIds: ['S01', 'S02'] }));
    const auditor = await users.createUser(aNewUser({ role: 'auditor' }));
    expect(await users.authenticate(monitor.token)).toMatchObject({ userId: monitor.user.id, role: 'monitor', siteIds: ['S01', 'S02'] });
    expect(await users.authenticate(auditor.token)).toMatchObject({ userId: auditor.user.id, role: 'auditor', siteIds: [] });
  });

  it('refuses a token whose secret was tampered with', async () => {
    const { token } = await users.createUser(aNewUser());
    expect(await users.authenticate(tamper(token))).toBeNull();
  });

  it('refuses a well-formed token with an unknown key id', async () => {
    const { token } = await users.createUser(aNewUser());
    const unknownKeyId = token.replace(/^tsk_[0-9a-f]{12}_/, 'tsk_000000000000_');
    expect(await users.authenticate(unknownKeyId)).toBeNull();
  });

  it('refuses malformed tokens', async () => {
    for (const token of ['', 'tsk_', 'Bearer tsk_abc', "tsk_0123456789ab_' OR 1=1 --"]) {
      expect(await users.authenticate(token)).toBeNull();
    }
  });

  it('refuses a revoked user from the next request on', async () => {
    const { user, token } = await users.createUser(aNewUser());
    expect(await users.authenticate(token)).not.toBeNull();
    expect(await users.revoke(user.id)).toBe(true);
    expect(await users.authenticate(token)).toBeNull();
  });

  it('keeps the first revocation time when a user is revoked twice', async () => {
    const { user } = await users.createUser(aNewUser());
    await users.revoke(user.id);
    const first = (await users.list()).find((u) => u.id === user.id)!.revokedAt;
    expect(await users.revoke(user.id)).toBe(true);
    expect((await users.list()).find((u) => u.id === user.id)!.revokedAt).toEqual(first);
  });

  it('reports revoking an unknown user', async () => {
    expect(await users.revoke('00000000-0000-4000-8000-000000000000')).toBe(false);
    expect(await users.revoke('not-a-uuid')).toBe(false);
  });

  it.each([
    ['two sites', ['S01', 'S02']],
    ['no site', []],
  ])('refuses a coordinator with %s', async (_what, siteIds) => {
    const before = (await users.list()).length;
    await expect(users.createUser(aNewUser({ role: 'site_coordinator', siteIds }))).rejects.toThrow(UserRejectedError);
    expect(await users.list()).toHaveLength(before);
  });

  it('refuses a monitor without sites and an unknown role', async () => {
    await expect(users.createUser(aNewUser({ role: 'monitor', siteIds: [] }))).rejects.toMatchObject({
      violations: [expect.objectContaining({ field: 'siteIds', rule: 'at-least-one-site' })],
    });
    await expect(users.createUser(aNewUser({ role: 'superuser', siteIds: [] }))).rejects.toMatchObject({
      violations: [expect.objectContaining({ field: 'role', rule: 'one-of' })],
    });
  });

  it('stores a hash of the secret, never the token or the secret', async () => {
    const { user, token } = await users.createUser(aNewUser());
    const secret = token.split('_').slice(2).join('_');
    const [row] = await db.dataSource.query(`SELECT key_id, key_hash, to_jsonb(u)::text AS whole_row FROM auth.users u WHERE id = $1`, [
      user.id,
    ]);
    expect(token).toContain(row.key_id);
    expect(row.key_hash).toHaveLength(32);
    expect(row.whole_row).not.toContain(secret);
    expect(Buffer.from(row.key_hash).toString('base64url')).not.toBe(secret);
  });

  it('lets the database itself refuse a coordinator bound to two sites', async () => {
    const { user } = await users.createUser(aNewUser({ role: 'site_coordinator', siteIds: ['S01'] }));
    await expect(db.dataSource.query(`UPDATE auth.users SET site_ids = ARRAY['S01','S02'] WHERE id = $1`, [user.id])).rejects.toThrow(
      /users_site_binding/,
    );
  });

  it('lists users with their sites and status, without key material', async () => {
    const { user } = await users.createUser(aNewUser({ name: 'Listed Monitor', role: 'monitor', siteIds: ['S04'] }));
    const listed = (await users.list()).find((u) => u.id === user.id);
    expect(listed).toEqual({
      id: user.id,
      name: 'Listed Monitor',
      role: 'monitor',
      siteIds: ['S04'],
      keyId: user.keyId,
      username: null,
      createdAt: expect.any(Date),
      revokedAt: null,
    });
  });
});
