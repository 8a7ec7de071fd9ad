import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { normalizeUsername, PASSWORD_HISTORY_SIZE, PASSWORD_RULE, passwordViolations, usernameViolations } from '@trialstream/domain';
import type { Role } from '@trialstream/domain';
import type { SignatureManifest } from '@trialstream/domain';
import { violation } from '@trialstream/domain';
import { AccountAudit } from './account-audit';
import { AuthError } from './auth-error';
import { AuthSettings, minutes } from './auth-settings';
import { hashPassword, passwordMatches, spendPasswordCheck } from './passwords';
import { Principal } from './principal';
import { activationCodeHash, csrfTokenOf, newActivationCode, newSessionToken, sameHash, sha256, usernameKey } from './secrets';
import { validateNewUser } from './user-rules';
import { isUserId } from './user-directory';

export interface NewAccount {
  username: string;
  name: string;
  role: string;
  siteIds?: readonly string[];
}

export interface SessionUser {
  id: string;
  username: string;
  name: string;
  role: Role;
  siteIds: string[];
}

/** What `POST /auth/login` and `GET /auth/session` answer. The session token itself goes in the cookie only. */
export interface SessionView {
  user: SessionUser;
  csrfToken: string;
  expiresAt: string;
  idleExpiresAt: string;
}

export interface OpenedSession {
  token: string;
  view: SessionView;
}

interface AccountRow {
  id: string;
  username: string | null;
  name: string;
  role: Role;
  site_ids: string[];
  password_hash: string | null;
  activation_hash: Buffer | null;
  activation_expires_at: Date | null;
  revoked_at: Date | null;
}

interface SessionRow extends AccountRow {
  session_created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  last_signed_at: Date | null;
  session_revoked_at: Date | null;
}

/** A session resolved from its cookie, for the guard. */
export interface ResolvedSession {
  principal: Principal;
  view: SessionView;
  idHash: Buffer;
  lastSignedAt: Date | null;
}

const asUser = (row: AccountRow): SessionUser => ({
  id: row.id,
  username: row.username ?? '',
  name: row.name,
  role: row.role,
  siteIds: row.site_ids,
});

const isUniqueViolation = (error: unknown): boolean => (error as { code?: string }).code === '23505';

/**
 * People's accounts: user names and passwords, one-time activation codes, lockout, sessions and the
 * re-authentication behind a signature. Every time comparison uses the injected clock, and every
 * login, failure, lockout, password change, reset and deactivation is an account event in the log.
 */
