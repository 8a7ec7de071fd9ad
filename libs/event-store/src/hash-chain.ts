import { createHash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';
import type { Actor } from '@trialstream/domain';

/** The previous hash of every stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** Everything an auditor must be able to trust about one event; the hash covers exactly these fields. */
export interface ChainedEventFields {
  previousHash: string;
  eventId: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  streamVersion: number;
  siteId: string | null;
  actor: Actor;
  occurredAt: string;
  recordedAt: string;
  correlationId: string;
  causationId: string | null;
  submissionId: string | null;
  amends: { eventId: string; reason: string } | null;
  data: unknown;
}

// Sorted keys make the serialisation independent of how jsonb or a caller ordered them;
// strict mode refuses values JSON cannot carry instead of silently hashing a lossy form.
const canonicalJson = configure({ deterministic: true, strict: true, bigint: false, circularValue: TypeError });

export function canonicalize(fields: ChainedEventFields): string {
  const { previousHash, eventId, type, schemaVersion, streamId, streamVersion, siteId, actor, occurredAt } = fields;
  const { recordedAt, correlationId, causationId, submissionId, amends, data } = fields;
  const json = canonicalJson({
    previousHash,
    eventId,
    type,
    schemaVersion,
    streamId,
    streamVersion,
    siteId,
    actor: { userId: actor.userId, role: actor.role },
    occurredAt,
    recordedAt,
    correlationId,
    causationId,
    submissionId,
    amends: amends ? { eventId: amends.eventId, reason: amends.reason } : null,
    data,
  });
  if (json === undefined) throw new TypeError('event fields cannot be serialised to JSON');
  return json;
}

export function computeEventHash(fields: ChainedEventFields): string {
  return createHash('sha256').update(canonicalize(fields), 'utf8').digest('hex');
}
