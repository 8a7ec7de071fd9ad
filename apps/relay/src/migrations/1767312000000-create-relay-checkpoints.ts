import { MigrationInterface, QueryRunner } from 'typeorm';

/** How far each relay has published: (transaction, position) in the store's catch-up order, one row per destination. */
export class CreateRelayCheckpoints1767312000000 implements MigrationInterface {
  name = 'CreateRelayCheckpoints1767312000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS relay`);
    await queryRunner.query(`
      CREATE TABLE relay.checkpoints (
        name text PRIMARY KEY,
        transaction_id xid8 NOT NULL,
        global_position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The application role exists once the event store is migrated; a database without it has nobody to grant to.
    await queryRunner.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'trialstream_app') THEN
          GRANT USAGE ON SCHEMA relay TO trialstream_app;
          GRANT SELECT, INSERT, UPDATE ON relay.checkpoints TO trialstream_app;
        END IF;
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE relay.checkpoints`);
    await queryRunner.query(`DROP SCHEMA IF EXISTS relay`);
  }
}
