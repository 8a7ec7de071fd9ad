import { ENSURE_APPLICATION_ROLE_SQL } from '@trialstream/event-store';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The allocation list in a schema of its own, apart from the event store and every read model, so
 * that no event, no Kafka message and no projection can carry an arm.
 *
 * The application role may read the list (the per-arm analyses after unblinding, the code-break),
 * insert it once (the administrator's import or generation) and move a kit between free, reserved
 * and dispensed (randomization); nothing else. Triggers keep the list itself fixed for every role,
 * superusers included: a kit's number, stratum, block, position and arm never change, no kit is
 * deleted, and a dispensed kit stays with its patient.
 */
export class CreateAllocationSchema1767398400000 implements MigrationInterface {
  name = 'CreateAllocationSchema1767398400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA allocation`);
    await queryRunner.query(`REVOKE ALL ON SCHEMA allocation FROM PUBLIC`);
    await queryRunner.query(`
      CREATE TABLE allocation.lists (
        list_id integer PRIMARY KEY CHECK (list_id = 1),
        source text NOT NULL CHECK (source IN ('generated', 'imported')),
        seed text,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE allocation.kits (
        kit_number text PRIMARY KEY,
        stratum text NOT NULL,
        block_number integer NOT NULL CHECK (block_number >= 1),
        list_position integer NOT NULL UNIQUE,
        arm text NOT NULL,
        patient_id text UNIQUE,
        reserved_at timestamptz,
        dispensed_at timestamptz,
        CHECK ((patient_id IS NULL) = (reserved_at IS NULL)),
        CHECK (dispensed_at IS NULL OR patient_id IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE INDEX kits_free_by_stratum ON allocation.kits (stratum, list_position) WHERE patient_id IS NULL`);

    await queryRunner.query(`
      CREATE FUNCTION allocation.keep_list_fixed() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' THEN
          RAISE EXCEPTION 'allocation.kits: % is not allowed; the allocation list is fixed once loaded', TG_OP
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.kit_number IS DISTINCT FROM OLD.kit_number OR NEW.stratum IS DISTINCT FROM OLD.stratum
           OR NEW.block_number IS DISTINCT FROM OLD.block_number OR NEW.list_position IS DISTINCT FROM OLD.list_position
           OR NEW.arm IS DISTINCT FROM OLD.arm THEN
          RAISE EXCEPTION 'allocation.kits: the allocation list is fixed once loaded'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.dispensed_at IS NOT NULL AND (NEW.patient_id IS DISTINCT FROM OLD.patient_id OR NEW.dispensed_at IS DISTINCT FROM OLD.dispensed_at) THEN
          RAISE EXCEPTION 'allocation.kits: kit % was dispensed and stays with its patient', OLD.kit_number
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER kits_list_fixed BEFORE UPDATE ON allocation.kits
      FOR EACH ROW EXECUTE FUNCTION allocation.keep_list_fixed()`);
    await queryRunner.query(`
      CREATE TRIGGER kits_never_removed BEFORE DELETE OR TRUNCATE ON allocation.kits
      FOR EACH STATEMENT EXECUTE FUNCTION allocation.keep_list_fixed()`);
    for (const trigger of ['kits_list_fixed', 'kits_never_removed']) {
      await queryRunner.query(`ALTER TABLE allocation.kits ENABLE ALWAYS TRIGGER ${trigger}`);
    }

    await queryRunner.query(ENSURE_APPLICATION_ROLE_SQL);
    await queryRunner.query(`REVOKE ALL ON allocation.lists, allocation.kits FROM PUBLIC`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA allocation TO trialstream_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON allocation.lists, allocation.kits TO trialstream_app`);
    await queryRunner.query(`GRANT UPDATE (patient_id, reserved_at, dispensed_at) ON allocation.kits TO trialstream_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SCHEMA allocation CASCADE`);
  }
}
