import { TrialStreams } from '@trialstream/domain';
import type { DataSource } from 'typeorm';
import { DEPLOYMENT_TRIAL_TABLE } from './schema';

/**
 * The trial this deployment's stream names carry. The first process to open a database records it:
 * the trial of the protocol file it was started with (or is activating), or, without one, the default
 * trial whose names carry no id. Every later process reads the same row, whatever it was started with,
 * so all agree for the life of the log. A log from before trial names was recorded as the default trial
 * by its migration.
 */
export async function deploymentTrialStreams(
  dataSource: Pick<DataSource, 'query'>,
  candidateTrialId: string | null,
): Promise<TrialStreams> {
  await dataSource.query(`INSERT INTO ${DEPLOYMENT_TRIAL_TABLE} (trial_id) VALUES ($1) ON CONFLICT DO NOTHING`, [candidateTrialId]);
  const rows: Array<{ trial_id: string | null }> = await dataSource.query(`SELECT trial_id FROM ${DEPLOYMENT_TRIAL_TABLE}`);
  return new TrialStreams(rows[0].trial_id);
}
