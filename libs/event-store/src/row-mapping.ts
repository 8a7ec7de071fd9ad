import type { EventEnvelope, Role } from '@trialstream/domain';
import type { ChainedEventFields } from './hash-chain';
import type { Upcaster } from './contracts';

/** Every column, with the types node-postgres cannot parse (bigint, xid8, uuid) cast to text. */
export const EVENT_COLUMNS = `
  global_position::text AS global_position, transaction_id::text AS transaction_id,
  event_id::text AS event_id, stream_id, stream_version, type, schema_version, site_id,
  actor_id, actor_role, occurred_at, recorded_at, correlation_id::text AS correlation_id,
  causation_id::text AS causation_id, submission_id, amends_event_id::text AS amends_event_id,
  amends_reason, data, previous_hash, hash`;

/**
 * An event as the JSON text of its envelope exactly as stored, beside the fields a transport routes it by: what a
 * reader that only passes events on (the relay) needs, without parsing the data and serialising it again.
 */
export interface StoredEventJson {
  eventId: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  globalPosition: string;
  transactionId: string;
  /** JSON.parse of it equals toStoredEnvelope of the row (the data keeps PostgreSQL's jsonb spacing). */
  json: string;
}

/**
 * The columns of StoredEventJson, named as its fields. PostgreSQL writes the envelope (to_json of a row: compact,
 * keys in toStoredEnvelope's order); recordedAt is formatted as Date.toISOString does, to the millisecond the store
 * keeps, and the positions are JSON strings as in the envelope.
 */
export const EVENT_JSON_COLUMNS = `
  global_position::text AS "globalPosition", transaction_id::text AS "transactionId", event_id::text AS "eventId",
  stream_id AS "streamId", type, schema_version AS "schemaVersion",
  (SELECT to_json(envelope)::text FROM (SELECT
     e.event_id AS "eventId", e.type, e.schema_version AS "schemaVersion", e.stream_id AS "streamId",
     e.stream_version AS "streamVersion", e.global_position::text AS "globalPosition",
     e.transaction_id::text AS "transactionId", e.site_id AS "siteId",
     (SELECT to_json(actor) FROM (SELECT e.actor_id AS "userId", e.actor_role AS role) actor) AS actor,
     e.occurred_at AS "occurredAt",
     to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recordedAt",
     e.correlation_id AS "correlationId", e.causation_id AS "causationId", e.submission_id AS "submissionId",
     (SELECT to_json(amends) FROM (SELECT e.amends_event_id AS "eventId", coalesce(e.amends_reason, '') AS reason) amends
       WHERE e.amends_event_id IS NOT NULL) AS amends,
     e.data, e.previous_hash AS "previousHash", e.hash) envelope) AS json`;

export interface EventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  site_id: string | null;
  actor_id: string;
  actor_role: string;
  occurred_at: string;
  recorded_at: Date;
  correlation_id: string;
  causation_id: string | null;
  submission_id: string | null;
  amends_event_id: string | null;
  amends_reason: string | null;
  data: unknown;
  previous_hash: string;
  hash: string;
}

/** The event exactly as stored: what the hash chain covers and what verification must see. */
export function toStoredEnvelope(row: EventRow): EventEnvelope {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    globalPosition: row.global_position,
    transactionId: row.transaction_id,
    siteId: row.site_id,
    actor: { userId: row.actor_id, role: row.actor_role as Role },
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at.toISOString(),
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    submissionId: row.submission_id,
    amends: row.amends_event_id === null ? null : { eventId: row.amends_event_id, reason: row.amends_reason ?? '' },
    data: row.data,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}

/** The event in today's schema. Its hash still certifies the stored form, which an auditor can read raw. */
export function toCurrentEnvelope(row: EventRow, upcast: Upcaster | undefined): EventEnvelope {
  const envelope = toStoredEnvelope(row);
  if (!upcast) return envelope;
  const current = upcast(envelope.type, envelope.schemaVersion, envelope.data);
  return { ...envelope, schemaVersion: current.schemaVersion, data: current.data };
}

export function chainedFields(envelope: EventEnvelope): ChainedEventFields {
  return {
    previousHash: envelope.previousHash,
    eventId: envelope.eventId,
    type: envelope.type,
    schemaVersion: envelope.schemaVersion,
    streamId: envelope.streamId,
    streamVersion: envelope.streamVersion,
    siteId: envelope.siteId,
    actor: envelope.actor,
    occurredAt: envelope.occurredAt,
    recordedAt: envelope.recordedAt,
    correlationId: envelope.correlationId,
    causationId: envelope.causationId,
    submissionId: envelope.submissionId,
    amends: envelope.amends,
    data: envelope.data,
  };
}
