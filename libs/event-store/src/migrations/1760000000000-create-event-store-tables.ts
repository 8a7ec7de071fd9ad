import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The log itself (`events`), the per-stream head used for the expected-version check and the
 * hash chain (`streams`), and the remembered results of client-chosen submission ids (`submissions`).
 */
export class CreateEventStoreTables1760000000000 implements MigrationInterface {
  name = 'CreateEventStoreTables1760000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS event_store`);
    await queryRunner.query(`
      CREATE TABLE event_store.events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id uuid NOT NULL UNIQUE,
        stream_id text NOT NULL,
        stream_version integer NOT NULL CHECK (stream_version >= 1),
        type text NOT NULL,
        schema_version integer NOT NULL CHECK (schema_version >= 1),
        site_id text NULL,
        actor_id text NOT NULL,
        actor_role text NOT NULL,
        occurred_at text NOT NULL,
        recorded_at timestamptz NOT NULL,
        correlation_id uuid NOT NULL,
        causation_id uuid NULL,
        submission_id text NULL,
        amends_event_id uuid NULL,
        amends_reason text NULL,
        data jsonb NOT NULL,
        previous_hash char(64) NOT NULL,
        hash char(64) NOT NULL,
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version),
        CONSTRAINT events_amends_has_reason CHECK ((amends_event_id IS NULL) = (amends_reason IS NULL))
      )`);
    // Catch-up readers order and resume by (transaction, position), never by position alone.
    await queryRunner.query(`CREATE INDEX events_catch_up_order ON event_store.events (transaction_id, global_position)`);
    await queryRunner.query(`CREATE INDEX events_recorded_at ON event_store.events (recorded_at)`);
    await queryRunner.query(`
      CREATE TABLE event_store.streams (
        stream_id text PRIMARY KEY,
        version integer NOT NULL CHECK (version >= 0),
        last_hash char(64) NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE event_store.submissions (
        scope text NOT NULL,
        submission_id text NOT NULL,
        request_hash text NOT NULL,
        stream_id text NOT NULL,
        response jsonb NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (scope, submission_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE event_store.submissions`);
    await queryRunner.query(`DROP TABLE event_store.streams`);
    await queryRunner.query(`DROP TABLE event_store.events`);
    await queryRunner.query(`DROP SCHEMA IF EXISTS event_store`);
  }
}
