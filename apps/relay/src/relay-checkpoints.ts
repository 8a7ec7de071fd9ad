import type { DataSource } from 'typeorm';
import { START_CHECKPOINT, type Checkpoint } from '@trialstream/domain';
import type { RelayCheckpointStore } from './relay';

/** Relay checkpoints in `relay.checkpoints` (see RELAY_MIGRATIONS). */
export class PostgresRelayCheckpoints implements RelayCheckpointStore {
  constructor(private readonly dataSource: DataSource) {}

  async load(name: string): Promise<Checkpoint> {
    const rows: Array<{ transaction_id: string; global_position: string }> = await this.dataSource.query(
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position
         FROM relay.checkpoints WHERE name = $1`,
      [name],
    );
    return rows[0] ? { transactionId: rows[0].transaction_id, globalPosition: rows[0].global_position } : START_CHECKPOINT;
  }

  async save(name: string, checkpoint: Checkpoint): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO relay.checkpoints (name, transaction_id, global_position, updated_at)
       VALUES ($1, $2::xid8, $3::bigint, now())
       ON CONFLICT (name) DO UPDATE
         SET transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position, updated_at = now()
         -- Forward only: a relay that lost the lead mid-page must not rewind the new leader's checkpoint.
         WHERE (relay.checkpoints.transaction_id, relay.checkpoints.global_position) < (EXCLUDED.transaction_id, EXCLUDED.global_position)`,
      [name, checkpoint.transactionId, checkpoint.globalPosition],
    );
  }
}
