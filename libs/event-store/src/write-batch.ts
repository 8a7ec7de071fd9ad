import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import type { EventEnvelope } from '@trialstream/domain';
import type { AppendOutcome, StoredSubmission, SubmissionClaim } from './contracts';
import { GENESIS_HASH, computeEventHash, newEventSalt } from './hash-chain';
import { KnownStreamHeads } from './known-stream-heads';
import type { PreparedAppend } from './prepared-append';
import { ConcurrentWriteError } from './retryable-errors';
import { COMMITS_CHANNEL } from './commit-notifications';
import { chainedFields } from './row-mapping';
import { EVENT_SALTS_TABLE, EVENTS_TABLE, STREAMS_TABLE, SUBMISSIONS_TABLE } from './schema';
import { rowsOf } from './sql';

interface StreamHead {
  version: number;
  lastHash: string;
}

interface SubmissionRow {
  scope: string;
  submission_id: string;
  request_hash: string;
  response: unknown;
}

const submissionKey = (scope: string, id: string) => `${scope}\u0000${id}`;
/** Code-unit order, which is what `COLLATE "C"` gives: every writer locks streams in the same order. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const distinctSorted = (values: string[]) => [...new Set(values)].sort(byCodeUnits);

/** What one batch has decided so far: each request sees the ones applied before it. */
class BatchProgress {
  readonly newEvents: EventEnvelope[] = [];
  // Kept apart from the envelopes: a salt never leaves the write path except into its own table.
  readonly salts = new Map<string, string>();
  readonly claims: Array<{ claim: SubmissionClaim; streamId: string }> = [];
  readonly movedHeads = new Map<string, StreamHead>();
  /** Answers that carry global positions, resolved once the events are inserted. */
  readonly afterInsert: Array<() => void> = [];

  constructor(
    private readonly heads: ReadonlyMap<string, StreamHead>,
    private readonly conditions: ReadonlyMap<string, number>,
    private readonly stored: Map<string, StoredSubmission>,
    private readonly recordedAt: string,
  ) {}

  outcomeOf(request: PreparedAppend): AppendOutcome {
    return this.duplicateOf(request) ?? this.conflictOf(request) ?? this.append(request);
  }

  /** A submission id seen before (stored, or earlier in this batch) gets the first answer and stores nothing. */
  private duplicateOf({ submission }: PreparedAppend): AppendOutcome | undefined {
    const earlier = submission ? this.stored.get(submissionKey(submission.scope, submission.id)) : undefined;
    if (!submission || !earlier) return undefined;
    const duplicate = {
      status: 'duplicate' as const,
      response: earlier.response,
      requestHashMatches: earlier.requestHash === submission.requestHash,
    };
    // A duplicate of a request in this batch gets that request's answer once its events have positions.
    if (earlier.response === undefined) this.afterInsert.push(() => (duplicate.response = earlier.response));
    return duplicate;
  }

  /** The stream the append is conditioned on moved, or the stream itself is not at the expected version. */
  private conflictOf(request: PreparedAppend): AppendOutcome | undefined {
    if (request.condition) {
      const { streamId, version } = request.condition;
      const actual = this.movedHeads.get(streamId)?.version ?? this.conditions.get(streamId) ?? 0;
      if (actual !== version) return { status: 'conflict', expectedVersion: version, actualVersion: actual, conditionStreamId: streamId };
    }
    const head = this.headOf(request.streamId);
    if (head.version !== request.expectedVersion) {
      return { status: 'conflict', expectedVersion: request.expectedVersion, actualVersion: head.version };
    }
    return undefined;
  }

  private headOf(streamId: string): StreamHead {
    return this.movedHeads.get(streamId) ?? this.heads.get(streamId) ?? { version: 0, lastHash: GENESIS_HASH };
  }

