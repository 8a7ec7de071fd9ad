import type { LabAnalyte, MonitoredPatientState, PatientStatus } from '@trialstream/domain';

export const MONITORING_PATIENTS = 'patients';
export const MONITORING_SITES = 'sites';
export const MONITORING_TRIALS = 'trials';

/** One event of the patient's stream as the site made it: the facts behind latency, order and code-breaks. */
export interface LoggedEvent {
  eventId: string;
  type: string;
  /** Clinical time as first recorded (a later correction does not change when the entry was made). */
  occurredAt: string;
  recordedAt: string;
}

/**
 * One row per patient, written by that patient's stream alone. It holds facts, not indicators: the
 * blinded monitoring fold (dates, forms recorded, deviations flagged, queries with every transition,
 * verification) and the log of entries; what is overdue, how old a query is, what counts by a date
 * is computed at query time for the `asOf` asked.
 */
export type MonitoringPatientRow = {
  patient_id: string;
  site_id: string | null;
  /** Where the patient stands now; the status at another date comes from the fold. */
  status: PatientStatus;
  /** Lets a query skip patients who had not consented by its `asOf`. */
  consent_date: string | null;
  state: MonitoredPatientState;
  /** In stream order (jsonb objects keep no key order; the fold's entries are put back in this order). */
  log: LoggedEvent[];
  stream_version: number;
};

/** One row per activated site, written by the site's own stream. */
export type MonitoringSiteRow = {
  site_id: string;
  name: string;
  country: string | null;
  activated_on: string;
};

/**
 * The fold as the domain functions expect it: entries in stream order, as `recordedEventsOf` reads
 * them (the order breaks ties between equally close forms).
 */
export function monitoredStateOf(row: Pick<MonitoringPatientRow, 'state' | 'log'>): MonitoredPatientState {
  const { entries } = row.state.patient;
  const ordered = Object.fromEntries(
    row.log
      .filter(({ eventId }) => Object.prototype.hasOwnProperty.call(entries, eventId))
      .map(({ eventId }) => [eventId, entries[eventId]]),
  );
  return { ...row.state, patient: { ...row.state.patient, entries: ordered } };
}

/** What a trial's protocol masks for blinded readers, from its first version on the trial stream. */
export type MonitoringTrialRow = {
  /** The trial id of the stream names; '' for the default trial (names without one). */
  trial: string;
  masked_analytes: readonly LabAnalyte[];
};
