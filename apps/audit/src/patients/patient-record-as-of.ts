import { patientStateFrom, type EventEnvelope, type PatientState } from '@trialstream/domain';

/** An entry of the record with the values it held at the moment: corrections made by then applied. */
export interface EntryAsOf {
  eventId: string;
  type: string;
  occurredAt: string;
  data: unknown;
  voided: boolean;
  /** The latest correction made by then, if any. */
  correctedBy: string | null;
}

/** The domain's folded record (its facts, not its bookkeeping), with each entry as it stood then. */
export interface PatientRecordAsOf extends Omit<PatientState, 'patientId' | 'entries' | 'voidedEventIds' | 'corrections'> {
  patientId: string;
  entries: EntryAsOf[];
  /** How much of the stream the moment covers. */
  streamVersion: number;
  lastGlobalPosition: string | null;
  lastRecordedAt: string | null;
}

const AMENDMENT_TYPES = new Set(['EntryCorrected', 'EntryVoided']);

/**
 * The record as the domain folds it (`patientStateFrom`) from the events recorded up to a moment:
 * what anyone reading the patient's record then would have seen.
 */
export function patientRecordAsOf(patientId: string, events: readonly EventEnvelope[]): PatientRecordAsOf {
  const state = patientStateFrom(events);
  const { patientId: _folded, entries: _entries, voidedEventIds: _voided, corrections: _corrections, ...facts } = state;
  const last = events.at(-1);
  return {
    ...facts,
    patientId,
    entries: events
      .filter((event) => !AMENDMENT_TYPES.has(event.type))
      .map((event) => {
        const entry = state.entries[event.eventId];
        return {
          eventId: event.eventId,
          type: entry.type,
          occurredAt: entry.occurredAt,
          data: entry.data,
          voided: entry.voided,
          correctedBy: entry.correctedBy ?? null,
        };
      }),
    streamVersion: last?.streamVersion ?? 0,
    lastGlobalPosition: last?.globalPosition ?? null,
    lastRecordedAt: last?.recordedAt ?? null,
  };
}
