import type { EventEnvelope } from '@trialstream/domain';

/** What a site gets back for an accepted submission, and again, verbatim, for a retry of it. */
export interface SubmissionResponse {
  streamId: string;
  streamVersion: number;
  /** Global position of the last event: a read with `minPosition` set to it sees this submission. */
  position: string;
  events: Array<{
    eventId: string;
    type: string;
    streamVersion: number;
    globalPosition: string;
    recordedAt: string;
    /** Protocol deviations flagged on the event: stored, not rejected. */
    deviations: unknown[];
  }>;
  [resource: string]: unknown;
}

export function submissionResponse(resource: Record<string, string>, events: EventEnvelope[]): SubmissionResponse {
  const last = events[events.length - 1];
  return {
    ...resource,
    streamId: last.streamId,
    streamVersion: last.streamVersion,
    position: last.globalPosition,
    events: events.map((event) => ({
      eventId: event.eventId,
      type: event.type,
      streamVersion: event.streamVersion,
      globalPosition: event.globalPosition,
      recordedAt: event.recordedAt,
      deviations: (event.data as { deviations?: unknown[] }).deviations ?? [],
    })),
  };
}