  /** Chains the request's events onto its stream's head and claims its submission id. */
  private append(request: PreparedAppend): AppendOutcome {
    if (!this.heads.has(request.streamId) && request.events.length > 0) {
      // The head row should exist (created above, or by a writer that committed meanwhile): start over.
      throw new ConcurrentWriteError(`stream ${request.streamId} has no head row to lock`);
    }
    const head = this.headOf(request.streamId);
    const events = chainEvents(request, head, this.recordedAt, this.salts);
    this.newEvents.push(...events);
    const last = events[events.length - 1];
    const streamVersion = last ? last.streamVersion : head.version;
    if (last) this.movedHeads.set(request.streamId, { version: last.streamVersion, lastHash: last.hash });
    const { submission } = request;
    if (!submission) return { status: 'appended', events, streamVersion };
    // The answer is resolved once the events are inserted, so that it carries their global positions.
    const claim: SubmissionClaim = { ...submission, response: undefined };
    const outcome = { status: 'appended' as const, events, streamVersion, response: undefined as unknown };
    this.afterInsert.push(() => (outcome.response = claim.response = resolveResponse(submission, events)));
    // A later request in this batch reusing the id is a duplicate of this one.
    this.stored.set(submissionKey(submission.scope, submission.id), claim);
    this.claims.push({ claim, streamId: request.streamId });
    return outcome;
  }
}

export interface WrittenBatch {
  /** Each request's outcome, in the caller's order. */
  outcomes: AppendOutcome[];
  /** The streams conditioned on at version 0, whose head rows exist once the batch commits. */
  conditionHeads: string[];
}

/**
 * Writes one batch inside the caller's open transaction and returns each request's outcome, in the
 * caller's order. Requests are applied in stream-id order (stable), each seeing the ones before it, so
 * two requests at the same expected version yield one append and one conflict, as separate commits would.
 * Throws a retryable error when a concurrent transaction claimed one of the submission ids first.
 */
export async function writeBatch(
  runner: QueryRunner,
  batch: readonly PreparedAppend[],
  recordedAt: Date,
  knownHeads: KnownStreamHeads = new KnownStreamHeads(),
  announcedAs = '',
): Promise<WrittenBatch> {
  const order = batch.map((_, index) => index).sort((a, b) => byCodeUnits(batch[a].streamId, batch[b].streamId) || a - b);
  // A condition on a version above 0 names a stream that has a head row already (heads are never removed);
  // one at version 0 needs its row, to share-lock it, and has it once a committed batch found or created it.
  const conditionedAtZero = distinctSorted(
    batch.flatMap((request) => (request.condition?.version === 0 ? [request.condition.streamId] : [])),
  );
  await createMissingStreams(runner, [
    ...batch.filter((request) => request.expectedVersion === 0).map((request) => request.streamId),
    ...conditionedAtZero.filter((streamId) => !knownHeads.has(streamId)),
  ]);
  let locked = await lockHeadsAndConditions(runner, batch);
  const missing = conditionedAtZero.filter((streamId) => !locked.conditions.has(streamId));
  if (missing.length > 0) {
    // Known, yet not there (a database restored under a running writer): created now, and locked with the rest again.
    await createMissingStreams(runner, missing);
    locked = await lockHeadsAndConditions(runner, batch);
  }
  const { heads, conditions, stored: seen, waited } = locked;
  // A resubmission that waited behind the original's transaction for a head must see the original's
  // submission and answer 'duplicate', not 'conflict': the locking statement's snapshot predates that
  // commit, so the submissions are read again, in a statement of their own, exactly then.
  const stored = waited ? await loadStoredSubmissions(runner, batch) : seen;

  const progress = new BatchProgress(heads, conditions, stored, recordedAt.toISOString());
  const outcomes = new Array<AppendOutcome>(batch.length);
  for (const index of order) outcomes[index] = progress.outcomeOf(batch[index]);

  await insertEventsAndMoveHeads(runner, progress.newEvents, progress.salts, progress.movedHeads, recordedAt, announcedAs);
  for (const resolve of progress.afterInsert) resolve();
  await claimSubmissions(runner, progress.claims, recordedAt);
  return { outcomes, conditionHeads: conditionedAtZero };
}

