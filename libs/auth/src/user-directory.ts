import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Role, RuleViolation } from '@trialstream/domain';
import { CoalescedReads } from './coalesced-reads';
import { issueApiKey, parseApiKey, secretMatches } from './api-key';
import type { Action } from './policy';
import { Principal } from './principal';
import { NewUser, validateNewUser } from './user-rules';

/** A user as an administrator sees it: never the key hash. */
export interface UserRecord {
  id: string;
  name: string;
  role: Role;
  siteIds: string[];
  /** The public part of the user's token, to tell keys apart in listings; null for a person with a password only. */
  keyId: string | null;
  /** The login name of a person with a password; null for an API-key-only user. */
  username: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface CreatedUser {
  user: UserRecord;
  /** The bearer token; it is not stored and cannot be shown again. */
  token: string;
}

export class UserRejectedError extends Error {
  constructor(readonly violations: RuleViolation[]) {
    super(`user rejected: ${violations.map((v) => `${v.field}: ${v.message}`).join('; ')}`);
    this.name = 'UserRejectedError';
  }
}

interface UserRow {
  id: string;
  name: string;
  role: Role;
  site_ids: string[];
  key_id: string | null;
  key_hash: Buffer;
  username: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

interface ScopedKeyRow {
  id: string;
  name: string;
  key_hash: Buffer;
  user_id: string | null;
  role: Role;
  site_ids: string[];
  scopes: Action[];
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Users are keyed by UUID: anything else names nobody, and is not sent to the database (which would refuse its syntax). */
export const isUserId = (userId: string): boolean => UUID_PATTERN.test(userId);

const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  name: row.name,
  role: row.role,
  siteIds: row.site_ids,
  keyId: row.key_id,
  username: row.username,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/** Issues, checks and revokes API keys in `auth.users`. Every check reads the table, so a revocation holds from the next request. */
export class UserDirectory {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Unrevoked users by key id, read for the requests waiting together (one statement, not one per request). */
  private readonly activeUsersByKeyId = new CoalescedReads<UserRow>(async (keyIds) => {
    const rows: UserRow[] = await this.dataSource.query(`SELECT * FROM auth.users WHERE key_id = ANY($1) AND revoked_at IS NULL`, [keyIds]);
    return new Map(rows.map((row) => [row.key_id!, row]));
  });

  async createUser(input: NewUser): Promise<CreatedUser> {
    const violations = validateNewUser(input);
    if (violations.length > 0) throw new UserRejectedError(violations);
    const { keyId, token, keyHash } = issueApiKey();
    const rows: UserRow[] = await this.dataSource.query(
      `INSERT INTO auth.users (id, name, role, site_ids, key_id, key_hash)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING *`,
      [randomUUID(), input.name.trim(), input.role, [...(input.siteIds ?? [])], keyId, keyHash],
    );
    return { user: toRecord(rows[0]), token };
  }

  /** The principal a bearer token stands for, or null for a malformed, unknown, revoked or wrong token. */
  async authenticate(token: string): Promise<Principal | null> {
    const parsed = parseApiKey(token);
    if (!parsed) return null;
    const row = await this.activeUsersByKeyId.get(parsed.keyId);
    if (!row) return this.authenticateScopedKey(parsed.keyId, parsed.secret);
    if (!secretMatches(parsed.secret, row.key_hash)) return null;
    return { userId: row.id, name: row.name, role: row.role, siteIds: [...row.site_ids] };
  }

  /** A key from `POST /api-keys`: unexpired, unrevoked, and its person (if any) still active. */
  private async authenticateScopedKey(keyId: string, secret: string): Promise<Principal | null> {
    const rows: (ScopedKeyRow & { holder_name: string | null; holder_revoked_at: Date | null; holder_username: string | null })[] =
      await this.dataSource.query(
        `SELECT k.*, u.name AS holder_name, u.revoked_at AS holder_revoked_at, u.username AS holder_username
         FROM auth.api_keys k LEFT JOIN auth.users u ON u.id = k.user_id
         WHERE k.key_id = $1 AND k.revoked_at IS NULL AND k.expires_at > $2`,
        [keyId, this.clock()],
      );
    const row = rows[0];
    if (!row || !secretMatches(secret, row.key_hash) || row.holder_revoked_at !== null) return null;
    return {
      userId: row.user_id ?? `api-key-${row.id}`,
      name: row.holder_name ?? row.name,
      role: row.role,
      siteIds: row.site_ids,
      ...(row.holder_username ? { username: row.holder_username } : {}),
      scopes: row.scopes,
    };
  }

  /** Revokes the user's key at once; true if the user exists (revoking twice keeps the first time). */
  async revoke(userId: string): Promise<boolean> {
    if (!isUserId(userId)) return false;
    const rows: { id: string }[] = await this.dataSource.query(
      // Wrapped in a SELECT because TypeORM returns [rows, count] rather than rows for a bare UPDATE.
      `WITH revoked AS (
         UPDATE auth.users SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id
       )
       SELECT id FROM revoked`,
      [userId],
    );
    return rows.length > 0;
  }

  async list(): Promise<UserRecord[]> {
    const rows: UserRow[] = await this.dataSource.query(`SELECT * FROM auth.users ORDER BY created_at, name`);
    return rows.map(toRecord);
  }
}
