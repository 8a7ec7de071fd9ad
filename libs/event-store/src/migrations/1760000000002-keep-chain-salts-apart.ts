import { MigrationInterface, QueryRunner } from 'typeorm';
import { APPLICATION_ROLE, appendOnlyTriggerSql, ENSURE_APPLICATION_ROLE_SQL, ENSURE_VERIFIER_ROLE_SQL, VERIFIER_ROLE } from '../schema';

/**
 * Chain format 2: every event from here on is hashed with a per-event secret salt (HMAC-SHA256), kept in
 * its own schema. The application role may insert salts but never read them; only the verifying role
 * (the audit service) reads them. Events already stored keep format 1 (plain SHA-256): `chain_formats`
 * records the global position from which format 2 applies, so they keep verifying.
 */
export class KeepChainSaltsApart1760000000002 implements MigrationInterface {
  name = 'KeepChainSaltsApart1760000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS event_audit`);
    await queryRunner.query(`
      CREATE TABLE event_audit.event_salts (
        event_id uuid PRIMARY KEY,
        salt char(64) NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE event_audit.chain_formats (
        format integer PRIMARY KEY,
        from_global_position bigint NOT NULL
      )`);
    // Positions only grow, and no append runs during a migration: every later event gets a higher one.
    await queryRunner.query(`
      INSERT INTO event_audit.chain_formats (format, from_global_position)
      SELECT 2, COALESCE(max(global_position), 0) + 1 FROM event_store.events`);
    for (const table of ['event_salts', 'chain_formats']) {
      for (const statement of appendOnlyTriggerSql('event_audit', table)) await queryRunner.query(statement);
    }

    await queryRunner.query(ENSURE_APPLICATION_ROLE_SQL);
    await queryRunner.query(ENSURE_VERIFIER_ROLE_SQL);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA event_audit FROM PUBLIC`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA event_audit TO ${APPLICATION_ROLE}, ${VERIFIER_ROLE}`);
    // Insert only: the writer hands a salt over and can never read one back.
    await queryRunner.query(`GRANT INSERT ON event_audit.event_salts TO ${APPLICATION_ROLE}`);
    await queryRunner.query(`GRANT SELECT ON event_audit.event_salts, event_audit.chain_formats TO ${VERIFIER_ROLE}`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA event_store TO ${VERIFIER_ROLE}`);
    await queryRunner.query(`GRANT SELECT ON event_store.events, event_store.streams TO ${VERIFIER_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SCHEMA event_audit CASCADE`);
  }
}
