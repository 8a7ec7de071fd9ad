import { patientStateFrom, type EventEnvelope, type InfusionRecord, type PatientStatus } from '@trialstream/domain';

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

export interface PatientRecordAsOf {
  patientId: string;
  siteId: string | null;
  status: PatientStatus;
  consentDate: string | null;
  enrolledAt: string | null;
  heightCm: number | null;
  weightKg: number | null;
  randomizedAt: string | null;
  kitNumber: string | null;
  withdrawnAt: string | null;
  infusions: readonly InfusionRecord[];
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
  const last = events.at(-1);
  return {
    patientId,
    siteId: state.siteId,
    status: state.status,
    consentDate: state.consentDate,
    enrolledAt: state.enrolledAt,
    heightCm: state.heightCm,
    weightKg: state.weightKg,
    randomizedAt: state.randomizedAt,
    kitNumber: state.kitNumber,
    withdrawnAt: state.withdrawnAt,
    infusions: state.infusions,
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
