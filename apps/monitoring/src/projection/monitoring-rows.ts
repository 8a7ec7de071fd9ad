import type { LabAnalyte, MonitoredPatientState, PatientStatus, StreamEntry } from '@trialstream/domain';

export const MONITORING_PATIENTS = 'patients';
export const MONITORING_SITES = 'sites';
export const MONITORING_TRIALS = 'trials';
export const MONITORING_EVENTS = 'events';

/** One event of the patient's stream as the site made it: the facts behind latency, order and code-breaks. */
export interface LoggedEvent {
  eventId: string;
  type: string;
  /** Clinical time as first recorded (a later correction does not change when the entry was made). */
  occurredAt: string;
  recordedAt: string;
}

/**
 * One row per patient, written by that patient's stream alone: where the patient stands and the
 * blinded monitoring fold (dates, queries with every transition, verification, signatures) without
 * its entries, which are the patient's rows of `events`. What is overdue, how old a query is, what
 * counts by a date is computed at query time for the `asOf` asked.
 */
export type MonitoringPatientRow = {
  patient_id: string;
  site_id: string | null;
  /** Where the patient stands now; the status at another date comes from the fold. */
  status: PatientStatus;
  /** Lets a query skip patients who had not consented by its `asOf`. */
  consent_date: string | null;
  /** The fold with no entries: each entry is kept on its event's row, so an event writes its own row, not the history. */
  state: MonitoredPatientState;
  stream_version: number;
};

/**
 * One row per event of a patient's stream, in stream order: the event as the site made it (the facts
 * behind latency, order and code-breaks) and, for the events the fold takes, its entry as it stands
 * now (a correction or a void rewrites the row of the entry it amends, and only that row).
 */
export type MonitoringEventRow = {
  patient_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  /** Clinical time as first recorded, as the event has it (its offset is the site's date). */
  occurred_at: string;
  recorded_at: string;
  /** The fold's entry for this event; null for events the fold does not take (a code-break). */
  entry: StreamEntry | null;
};

/** One row per activated site, written by the site's own stream. */
export type MonitoringSiteRow = {
  site_id: string;
  name: string;
  country: string | null;
  activated_on: string;
};

export const loggedEventOf = (row: Pick<MonitoringEventRow, 'event_id' | 'type' | 'occurred_at' | 'recorded_at'>): LoggedEvent => ({
  eventId: row.event_id,
  type: row.type,
  occurredAt: row.occurred_at,
  recordedAt: row.recorded_at,
});

/**
 * The fold as the domain functions expect it, and the log: the header's state with its entries put
 * back from the patient's event rows, in stream order (as `recordedEventsOf` reads them: the order
 * breaks ties between equally close forms).
 */
export function monitoredStateOf(
  row: Pick<MonitoringPatientRow, 'state'>,
  events: ReadonlyArray<Pick<MonitoringEventRow, 'stream_version' | 'event_id' | 'type' | 'occurred_at' | 'recorded_at' | 'entry'>>,
): { state: MonitoredPatientState; log: LoggedEvent[] } {
  const ordered = [...events].sort((a, b) => a.stream_version - b.stream_version);
  const entries = Object.fromEntries(ordered.flatMap((event) => (event.entry ? [[event.event_id, event.entry]] : [])));
  return { state: { ...row.state, patient: { ...row.state.patient, entries } }, log: ordered.map(loggedEventOf) };
}

/** What a trial's protocol masks for blinded readers, from its first version on the trial stream. */
export type MonitoringTrialRow = {
  /** The trial id of the stream names; '' for the default trial (names without one). */
  trial: string;
  masked_analytes: readonly LabAnalyte[];
};
