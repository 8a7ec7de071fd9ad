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
 * The columns of StoredEventJson, named as its fields. The envelope is written by concatenation (about half the work
 * of to_json of a row with nested rows): keys in toStoredEnvelope's order, every text through to_json (JSON's
 * escaping), uuids, hashes and positions as plain strings, recordedAt formatted as Date.toISOString does (to the
 * millisecond, as the store records it).
 */
export const EVENT_JSON_COLUMNS = `
  global_position::text AS "globalPosition", transaction_id::text AS "transactionId", event_id::text AS "eventId",
  stream_id AS "streamId", type, schema_version AS "schemaVersion",
  concat(
    '{"eventId":"', e.event_id, '","type":', to_json(e.type), ',"schemaVersion":', e.schema_version,
    ',"streamId":', to_json(e.stream_id), ',"streamVersion":', e.stream_version,
    ',"globalPosition":"', e.global_position, '","transactionId":"', e.transaction_id,
    '","siteId":', coalesce(to_json(e.site_id)::text, 'null'),
    ',"actor":{"userId":', to_json(e.actor_id), ',"role":', to_json(e.actor_role), '}',
    ',"occurredAt":', to_json(e.occurred_at),
    ',"recordedAt":"', to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    '","correlationId":"', e.correlation_id, '","causationId":', coalesce('"' || e.causation_id || '"', 'null'),
    ',"submissionId":', coalesce(to_json(e.submission_id)::text, 'null'),
    ',"amends":', CASE WHEN e.amends_event_id IS NULL THEN 'null'
      ELSE concat('{"eventId":"', e.amends_event_id, '","reason":', to_json(coalesce(e.amends_reason, '')), '}') END,
    ',"data":', e.data, ',"previousHash":"', e.previous_hash, '","hash":"', e.hash, '"}'
  ) AS json`;

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
  // Most events are stored in today's schema: a copy of the envelope for them is garbage a catch-up pays per event.
  if (current.schemaVersion === envelope.schemaVersion && current.data === envelope.data) return envelope;
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