function resolveResponse(submission: SubmissionClaim, events: EventEnvelope[]): unknown {
  const response = submission.response;
  return typeof response === 'function' ? (response as (stored: EventEnvelope[]) => unknown)(events) : response;
}

function chainEvents(request: PreparedAppend, head: StreamHead, recordedAt: string, salts: Map<string, string>): EventEnvelope[] {
  let previousHash = head.lastHash;
  return request.events.map((draft, offset) => {
    const envelope: EventEnvelope = {
      eventId: randomUUID(),
      type: draft.type,
      schemaVersion: draft.schemaVersion,
      streamId: request.streamId,
      streamVersion: head.version + offset + 1,
      globalPosition: '',
      transactionId: '',
      siteId: request.siteId,
      actor: request.actor,
      occurredAt: draft.occurredAt,
      recordedAt,
      correlationId: request.correlationId,
      causationId: request.causationId,
      submissionId: request.submission?.id ?? null,
      amends: draft.amends ?? null,
      data: draft.data,
      previousHash,
      hash: '',
    };
    const salt = newEventSalt();
    salts.set(envelope.eventId, salt);
    envelope.hash = computeEventHash(chainedFields(envelope), salt);
    previousHash = envelope.hash;
    return envelope;
  });
}

const claimsOf = (batch: readonly PreparedAppend[]) => batch.flatMap((request) => (request.submission ? [request.submission] : []));

const STORED_SUBMISSIONS = (scopes: string, ids: string) =>
  `SELECT s.scope, s.submission_id, s.request_hash, s.response
     FROM ${SUBMISSIONS_TABLE} s
     JOIN unnest(${scopes}::text[], ${ids}::text[]) AS k(scope, submission_id) USING (scope, submission_id)`;

function storedSubmissions(rows: readonly SubmissionRow[]): Map<string, StoredSubmission> {
  const stored = new Map<string, StoredSubmission>();
  for (const row of rows) {
    stored.set(submissionKey(row.scope, row.submission_id), { requestHash: row.request_hash, response: row.response });
  }
  return stored;
}

async function loadStoredSubmissions(runner: QueryRunner, batch: readonly PreparedAppend[]): Promise<Map<string, StoredSubmission>> {
  const claims = claimsOf(batch);
  if (claims.length === 0) return new Map();
  return storedSubmissions(
    await rowsOf<SubmissionRow>(runner, STORED_SUBMISSIONS('$1', '$2'), [
      claims.map((claim) => claim.scope),
      claims.map((claim) => claim.id),
    ]),
  );
}

/**
 * A new stream gets its head row before anything else, so that a second writer creating the same
 * stream waits on this row instead of writing version 1 a second time.
 */
async function createMissingStreams(runner: QueryRunner, streamIds: readonly string[]): Promise<void> {
  if (streamIds.length === 0) return;
  await rowsOf(
    runner,
    `INSERT INTO ${STREAMS_TABLE} (stream_id, version, last_hash)
     SELECT stream_id, 0, $2::char(64) FROM unnest($1::text[]) AS s(stream_id)
     ON CONFLICT (stream_id) DO NOTHING`,
    [distinctSorted([...streamIds]), GENESIS_HASH],
  );
}

interface LockedHeads {
  heads: Map<string, StreamHead>;
  conditions: Map<string, number>;
  /** The batch's submissions already stored, as of the statement's snapshot. */
  stored: Map<string, StoredSubmission>;
  /** True when a written head moved between the statement's snapshot and its lock (it waited for a writer). */
  waited: boolean;
}

/**
 * Locks the batch's own stream heads for update and share-locks the heads its appends are conditioned on,
 * and reads the batch's stored submissions, in one statement (one round trip per group commit): first the
 * written heads, then the others, each in stream-id order, so every writer takes its locks in the same
 * order. A stream that is both written and a condition takes its version from its locked head. A locked
 * row is its newest version while the statement's other reads see its snapshot: a head whose two versions
 * differ was moved by a transaction that committed while this one waited.
 */
