import { MigrationInterface, QueryRunner } from 'typeorm';
import { APPLICATION_ROLE, ENSURE_APPLICATION_ROLE_SQL, EVENT_POSITIONS_SEQUENCE } from '../schema';

/**
 * A writer takes its batch's global positions from the events' identity sequence before inserting the
 * events, so that the answers it stores with their submission ids (which carry positions) go in the same
 * statement as the events. The application role may draw from the sequence, never set it.
 */
export class LetWritersTakeEventPositions1772000000000 implements MigrationInterface {
  name = 'LetWritersTakeEventPositions1772000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(ENSURE_APPLICATION_ROLE_SQL);
    await queryRunner.query(`GRANT USAGE ON SEQUENCE ${EVENT_POSITIONS_SEQUENCE} TO ${APPLICATION_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE USAGE ON SEQUENCE ${EVENT_POSITIONS_SEQUENCE} FROM ${APPLICATION_ROLE}`);
  }
}
