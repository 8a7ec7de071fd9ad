import {
  ownValue,
  type LabAnalyte,
  type MonitoredPatientState,
  type PatientState,
  type PatientStatus,
  type QueryRecord,
  type StreamEntry,
  type VerificationRecord,
} from '@trialstream/domain';

export const MONITORING_PATIENTS = 'patients';
export const MONITORING_SITES = 'sites';
export const MONITORING_TRIALS = 'trials';
export const MONITORING_EVENTS = 'events';
export const MONITORING_SITE_ACTIVITY = 'site_activity';

/**
 * One row per site with patients: how many of its patients' events the read model has applied. It moves
 * with every change to one of the site's patient rows, so a reader keeping a site's figures knows from
 * this one row whether they still hold. Several streams add to it; a count does not depend on their order.
 */
export type MonitoringSiteActivityRow = {
  site_id: string;
  patient_events: number;
};

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
 * blinded monitoring fold (dates, infusions, signatures) without what grows with each entry (entries,
 * corrections, verifications, queries), which the patient's rows of `events` hold. What is overdue, how
 * old a query is, what counts by a date is computed at query time for the `asOf` asked.
 */
export type MonitoringPatientRow = {
  patient_id: string;
  site_id: string | null;
  /** Where the patient stands now; the status at another date comes from the fold. */
  status: PatientStatus;
  /** Lets a query skip patients who had not consented by its `asOf`. */
  consent_date: string | null;
  /** The fold without entries, corrections, verifications and queries: each is kept on an event's row, so an event writes its own row, not the history. */
  state: MonitoredPatientState;
  stream_version: number;
};

/**
 * One row per event of a patient's stream, in stream order: the event as the site made it (the facts
 * behind latency, order and code-breaks) and what the fold keeps about that event: its entry as it
 * stands now, its latest correction and its verification (an amendment or a verification rewrites the
 * row of the entry it targets, and only that row), and the query it raised with every transition since.
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
  correction: PatientState['corrections'][string] | null;
  verification: VerificationRecord | null;
  /** The query this event raised. */
  query: QueryRecord | null;
};

/** What an event row holds of the fold. */
export type EventFacts = Pick<MonitoringEventRow, 'entry' | 'correction' | 'verification' | 'query'>;

type FactsRow = Pick<MonitoringEventRow, 'event_id'> & EventFacts;

/** The fold with its per-event parts put back from the event rows (in stream order, which the entries keep). */
export function withFoldParts(state: MonitoredPatientState, rows: readonly FactsRow[]): MonitoredPatientState {
  // Pairs, then Object.fromEntries: ids become own properties whatever they are, as the fold keeps them.
  const entries: Array<[string, StreamEntry]> = [];
  const corrections: Array<[string, NonNullable<EventFacts['correction']>]> = [];
  const verifications: Array<[string, VerificationRecord]> = [];
  const queries: Array<[string, QueryRecord]> = [];
  for (const row of rows) {
    if (row.entry !== null) entries.push([row.event_id, row.entry]);
    if (row.correction !== null) corrections.push([row.event_id, row.correction]);
    if (row.verification !== null) verifications.push([row.event_id, row.verification]);
    if (row.query !== null) queries.push([row.query.queryId, row.query]);
  }
  return {
    ...state,
    patient: { ...state.patient, entries: Object.fromEntries(entries), corrections: Object.fromEntries(corrections) },
    queries: Object.fromEntries(queries),
    verifications: Object.fromEntries(verifications),
  };
}

/** The fold without its per-event parts, as the patient row keeps it. */
export const withoutFoldParts = (state: MonitoredPatientState): MonitoredPatientState => ({
  ...state,
  patient: { ...state.patient, entries: {}, corrections: {} },
  queries: {},
  verifications: {},
});

/** What the event row of `eventId` holds of the fold. */
export const eventFactsOf = (state: MonitoredPatientState, eventId: string): EventFacts => ({
  entry: ownValue(state.patient.entries, eventId) ?? null,
  correction: ownValue(state.patient.corrections, eventId) ?? null,
  verification: ownValue(state.verifications, eventId) ?? null,
  query: Object.values(state.queries).find((query) => query.history[0]?.eventId === eventId) ?? null,
});

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
 * The fold as the domain functions expect it, and the log: the patient row's state with its per-event
 * parts put back from the patient's event rows, in stream order (as `recordedEventsOf` reads the
 * entries: the order breaks ties between equally close forms).
 */
export function monitoredStateOf(
  row: Pick<MonitoringPatientRow, 'state'>,
  events: ReadonlyArray<Omit<MonitoringEventRow, 'patient_id'>>,
): { state: MonitoredPatientState; log: LoggedEvent[] } {
  const ordered = [...events].sort((a, b) => a.stream_version - b.stream_version);
  return { state: withFoldParts(row.state, ordered), log: ordered.map(loggedEventOf) };
}

/** What a trial's protocol masks for blinded readers, from its first version on the trial stream. */
export type MonitoringTrialRow = {
  /** The trial id of the stream names; '' for the default trial (names without one). */
  trial: string;
  masked_analytes: readonly LabAnalyte[];
};
