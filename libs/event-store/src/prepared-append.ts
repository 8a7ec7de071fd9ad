import { randomUUID } from 'node:crypto';
import { ROLES, type Actor, type EventDraft, type EventEnvelope } from '@trialstream/domain';
import { InvalidAppendRequestError, type AppendRequest, type SubmissionClaim } from './contracts';

/** An append request checked and normalised before it may join a batch, so one bad request cannot sink others. */
export interface PreparedAppend {
  streamId: string;
  expectedVersion: number;
  events: EventDraft[];
  siteId: string | null;
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  submission: SubmissionClaim | null;
  condition: { streamId: string; version: number } | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** ISO 8601 calendar date, optionally with a time and offset, as sites report clinical time. */
const ISO_DATE_OR_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

function fail(field: string, message: string): never {
  throw new InvalidAppendRequestError(field, message);
}

function nonEmptyString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(field, 'must be a non-empty string');
  return value;
}

function uuid(value: unknown, field: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) fail(field, 'must be a UUID');
  return value.toLowerCase();
}

/** What jsonb will store and give back: hashing this form keeps the chain verifiable after a round trip. */
function asStoredJson(value: unknown, field: string): unknown {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    fail(field, `is not JSON-serialisable (${(error as Error).message})`);
  }
  if (json === undefined) fail(field, 'is not JSON-serialisable');
  if (json.includes('\\u0000')) fail(field, 'contains a NUL character, which jsonb cannot store');
  return JSON.parse(json);
}

function prepareDraft(draft: EventDraft, index: number): EventDraft {
  const at = `events[${index}]`;
  const type = nonEmptyString(draft?.type, `${at}.type`);
  if (!Number.isInteger(draft.schemaVersion) || draft.schemaVersion < 1) {
    fail(`${at}.schemaVersion`, 'must be a positive integer');
  }
  if (typeof draft.occurredAt !== 'string' || !ISO_DATE_OR_DATE_TIME.test(draft.occurredAt)) {
    fail(`${at}.occurredAt`, 'must be an ISO 8601 date or date-time');
  }
  const prepared: EventDraft = {
    type,
    schemaVersion: draft.schemaVersion,
    occurredAt: draft.occurredAt,
    data: asStoredJson(draft.data ?? null, `${at}.data`),
  };
  if (draft.amends) {
    prepared.amends = {
      eventId: uuid(draft.amends.eventId, `${at}.amends.eventId`),
      reason: nonEmptyString(draft.amends.reason, `${at}.amends.reason`),
    };
  }
  return prepared;
}

function prepareSubmission(submission: SubmissionClaim | undefined): SubmissionClaim | null {
  if (!submission) return null;
  return {
    scope: nonEmptyString(submission.scope, 'submission.scope'),
    id: nonEmptyString(submission.id, 'submission.id'),
    requestHash: nonEmptyString(submission.requestHash, 'submission.requestHash'),
    response:
      typeof submission.response === 'function'
        ? (events: EventEnvelope[]) =>
            asStoredJson((submission.response as (e: EventEnvelope[]) => unknown)(events) ?? null, 'submission.response')
        : asStoredJson(submission.response ?? null, 'submission.response'),
  };
}

function prepareCondition(condition: AppendRequest['condition']): PreparedAppend['condition'] {
  if (condition === undefined) return null;
  const streamId = nonEmptyString(condition.streamId, 'condition.streamId');
  if (!Number.isInteger(condition.version) || condition.version < 0) fail('condition.version', 'must be a non-negative integer');
  return { streamId, version: condition.version };
}

export function prepareAppend(request: AppendRequest): PreparedAppend {
  const streamId = nonEmptyString(request.streamId, 'streamId');
  if (!Number.isInteger(request.expectedVersion) || request.expectedVersion < 0) {
    fail('expectedVersion', 'must be a non-negative integer');
  }
  if (!Array.isArray(request.events)) fail('events', 'must be an array');
  if (request.siteId !== null && (typeof request.siteId !== 'string' || request.siteId.length === 0)) {
    fail('siteId', 'must be a non-empty string or null');
  }
  const userId = nonEmptyString(request.actor?.userId, 'actor.userId');
  if (!ROLES.includes(request.actor.role)) fail('actor.role', `must be one of ${ROLES.join(', ')}`);
  return {
    streamId,
    expectedVersion: request.expectedVersion,
    events: request.events.map(prepareDraft),
    siteId: request.siteId,
    actor: { userId, role: request.actor.role },
    correlationId: request.correlationId === undefined ? randomUUID() : uuid(request.correlationId, 'correlationId'),
    causationId: request.causationId == null ? null : uuid(request.causationId, 'causationId'),
    submission: prepareSubmission(request.submission),
    condition: prepareCondition(request.condition),
  };
}
