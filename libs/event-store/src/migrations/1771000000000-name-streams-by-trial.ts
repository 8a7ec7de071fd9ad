import { MigrationInterface, QueryRunner } from 'typeorm';
import { APPLICATION_ROLE, appendOnlyTriggerSql, ENSURE_APPLICATION_ROLE_SQL, ENSURE_VERIFIER_ROLE_SQL, VERIFIER_ROLE } from '../schema';

/**
 * The trial a deployment hosts, which its stream names and Kafka topic carry (TrialStreams): one row,
 * written once by the first process that opens the database. A log that already holds events was
 * written before names carried a trial: it is recorded here as the default trial (trial_id NULL), whose
 * streams keep their names, since every stored event's hash covers its stream id and nothing is renamed.
 */
export class NameStreamsByTrial1771000000000 implements MigrationInterface {
  name = 'NameStreamsByTrial1771000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE event_store.deployment_trial (
        one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),
        trial_id text NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    // No append runs during a migration: a log with events now is a log from before trial names.
    await queryRunner.query(`
      INSERT INTO event_store.deployment_trial (trial_id)
      SELECT NULL WHERE EXISTS (SELECT 1 FROM event_store.events)`);
    for (const statement of appendOnlyTriggerSql('event_store', 'deployment_trial')) await queryRunner.query(statement);
    await queryRunner.query(ENSURE_APPLICATION_ROLE_SQL);
    await queryRunner.query(ENSURE_VERIFIER_ROLE_SQL);
    await queryRunner.query(`REVOKE ALL ON event_store.deployment_trial FROM PUBLIC`);
    await queryRunner.query(`GRANT SELECT, INSERT ON event_store.deployment_trial TO ${APPLICATION_ROLE}`);
    await queryRunner.query(`GRANT SELECT ON event_store.deployment_trial TO ${VERIFIER_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE event_store.deployment_trial`);
  }
}
