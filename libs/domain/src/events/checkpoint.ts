/**
 * A checkpoint of the whole log (a root over every stream head, with position and time), recorded in
 * the log itself on its own stream, so that an auditor who kept the exported file can match it to the log.
 */
export const CHECKPOINT_STREAM_ID = 'audit-checkpoints';
export const LOG_CHECKPOINTED = 'LogCheckpointed';

export interface LogCheckpointed {
  format: string;
  takenAt: string;
  position: string;
  snapshotXmin: string;
  eventCount: number;
  streamCount: number;
  root: string;
}
