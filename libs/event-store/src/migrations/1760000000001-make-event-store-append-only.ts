import { appendOnlyTriggerSql, ENSURE_APPLICATION_ROLE_SQL } from '../schema';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Append-only enforced by the database, not by application discipline: a statement-level trigger
 * rejects UPDATE, DELETE and TRUNCATE for every role (superusers included, and also under
 * session_replication_role = replica, hence ENABLE ALWAYS), and the application role is granted
 * no right to change history in the first place.
 */
export class MakeEventStoreAppendOnly1760000000001 implements MigrationInterface {
  name = 'MakeEventStoreAppendOnly1760000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION event_store.reject_history_change() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '%.% is append-only: % is not allowed', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'Record a correcting event that amends the original instead of changing it.';
      END
      $$`);
    for (const table of ['events', 'submissions']) {
      for (const statement of appendOnlyTriggerSql('event_store', table)) await queryRunner.query(statement);
    }

    await queryRunner.query(ENSURE_APPLICATION_ROLE_SQL);
    await queryRunner.query(`REVOKE ALL ON event_store.events, event_store.submissions, event_store.streams FROM PUBLIC`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA event_store TO trialstream_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON event_store.events TO trialstream_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON event_store.submissions TO trialstream_app`);
    // The stream head moves with every append; it is a cache of the log, not part of the record.
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON event_store.streams TO trialstream_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON event_store.events, event_store.submissions, event_store.streams FROM trialstream_app`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA event_store FROM trialstream_app`);
    for (const table of ['events', 'submissions']) {
      await queryRunner.query(`DROP TRIGGER ${table}_append_only ON event_store.${table}`);
    }
    await queryRunner.query(`DROP FUNCTION event_store.reject_history_change()`);
  }
}