async function lockHeadsAndConditions(runner: QueryRunner, batch: readonly PreparedAppend[]): Promise<LockedHeads> {
  const heads = new Map<string, StreamHead>();
  const conditions = new Map<string, number>();
  const written = distinctSorted(batch.map((request) => request.streamId));
  const writtenSet = new Set(written);
  const conditioned = distinctSorted(
    batch.flatMap((request) => (request.condition && !writtenSet.has(request.condition.streamId) ? [request.condition.streamId] : [])),
  );
  const claims = claimsOf(batch);
  const rows = await rowsOf<{
    stream_id: string;
    version: number;
    last_hash: string;
    written: boolean;
    moved: boolean;
    submission: SubmissionRow | null;
  }>(
    runner,
    `WITH written AS (
       SELECT stream_id, version, last_hash FROM ${STREAMS_TABLE}
        WHERE stream_id = ANY($1::text[])
        ORDER BY stream_id COLLATE "C"
          FOR UPDATE
     ), conditioned AS (
       SELECT stream_id, version, last_hash FROM ${STREAMS_TABLE}
        WHERE stream_id = ANY($2::text[])
        ORDER BY stream_id COLLATE "C"
          FOR SHARE
     ), stored AS (${STORED_SUBMISSIONS('$3', '$4')})
     SELECT w.stream_id, w.version, w.last_hash, true AS written,
            w.version IS DISTINCT FROM (SELECT s.version FROM ${STREAMS_TABLE} s WHERE s.stream_id = w.stream_id) AS moved,
            NULL::jsonb AS submission
       FROM written w
     UNION ALL
     SELECT stream_id, version, last_hash, false, false, NULL FROM conditioned
     UNION ALL
     SELECT NULL, NULL, NULL, false, false, to_jsonb(stored) FROM stored`,
    [written, conditioned, claims.map((claim) => claim.scope), claims.map((claim) => claim.id)],
  );
  let waited = false;
  const submissions: SubmissionRow[] = [];
  for (const row of rows) {
    if (row.submission) submissions.push(row.submission);
    else if (row.written) heads.set(row.stream_id, { version: row.version, lastHash: row.last_hash });
    else conditions.set(row.stream_id, row.version);
    waited ||= row.moved;
  }
  for (const request of batch) {
    const streamId = request.condition?.streamId;
    const head = streamId === undefined ? undefined : heads.get(streamId);
    if (streamId !== undefined && head) conditions.set(streamId, head.version);
  }
  return { heads, conditions, stored: storedSubmissions(submissions), waited };
}

async function claimSubmissions(
  runner: QueryRunner,
  claims: Array<{ claim: SubmissionClaim; streamId: string }>,
  recordedAt: Date,
): Promise<void> {
  if (claims.length === 0) return;
  const inserted = await rowsOf(
    runner,
    `INSERT INTO ${SUBMISSIONS_TABLE} (scope, submission_id, request_hash, stream_id, response, recorded_at)
     SELECT scope, submission_id, request_hash, stream_id, response, $6::timestamptz
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
         AS c(scope, submission_id, request_hash, stream_id, response)
     ON CONFLICT (scope, submission_id) DO NOTHING
     RETURNING submission_id`,
    [
      claims.map(({ claim }) => claim.scope),
      claims.map(({ claim }) => claim.id),
      claims.map(({ claim }) => claim.requestHash),
      claims.map(({ streamId }) => streamId),
      claims.map(({ claim }) => JSON.stringify(claim.response)),
      recordedAt,
    ],
  );
  if (inserted.length !== claims.length) {
    // The unique key decided for a concurrent transaction: the retry will answer 'duplicate'.
    throw new ConcurrentWriteError('a submission id was claimed by a concurrent transaction');
  }
}