export class Accounts {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AccountAudit,
    private readonly settings: AuthSettings,
    private readonly clock: () => Date,
  ) {}

  /** Creates a person's account; the activation code is answered once and stored only as a hash. */
  async create(input: NewAccount, by: Principal): Promise<{ userId: string; username: string; activationCode: string }> {
    const username = normalizeUsername(String(input.username ?? ''));
    const violations = [
      ...usernameViolations(username),
      ...validateNewUser({ name: input.name, role: input.role, siteIds: input.siteIds ?? [] }),
    ];
    if (violations.length > 0) throw AuthError.rejected(violations);
    const userId = randomUUID();
    const activationCode = newActivationCode();
    try {
      await this.dataSource.query(
        `INSERT INTO auth.users (id, name, role, site_ids, username, activation_hash, activation_expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          userId,
          input.name.trim(),
          input.role,
          [...(input.siteIds ?? [])],
          username,
          activationCodeHash(activationCode),
          this.activationExpiry(),
          this.clock(),
        ],
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new AuthError(409, 'conflict', `the user name ${username} is taken`, [{ field: 'username', rule: 'unique' }]);
    }
    const role = input.role as Role;
    await this.audit.record(
      { userId, role },
      'AccountCreated',
      { username, name: input.name.trim(), role, siteIds: [...(input.siteIds ?? [])], createdBy: by.userId },
      this.actorOf(by),
    );
    return { userId, username, activationCode };
  }

  /** Exchanges a one-time activation code for a first password; a used or expired code is refused like a wrong one. */
  async activate(usernameInput: string, activationCode: string, password: string): Promise<void> {
    const username = normalizeUsername(usernameInput);
    const row = await this.accountByUsername(username);
    const valid =
      row !== undefined &&
      row.revoked_at === null &&
      row.activation_hash !== null &&
      row.activation_expires_at !== null &&
      row.activation_expires_at > this.clock() &&
      sameHash(row.activation_hash, activationCodeHash(activationCode));
    if (!valid) {
      throw new AuthError(401, 'unauthenticated', 'The user name or activation code is wrong, used or expired', [
        { field: 'activationCode', rule: 'valid-activation-code' },
      ]);
    }
    await this.setPassword(row, password, 'password');
    await this.audit.record(row, 'AccountActivated', { username });
  }

  async login(usernameInput: string, password: string): Promise<OpenedSession> {
    const row = await this.verifyCredentials(usernameInput, password);
    const opened = await this.openSession(row);
    await this.audit.record(row, 'LoginSucceeded', { username: row.username! });
    return opened;
  }

  /**
   * A person acting without a browser session, such as an operator of the admin command (`--as`): the
   * same checks, lockout and audit events as a login, and no session.
   */
  async authenticate(usernameInput: string, password: string): Promise<Principal> {
    const row = await this.verifyCredentials(usernameInput, password);
    await this.audit.record(row, 'LoginSucceeded', { username: row.username! });
    return { userId: row.id, name: row.name, role: row.role, siteIds: row.site_ids, username: row.username! };
  }

  /** The user name and password of an active person, or the lockout or the one answer for every wrong credential. */
  private async verifyCredentials(usernameInput: string, password: string): Promise<AccountRow> {
    const username = normalizeUsername(usernameInput);
    const key = usernameKey(username);
    const row = await this.accountByUsername(username);
    const lockedUntil = await this.lockedUntil(key);
    if (lockedUntil) {
      await this.audit.record(row ?? null, 'LoginFailed', row ? { username, reason: 'locked' } : { reason: 'unknown-user' });
      throw AuthError.lockedOut(lockedUntil, this.clock());
    }
    const usable = row !== undefined && row.password_hash !== null;
    const matches = usable ? await passwordMatches(row.password_hash!, password) : await spendPasswordCheck(password);
    if (!matches || row!.revoked_at !== null) {
      const reason = !row ? 'unknown-user' : row.revoked_at !== null ? 'deactivated' : !usable ? 'not-activated' : 'wrong-password';
      await this.audit.record(row ?? null, 'LoginFailed', row ? { username, reason } : { reason });
      await this.countFailure(key, row, username);
      throw AuthError.badCredentials();
    }
    await this.dataSource.query(`DELETE FROM auth.login_failures WHERE username_hash = $1`, [key]);
    return row!;
  }

  /** The session behind a cookie, touched (its idle clock restarts), or null when unknown, revoked or expired. */
  async resolveSession(token: string): Promise<ResolvedSession | null> {
    const idHash = sha256(token);
    const now = this.clock();
    const rows: SessionRow[] = await this.dataSource.query(
      `SELECT u.*, s.created_at AS session_created_at, s.last_seen_at, s.expires_at, s.last_signed_at, s.revoked_at AS session_revoked_at
       FROM auth.sessions s JOIN auth.users u ON u.id = s.user_id WHERE s.id_hash = $1`,
      [idHash],
    );
    const row = rows[0];
    if (!row || row.session_revoked_at !== null || row.revoked_at !== null) return null;
    if (now >= row.expires_at || now.getTime() - row.last_seen_at.getTime() >= minutes(this.settings.sessionIdleMinutes)) {
      await this.dataSource.query(`UPDATE auth.sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL`, [idHash, now]);
      return null;
    }
    await this.dataSource.query(`UPDATE auth.sessions SET last_seen_at = $2 WHERE id_hash = $1`, [idHash, now]);
    return {
      principal: { userId: row.id, name: row.name, role: row.role, siteIds: row.site_ids, username: row.username ?? undefined },
      view: this.viewOf(row, token, row.expires_at, now),
      idHash,
      lastSignedAt: row.last_signed_at,
    };
  }

  async logout(token: string, principal: Principal): Promise<void> {
    await this.dataSource.query(`UPDATE auth.sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL`, [
      sha256(token),
      this.clock(),
    ]);
    await this.audit.record(principal, 'LoggedOut', { username: principal.username ?? '' });
  }

  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const row = await this.accountById(principal.userId);
    if (!row || row.password_hash === null || !row.username) {
      throw new AuthError(422, 'rule_violation', 'this account has no password to change', [
        { field: 'currentPassword', rule: 'password-account' },
      ]);
    }
    await this.assertNotLocked(row.username);
    if (!(await passwordMatches(row.password_hash, currentPassword))) {
      await this.audit.record(row, 'LoginFailed', { username: row.username, reason: 'wrong-password' });
      await this.countFailure(usernameKey(row.username), row, row.username);
      throw AuthError.badCredentials('currentPassword');
    }
    await this.setPassword(row, newPassword, 'newPassword');
    await this.audit.record(row, 'PasswordChanged', { username: row.username });
  }

  /** An administrator's reset: the password stops working, sessions end, a lockout ends, a new activation code is answered once. */
  async resetPassword(userId: string, by: Principal): Promise<{ userId: string; username: string; activationCode: string }> {
    const row = await this.personAccount(userId);
    const activationCode = newActivationCode();
    await this.dataSource.query(
      `UPDATE auth.users SET password_hash = NULL, activation_hash = $2, activation_expires_at = $3 WHERE id = $1`,
      [row.id, activationCodeHash(activationCode), this.activationExpiry()],
    );
    await this.endSessions(row.id);
    await this.dataSource.query(`DELETE FROM auth.lockouts WHERE username_hash = $1`, [usernameKey(row.username!)]);
    await this.dataSource.query(`DELETE FROM auth.login_failures WHERE username_hash = $1`, [usernameKey(row.username!)]);
    await this.audit.record(row, 'PasswordReset', { username: row.username!, resetBy: by.userId }, this.actorOf(by));
    return { userId: row.id, username: row.username!, activationCode };
  }

  /** Deactivation holds from the next request: sessions and API keys are checked against it on every one. */
  async deactivate(userId: string, by: Principal): Promise<void> {
    const rows: AccountRow[] = isUserId(userId) ? await this.dataSource.query(`SELECT * FROM auth.users WHERE id = $1`, [userId]) : [];
    const row = rows[0];
    if (!row) throw new AuthError(404, 'not_found', `user ${userId} was not found`, [{ field: 'userId', rule: 'exists' }]);
    await this.dataSource.query(`UPDATE auth.users SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1`, [userId, this.clock()]);
    await this.endSessions(userId);
    await this.audit.record(row, 'AccountDeactivated', { username: row.username ?? '', deactivatedBy: by.userId }, this.actorOf(by));
  }

  /**
   * Re-authenticates the signer of a signature or a re-authenticated decision (§11.200(a)(1)): the
   * password always; the user name too, unless this session signed within the continuity window.
   * A wrong one is refused with 401, recorded, and counts toward the lockout.
   */
  async reauthenticate(
    principal: Principal,
    credentials: { username?: string; password: string },
    resource: string,
    session?: { idHash: Buffer; lastSignedAt: Date | null },
  ): Promise<void> {
    const row = await this.accountById(principal.userId);
    if (!row || !row.username || row.password_hash === null) throw AuthError.signerWithoutPassword();
    const now = this.clock();
    const continuous =
      session?.lastSignedAt != null && now.getTime() - session.lastSignedAt.getTime() <= minutes(this.settings.signatureContinuityMinutes);
    if (!continuous && (credentials.username === undefined || credentials.username === '')) {
      throw AuthError.rejected([
        violation('username', 'required-for-first-signature', 'the first signature of a session takes the user name and the password'),
      ]);
    }
    await this.assertNotLocked(row.username);
    const wrongName =
      credentials.username !== undefined && credentials.username !== '' && normalizeUsername(credentials.username) !== row.username;
    const matches = await passwordMatches(row.password_hash, credentials.password);
    if (wrongName || !matches) {
      await this.audit.record(row, 'SignatureAuthenticationFailed', { resource, reason: wrongName ? 'wrong-username' : 'wrong-password' });
      await this.countFailure(usernameKey(row.username), row, row.username);
      throw AuthError.badCredentials(wrongName ? 'username' : 'password');
    }
    if (session) await this.dataSource.query(`UPDATE auth.sessions SET last_signed_at = $2 WHERE id_hash = $1`, [session.idHash, now]);
  }

  /**
   * The signature a re-authenticated decision (freeze, lock, unblinding, code-break) carries: the
   * decider re-enters the password (and the user name, as for any signature) now. A caller without a
   * password, such as an API-key-only user, is refused before anything is decided.
   */
  async signatureFor(
    principal: Principal,
    credentials: { username?: string; password?: string },
    resource: string,
    session?: { idHash: Buffer; lastSignedAt: Date | null },
  ): Promise<SignatureManifest> {
    const row = await this.accountById(principal.userId);
    if (!row || !row.username || row.password_hash === null) throw AuthError.signerWithoutPassword();
    if (typeof credentials.password !== 'string' || credentials.password === '') {
      throw AuthError.rejected([violation('password', 'required', 'this decision is signed: give your password')]);
    }
    await this.reauthenticate(principal, { username: credentials.username, password: credentials.password }, resource, session);
    return {
      signer: { userId: principal.userId, username: row.username, printedName: principal.name, role: principal.role },
      meaning: 'approval',
      signedAt: this.clock().toISOString(),
    };
  }

  /** The account's user name (for printing with a signature). */
  async usernameOf(userId: string): Promise<string | undefined> {
    return (await this.accountById(userId))?.username ?? undefined;
  }

  private async openSession(row: AccountRow): Promise<OpenedSession> {
    const token = newSessionToken();
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + this.settings.sessionAbsoluteHours * 3_600_000);
    await this.dataSource.query(
      `INSERT INTO auth.sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)`,
      [sha256(token), row.id, now, expiresAt],
    );
    return { token, view: this.viewOf(row, token, expiresAt, now) };
  }

  private viewOf(row: AccountRow, token: string, expiresAt: Date, lastSeen: Date): SessionView {
    const idle = new Date(Math.min(expiresAt.getTime(), lastSeen.getTime() + minutes(this.settings.sessionIdleMinutes)));
    return { user: asUser(row), csrfToken: csrfTokenOf(token), expiresAt: expiresAt.toISOString(), idleExpiresAt: idle.toISOString() };
  }

  /** Checks the policy and the last passwords, then stores the new hash and keeps it in the history. */
  private async setPassword(row: AccountRow, password: string, field: string): Promise<void> {
    const violations = passwordViolations(String(password ?? ''), row.username ?? '', field);
    if (violations.length > 0) throw AuthError.rejected(violations);
    const history: { password_hash: string }[] = await this.dataSource.query(
      `SELECT password_hash FROM auth.password_history WHERE user_id = $1 ORDER BY set_at DESC LIMIT $2`,
      [row.id, PASSWORD_HISTORY_SIZE],
    );
    for (const { password_hash } of history) {
      if (await passwordMatches(password_hash, password)) {
        throw AuthError.rejected([
          violation(field, PASSWORD_RULE.notRecentlyUsed, `the password must differ from the last ${PASSWORD_HISTORY_SIZE}`),
        ]);
      }
    }
    const hash = await hashPassword(password);
    await this.dataSource.query(
      `UPDATE auth.users SET password_hash = $2, activation_hash = NULL, activation_expires_at = NULL WHERE id = $1`,
      [row.id, hash],
    );
    await this.dataSource.query(`INSERT INTO auth.password_history (user_id, password_hash, set_at) VALUES ($1, $2, $3)`, [
      row.id,
      hash,
      this.clock(),
    ]);
  }

  private async countFailure(key: Buffer, row: AccountRow | undefined, username: string): Promise<void> {
    const now = this.clock();
    const since = new Date(now.getTime() - minutes(this.settings.lockoutWindowMinutes));
    await this.dataSource.query(`INSERT INTO auth.login_failures (username_hash, failed_at) VALUES ($1, $2)`, [key, now]);
    const [{ count }]: { count: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM auth.login_failures WHERE username_hash = $1 AND failed_at > $2`,
      [key, since],
    );
    if (count < this.settings.lockoutAttempts) return;
    const until = new Date(now.getTime() + minutes(this.settings.lockoutMinutes));
    await this.dataSource.query(
      `INSERT INTO auth.lockouts (username_hash, locked_until) VALUES ($1, $2)
       ON CONFLICT (username_hash) DO UPDATE SET locked_until = excluded.locked_until`,
      [key, until],
    );
    await this.dataSource.query(`DELETE FROM auth.login_failures WHERE username_hash = $1`, [key]);
    if (row) await this.audit.record(row, 'AccountLockedOut', { username, failedAttempts: count, until: until.toISOString() });
    throw AuthError.lockedOut(until, now);
  }

  private async lockedUntil(key: Buffer): Promise<Date | undefined> {
    const rows: { locked_until: Date }[] = await this.dataSource.query(
      `SELECT locked_until FROM auth.lockouts WHERE username_hash = $1 AND locked_until > $2`,
      [key, this.clock()],
    );
    return rows[0]?.locked_until;
  }

  private async assertNotLocked(username: string): Promise<void> {
    const until = await this.lockedUntil(usernameKey(username));
    if (until) throw AuthError.lockedOut(until, this.clock());
  }

  private async endSessions(userId: string): Promise<void> {
    await this.dataSource.query(`UPDATE auth.sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [
      userId,
      this.clock(),
    ]);
  }

  private activationExpiry(): Date {
    return new Date(this.clock().getTime() + this.settings.activationCodeHours * 3_600_000);
  }

  private actorOf(principal: Principal) {
    return { userId: principal.userId, role: principal.role };
  }

  private async accountByUsername(username: string): Promise<AccountRow | undefined> {
    if (username === '') return undefined;
    const rows: AccountRow[] = await this.dataSource.query(`SELECT * FROM auth.users WHERE username = $1`, [username]);
    return rows[0];
  }

  private async accountById(userId: string): Promise<AccountRow | undefined> {
    if (!isUserId(userId)) return undefined;
    const rows: AccountRow[] = await this.dataSource.query(`SELECT * FROM auth.users WHERE id = $1 AND revoked_at IS NULL`, [userId]);
    return rows[0];
  }

  private async personAccount(userId: string): Promise<AccountRow> {
    const row = await this.accountById(userId);
    if (!row) throw new AuthError(404, 'not_found', `user ${userId} was not found`, [{ field: 'userId', rule: 'exists' }]);
    if (!row.username) {
      throw new AuthError(422, 'rule_violation', 'this user has an API key and no user name: there is no password to reset', [
        { field: 'userId', rule: 'password-account' },
      ]);
    }
    return row;
  }
}
