import type { DataSource } from 'typeorm';
import { CHECKPOINT_STREAM_ID, draftEvent, LOG_CHECKPOINTED, type LogCheckpointed } from '@trialstream/domain';
import type { Actor, EventEnvelope } from '@trialstream/domain';
import { summarizeCheckpoint, takeCheckpoint, type LogCheckpoint } from './checkpoint';
import type { PostgresEventStore } from './postgres-event-store';

/** Who records scheduled checkpoints: the audit service itself, not a person. */
export const CHECKPOINT_ACTOR: Actor = { userId: 'system:audit-checkpoints', role: 'auditor' };

/** Takes a checkpoint and records its summary (root, position, time) as a `LogCheckpointed` event. */
export async function recordCheckpoint(
  store: PostgresEventStore,
  dataSource: DataSource,
  clock: () => Date,
  actor: Actor = CHECKPOINT_ACTOR,
): Promise<LogCheckpoint> {
  const checkpoint = await takeCheckpoint(dataSource, clock());
  const data: LogCheckpointed = summarizeCheckpoint(checkpoint);
  for (let attempt = 0; attempt < 20; attempt++) {
    const outcome = await store.append({
      streamId: CHECKPOINT_STREAM_ID,
      expectedVersion: await store.streamVersion(CHECKPOINT_STREAM_ID),
      events: [draftEvent(LOG_CHECKPOINTED, checkpoint.takenAt, data)],
      siteId: null,
      actor,
    });
    if (outcome.status === 'appended') return checkpoint;
  }
  throw new Error('could not record the checkpoint: its stream kept moving');
}

/** The checkpoints recorded in the log, oldest first. */
export async function recordedCheckpoints(
  store: PostgresEventStore,
): Promise<Array<LogCheckpointed & { eventId: string; recordedAt: string }>> {
  const events: EventEnvelope[] = await store.readStream(CHECKPOINT_STREAM_ID);
  return events
    .filter((event) => event.type === LOG_CHECKPOINTED)
    .map((event) => ({ ...(event.data as LogCheckpointed), eventId: event.eventId, recordedAt: event.recordedAt }));
}
