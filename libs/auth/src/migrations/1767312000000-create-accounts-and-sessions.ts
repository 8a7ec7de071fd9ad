import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People log in with a user name and password; machines keep API keys, now with a scope and an expiry.
 * Session ids, activation codes and API keys are stored as SHA-256 hashes only (they are random and
 * long, so a slow hash adds nothing); passwords as argon2id PHC strings. Failed logins are counted by
 * a hash of the user name tried, whether or not it exists, so the lockout cannot tell them apart.
 */
export class CreateAccountsAndSessions1767312000000 implements MigrationInterface {
  name = 'CreateAccountsAndSessions1767312000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE auth.users
        DROP CONSTRAINT users_role_check,
        DROP CONSTRAINT users_site_binding,
        ADD CONSTRAINT users_role_check CHECK (role IN (
          'site_coordinator', 'investigator', 'monitor', 'blinded_statistician', 'unblinded_statistician',
          'safety_board', 'auditor', 'administrator')),
        ADD CONSTRAINT users_site_binding CHECK (
          CASE role
            WHEN 'site_coordinator' THEN cardinality(site_ids) = 1
            WHEN 'investigator' THEN cardinality(site_ids) = 1
            WHEN 'monitor' THEN cardinality(site_ids) >= 1
            ELSE cardinality(site_ids) = 0
          END
        ),
        ALTER COLUMN key_id DROP NOT NULL,
        ALTER COLUMN key_hash DROP NOT NULL,
        ADD COLUMN username text NULL UNIQUE CHECK (username = lower(username)),
        ADD COLUMN password_hash text NULL,
        ADD COLUMN activation_hash bytea NULL CHECK (length(activation_hash) = 32),
        ADD COLUMN activation_expires_at timestamptz NULL,
        ADD CONSTRAINT users_can_authenticate CHECK (key_id IS NOT NULL OR username IS NOT NULL)`);
    await queryRunner.query(`
      CREATE TABLE auth.password_history (
        user_id       uuid        NOT NULL REFERENCES auth.users (id),
        password_hash text        NOT NULL,
        set_at        timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX password_history_user ON auth.password_history (user_id, set_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE auth.sessions (
        id_hash       bytea       PRIMARY KEY CHECK (length(id_hash) = 32),
        user_id       uuid        NOT NULL REFERENCES auth.users (id),
        created_at    timestamptz NOT NULL,
        last_seen_at  timestamptz NOT NULL,
        expires_at    timestamptz NOT NULL,
        last_signed_at timestamptz NULL,
        revoked_at    timestamptz NULL
      )`);
    await queryRunner.query(`CREATE INDEX sessions_user ON auth.sessions (user_id)`);
    await queryRunner.query(`
      CREATE TABLE auth.login_failures (
        username_hash bytea       NOT NULL,
        failed_at     timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX login_failures_by_name ON auth.login_failures (username_hash, failed_at)`);
    await queryRunner.query(`
      CREATE TABLE auth.lockouts (
        username_hash bytea       PRIMARY KEY,
        locked_until  timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE auth.api_keys (
        id          uuid        PRIMARY KEY,
        name        text        NOT NULL CHECK (length(btrim(name)) > 0),
        key_id      text        NOT NULL UNIQUE,
        key_hash    bytea       NOT NULL CHECK (length(key_hash) = 32),
        user_id     uuid        NULL REFERENCES auth.users (id),
        role        text        NOT NULL,
        site_ids    text[]      NOT NULL DEFAULT '{}',
        scopes      text[]      NOT NULL CHECK (cardinality(scopes) >= 1),
        expires_at  timestamptz NOT NULL,
        created_at  timestamptz NOT NULL,
        created_by  text        NOT NULL,
        revoked_at  timestamptz NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['api_keys', 'lockouts', 'login_failures', 'sessions', 'password_history']) {
      await queryRunner.query(`DROP TABLE auth.${table}`);
    }
    await queryRunner.query(`
      ALTER TABLE auth.users
        DROP CONSTRAINT users_can_authenticate,
        DROP COLUMN activation_expires_at, DROP COLUMN activation_hash, DROP COLUMN password_hash, DROP COLUMN username,
        ALTER COLUMN key_hash SET NOT NULL, ALTER COLUMN key_id SET NOT NULL`);
  }
}
