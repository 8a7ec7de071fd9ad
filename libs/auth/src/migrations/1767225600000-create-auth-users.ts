import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per API key holder. The site rules are repeated as a CHECK so that no path around
 * `UserDirectory` (a manual INSERT, a future tool) can create a coordinator bound to two sites.
 * The role list is written out, not generated, so that this migration never changes once applied.
 */
export class CreateAuthUsers1767225600000 implements MigrationInterface {
  name = 'CreateAuthUsers1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS auth`);
    await queryRunner.query(`
      CREATE TABLE auth.users (
        id          uuid        PRIMARY KEY,
        name        text        NOT NULL CHECK (length(btrim(name)) > 0),
        role        text        NOT NULL CHECK (role IN (
                      'site_coordinator', 'monitor', 'blinded_statistician', 'unblinded_statistician',
                      'safety_board', 'auditor', 'administrator')),
        site_ids    text[]      NOT NULL DEFAULT '{}',
        key_id      text        NOT NULL UNIQUE,
        key_hash    bytea       NOT NULL CHECK (length(key_hash) = 32),
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz NULL,
        CONSTRAINT users_site_binding CHECK (
          CASE role
            WHEN 'site_coordinator' THEN cardinality(site_ids) = 1
            WHEN 'monitor' THEN cardinality(site_ids) >= 1
            ELSE cardinality(site_ids) = 0
          END
        )
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE auth.users`);
    await queryRunner.query(`DROP SCHEMA IF EXISTS auth`);
  }
}
