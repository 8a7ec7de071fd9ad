import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Role, RuleViolation } from '@trialstream/domain';
import { issueApiKey, parseApiKey, secretMatches } from './api-key';
import { Principal } from './principal';
import { NewUser, validateNewUser } from './user-rules';

/** A user as an administrator sees it: never the key hash. */
export interface UserRecord {
  id: string;
  name: string;
  role: Role;
  siteIds: string[];
  /** The public part of the user's token, to tell keys apart in listings. */
  keyId: string;
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
  key_id: string;
  key_hash: Buffer;
  created_at: Date;
  revoked_at: Date | null;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  name: row.name,
  role: row.role,
  siteIds: row.site_ids,
  keyId: row.key_id,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/** Issues, checks and revokes API keys in `auth.users`. Every check reads the table, so a revocation holds from the next request. */
export class UserDirectory {
  constructor(private readonly dataSource: DataSource) {}

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
    const rows: UserRow[] = await this.dataSource.query(
      `SELECT * FROM auth.users WHERE key_id = $1 AND revoked_at IS NULL`,
      [parsed.keyId],
    );
    const row = rows[0];
    if (!row || !secretMatches(parsed.secret, row.key_hash)) return null;
    return { userId: row.id, name: row.name, role: row.role, siteIds: row.site_ids };
  }

  /** Revokes the user's key at once; true if the user exists (revoking twice keeps the first time). */
  async revoke(userId: string): Promise<boolean> {
    if (!UUID_PATTERN.test(userId)) return false;
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
