import { get } from '../api/client';
import { monitoredPatientStateFrom, PatientState, QueryRecord, signaturesInOrder } from '../domain';
import type { EventEnvelope, QueryView, Signature } from './types';

const DAY_MS = 86_400_000;

/** A `datetime-local` value (the browser's time zone) as the instant it names; null for none or an incomplete one. */
export function instantOf(local: string): string | null {
  const time = Date.parse(local);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/**
 * The patient's events as they stood at a moment: those recorded by then. Auditors ask the server's
 * point-in-time view (`/audit/patients/{id}/as-of`, itself recorded in the audit trail) where the record
 * ended then; every other role cuts the history its own route gave it (with its own site scope and
 * masking) at the same recorded-at instant. Either way the later corrections are not applied.
 */
export async function eventsAsOf(patientId: string, events: EventEnvelope[], role: string, at: string): Promise<EventEnvelope[]> {
  if (role === 'auditor') {
    const record = await get<{ streamVersion: number }>(`/audit/patients/${encodeURIComponent(patientId)}/as-of`, { at });
    return events.filter((event) => (event.streamVersion ?? Number.POSITIVE_INFINITY) <= record.streamVersion);
  }
  const moment = Date.parse(at);
  return events.filter((event) => Date.parse(event.recordedAt) <= moment);
}

/** The signatures as they stood: valid, or already invalidated by then. */
export const signaturesAsOf = (events: EventEnvelope[]): Signature[] => signaturesInOrder(monitoredPatientStateFrom(events).signatures);

/** The queries as they stood, in the shape the query table shows. */
export function queriesAsOf(events: EventEnvelope[], state: PatientState, at: string): QueryView[] {
  const { queries } = monitoredPatientStateFrom(events);
  return Object.values(queries).map((query: QueryRecord) => {
    const entry = state.entries[query.targetEventId];
    return {
      queryId: query.queryId,
      patientId: state.patientId ?? '',
      siteId: state.siteId,
      targetEventId: query.targetEventId,
      targetType: entry?.type ?? null,
      field: query.field,
      status: query.status,
      text: query.text,
      raisedAt: query.raisedAt,
      ageDays: Math.max(0, Math.floor((Date.parse(at) - Date.parse(query.raisedAt)) / DAY_MS)),
      answer: query.answer ?? null,
      currentValue: (entry?.data as Record<string, unknown> | undefined)?.[query.field],
    };
  });
}
