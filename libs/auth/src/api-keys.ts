import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Role } from '@trialstream/domain';
import { RuleViolation, violation } from '@trialstream/domain';
import { AccountAudit } from './account-audit';
import { issueApiKey } from './api-key';
import { AuthError } from './auth-error';
import { Action, isAction, PERMISSIONS } from './policy';
import { isRole, Principal } from './principal';
import { validateNewUser } from './user-rules';

/** Decisions a person signs with a password (21 CFR Part 11): a machine's key never takes them. */
const SIGNED_ACTIONS: readonly Action[] = ['sign-record', 'lock-database', 'unblind', 'code-break'];

/** A machine key can live at most this long: keys are rotated, not kept forever. */
export const API_KEY_MAX_DAYS = 366;

export interface NewApiKey {
  name: string;
  /** A person's key acts as that person (and stops when the person is deactivated)... */
  userId?: string;
  /** ...or a machine's key acts in a role, e.g. a laboratory system posting results for its site. */
  role?: string;
  siteIds?: string[];
  scopes: string[];
  expiresAt: string;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  keyId: string;
  userId: string | null;
  role: Role;
  siteIds: string[];
  scopes: Action[];
  expiresAt: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  key_id: string;
  user_id: string | null;
  role: Role;
  site_ids: string[];
  scopes: Action[];
  expires_at: Date;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
}

const toRecord = (row: ApiKeyRow): ApiKeyRecord => ({
  id: row.id,
  name: row.name,
  keyId: row.key_id,
  userId: row.user_id,
  role: row.role,
  siteIds: row.site_ids,
  scopes: row.scopes,
  expiresAt: row.expires_at.toISOString(),
  createdAt: row.created_at.toISOString(),
  createdBy: row.created_by,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

/** Scoped, expiring API keys for machine clients, issued, listed and revoked by administrators. */
export class ApiKeys {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AccountAudit,
    private readonly clock: () => Date,
  ) {}

  async issue(input: NewApiKey, by: Principal): Promise<{ apiKey: ApiKeyRecord; token: string }> {
    const holder = await this.holderOf(input);
    const now = this.clock();
    const violations: RuleViolation[] = [...holder.violations];
    if (typeof input.name !== 'string' || input.name.trim() === '')
      violations.push(violation('name', 'required', 'name must not be empty'));
    const expiresAt = new Date(input.expiresAt);
    if (Number.isNaN(expiresAt.getTime()) || expiresAt <= now) {
      violations.push(violation('expiresAt', 'in-the-future', 'expiresAt must be a date-time in the future'));
    } else if (expiresAt.getTime() - now.getTime() > API_KEY_MAX_DAYS * 86_400_000) {
      violations.push(violation('expiresAt', 'at-most-a-year', `an API key expires within ${API_KEY_MAX_DAYS} days`));
    }
    input.scopes.forEach((scope, index) => {
      if (!isAction(scope)) violations.push(violation(`scopes[${index}]`, 'one-of', `${scope} is not an action`));
      else if (holder.role && !PERMISSIONS[scope].includes(holder.role)) {
        violations.push(violation(`scopes[${index}]`, 'within-role', `the ${holder.role} role does not permit ${scope}`));
      } else if (!holder.person && SIGNED_ACTIONS.includes(scope)) {
        violations.push(
          violation(`scopes[${index}]`, 'needs-a-person', `${scope} is signed by a person's password: a machine key cannot take it`),
        );
      }
    });
    if (violations.length > 0) throw AuthError.rejected(violations);

    const { keyId, token, keyHash } = issueApiKey();
    const rows: ApiKeyRow[] = await this.dataSource.query(
      `INSERT INTO auth.api_keys (id, name, key_id, key_hash, user_id, role, site_ids, scopes, expires_at, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
      [
        randomUUID(),
        input.name.trim(),
        keyId,
        keyHash,
        input.userId ?? null,
        holder.role,
        holder.siteIds,
        [...new Set(input.scopes)],
        expiresAt,
        now,
        by.userId,
      ],
    );
    const apiKey = toRecord(rows[0]);
    await this.audit.record(by, 'ApiKeyIssued', {
      apiKeyId: apiKey.id,
      name: apiKey.name,
      ...(apiKey.userId ? { userId: apiKey.userId } : {}),
      role: apiKey.role,
      siteIds: apiKey.siteIds,
      scopes: apiKey.scopes,
      expiresAt: apiKey.expiresAt,
      issuedBy: by.userId,
    });
    return { apiKey, token };
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows: ApiKeyRow[] = await this.dataSource.query(`SELECT * FROM auth.api_keys ORDER BY created_at, name`);
    return rows.map(toRecord);
  }

  async revoke(id: string, by: Principal): Promise<void> {
    const rows: { id: string }[] = /^[0-9a-f-]{36}$/i.test(id)
      ? await this.dataSource.query(
          `WITH revoked AS (UPDATE auth.api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING id) SELECT id FROM revoked`,
          [id, this.clock()],
        )
      : [];
    if (rows.length === 0) throw new AuthError(404, 'not_found', `API key ${id} was not found`, [{ field: 'id', rule: 'exists' }]);
    await this.audit.record(by, 'ApiKeyRevoked', { apiKeyId: id, revokedBy: by.userId });
  }

  /** Whose key it is; `person` when the holder has a user name (and so a password to sign with). */
  private async holderOf(input: NewApiKey): Promise<{ role?: Role; siteIds: string[]; person: boolean; violations: RuleViolation[] }> {
    if (input.userId !== undefined) {
      if (input.role !== undefined || input.siteIds !== undefined) {
        return {
          siteIds: [],
          person: false,
          violations: [
            violation('userId', 'user-or-role', "a person's key takes the person's role and sites: give userId or role, not both"),
          ],
        };
      }
      const rows: { role: Role; site_ids: string[]; username: string | null }[] = /^[0-9a-f-]{36}$/i.test(input.userId)
        ? await this.dataSource.query(`SELECT role, site_ids, username FROM auth.users WHERE id = $1 AND revoked_at IS NULL`, [
            input.userId,
          ])
        : [];
      if (!rows[0]) return { siteIds: [], person: false, violations: [violation('userId', 'exists', `no active user ${input.userId}`)] };
      return { role: rows[0].role, siteIds: rows[0].site_ids, person: rows[0].username !== null, violations: [] };
    }
    const siteIds = input.siteIds ?? [];
    const violations = validateNewUser({ name: input.name ?? 'key', role: String(input.role), siteIds });
    return { role: isRole(input.role) ? input.role : undefined, siteIds, person: false, violations };
  }
}
