import { eventFamily } from '../events/catalog';

/**
 * The monitor's workflow as events. They live on the patient's stream (`patient-<id>`), next to the
 * data they question: a query is decided against that stream's state (does the event exist, has it
 * been corrected, is it voided) and appended with the stream's expected version, so a query can
 * never point at an event the stream does not hold, and a rebuild replays data and queries in the
 * order they happened. A monitor's action has no clinical time: `occurredAt` is the server's clock
 * when the action was decided.
 */

/** CDISC ODM v2 query states; a re-opened query is open again (its `reopenedCount` tells). */
export const QUERY_STATUSES = ['open', 'answered', 'closed', 'cancelled'] as const;
export type QueryStatus = (typeof QUERY_STATUSES)[number];

/** A monitor questions one field of one event. */
export interface QueryRaised {
  queryId: string;
  targetEventId: string;
  /** Field path into the target's payload (`administeredDoseMg`, `nerves[0].snapAmplitudeUv`) or `occurredAt`. */
  field: string;
  text: string;
}

/** The site answers, often by correcting the value: the correction is its own EntryCorrected event. */
export interface QueryAnswered {
  queryId: string;
  text: string;
  correctionEventId?: string;
}

export interface QueryClosed {
  queryId: string;
}

/** Withdrawn by the monitor: raised in error, or no longer relevant. */
export interface QueryCancelled {
  queryId: string;
  reason: string;
}

/** The answer did not resolve the question: the query is open again with a new text. */
export interface QueryReopened {
  queryId: string;
  text: string;
}

/** The monitor compared the recorded event with the source document; without fields, the whole event. */
export interface SourceDataVerified {
  targetEventId: string;
  fields?: string[];
}

export interface MonitoringEventPayloadByType {
  QueryRaised: QueryRaised;
  QueryAnswered: QueryAnswered;
  QueryClosed: QueryClosed;
  QueryCancelled: QueryCancelled;
  QueryReopened: QueryReopened;
  SourceDataVerified: SourceDataVerified;
}

export type MonitoringEventType = keyof MonitoringEventPayloadByType;

const MONITORING_EVENTS = eventFamily<MonitoringEventPayloadByType>([
  'QueryRaised',
  'QueryAnswered',
  'QueryClosed',
  'QueryCancelled',
  'QueryReopened',
  'SourceDataVerified',
]);

/** Schema versions new monitoring events are written with: the event catalog's, for this family. */
export const MONITORING_SCHEMA_VERSIONS = MONITORING_EVENTS.schemaVersions;
export const MONITORING_EVENT_TYPES = MONITORING_EVENTS.types;
export const isMonitoringEventType = MONITORING_EVENTS.is;
export const draftMonitoringEvent = MONITORING_EVENTS.draft;
