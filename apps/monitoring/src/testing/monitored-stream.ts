/** Builders for the monitoring app's unit tests: a patient's decided events as the store would return them. */
import { createHash } from 'node:crypto';
import type { CommittedEvent, EventEnvelope } from '@trialstream/domain';
import { patientStreamId } from '@trialstream/domain';

export const aCoordinator = { userId: 'coordinator-1', role: 'site_coordinator' as const };

let position = 0;

/**
 * Envelopes of a patient's committed events (ids kept, so queries still point at their targets). Each
 * event is recorded at noon UTC of `recordedOn(event)`, its clinical date by default (latency 0).
 */
export function envelopesOf(
  patientId: string,
  siteId: string,
  events: readonly CommittedEvent[],
  recordedOn: (event: CommittedEvent) => string = (event) => event.occurredAt.slice(0, 10),
): EventEnvelope[] {
  return events.map((event, index) => {
    position += 1;
    return {
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      streamId: patientStreamId(patientId),
      streamVersion: index + 1,
      globalPosition: String(position),
      transactionId: String(1000 + position),
      siteId,
      actor: aCoordinator,
      occurredAt: event.occurredAt,
      recordedAt: `${recordedOn(event)}T12:00:00.000Z`,
      correlationId: `correlation-${position}`,
      causationId: null,
      submissionId: null,
      amends: null,
      data: event.data,
      previousHash: '0'.repeat(64),
      hash: createHash('sha256').update(event.eventId).digest('hex'),
    };
  });
}

/** An event another part of the platform puts on the patient's stream, e.g. an emergency code-break. */
export const committed = (eventId: string, type: string, occurredAt: string, data: unknown): CommittedEvent => ({
  eventId,
  type,
  occurredAt,
  data,
  schemaVersion: 1,
});