const INSERT_EVENTS_AND_MOVE_HEADS = `WITH moved_heads AS (
       UPDATE ${STREAMS_TABLE} AS s SET version = h.version, last_hash = h.last_hash
         FROM unnest($18::text[], $19::int[], $20::text[]) AS h(stream_id, version, last_hash)
        WHERE s.stream_id = h.stream_id
     ), kept_salts AS (
       INSERT INTO ${EVENT_SALTS_TABLE} (event_id, salt) SELECT * FROM unnest($1::uuid[], $22::text[])
     ), announced AS (
       SELECT pg_notify('${COMMITS_CHANNEL}', $23::text)
     )
     INSERT INTO ${EVENTS_TABLE} (
       event_id, stream_id, stream_version, type, schema_version, site_id, actor_id, actor_role,
       occurred_at, recorded_at, correlation_id, causation_id, submission_id, amends_event_id,
       amends_reason, data, previous_hash, hash)
     SELECT e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version, e.site_id, e.actor_id,
            e.actor_role, e.occurred_at, $21::timestamptz, e.correlation_id, e.causation_id, e.submission_id,
            e.amends_event_id, e.amends_reason, e.data, e.previous_hash, e.hash
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::uuid[], $11::uuid[], $12::text[], $13::uuid[], $14::text[], $15::jsonb[],
                   $16::text[], $17::text[])
         AS e(event_id, stream_id, stream_version, type, schema_version, site_id, actor_id, actor_role,
              occurred_at, correlation_id, causation_id, submission_id, amends_event_id, amends_reason, data,
              previous_hash, hash)
       CROSS JOIN announced
     RETURNING event_id::text AS event_id, global_position::text AS global_position,
               transaction_id::text AS transaction_id`;

/**
 * The statement's parameters: one array per event column ($1-$17), the moved heads ($18-$20), the time, the salts
 * and who announces the commit.
 */
function insertParameters(
  events: EventEnvelope[],
  salts: ReadonlyMap<string, string>,
  movedHeads: ReadonlyMap<string, StreamHead>,
  recordedAt: Date,
  announcedAs: string,
): unknown[] {
  const column = <T>(pick: (event: EventEnvelope) => T) => events.map(pick);
  const heads = [...movedHeads.entries()];
  return [
    column((e) => e.eventId),
    column((e) => e.streamId),
    column((e) => e.streamVersion),
    column((e) => e.type),
    column((e) => e.schemaVersion),
    column((e) => e.siteId),
    column((e) => e.actor.userId),
    column((e) => e.actor.role),
    column((e) => e.occurredAt),
    column((e) => e.correlationId),
    column((e) => e.causationId),
    column((e) => e.submissionId),
    column((e) => e.amends?.eventId ?? null),
    column((e) => e.amends?.reason ?? null),
    column((e) => JSON.stringify(e.data)),
    column((e) => e.previousHash),
    column((e) => e.hash),
    heads.map(([streamId]) => streamId),
    heads.map(([, head]) => head.version),
    heads.map(([, head]) => head.lastHash),
    recordedAt,
    column((e) => salts.get(e.eventId)),
    announcedAs,
  ];
}

/**
 * One statement per flush: every event in a multi-row insert, every moved stream head and the commit's notification
 * (delivered by PostgreSQL only if the transaction commits) in the same round trip.
 */
async function insertEventsAndMoveHeads(
  runner: QueryRunner,
  events: EventEnvelope[],
  salts: ReadonlyMap<string, string>,
  movedHeads: ReadonlyMap<string, StreamHead>,
  recordedAt: Date,
  announcedAs: string,
): Promise<void> {
  if (events.length === 0) return;
  const rows = await rowsOf<{ event_id: string; global_position: string; transaction_id: string }>(
    runner,
    INSERT_EVENTS_AND_MOVE_HEADS,
    insertParameters(events, salts, movedHeads, recordedAt, announcedAs),
  );
  const assigned = new Map(rows.map((row) => [row.event_id, row]));
  for (const event of events) {
    const row = assigned.get(event.eventId);
    if (!row) throw new Error(`event ${event.eventId} was not inserted`);
    event.globalPosition = row.global_position;
    event.transactionId = row.transaction_id;
  }
}
