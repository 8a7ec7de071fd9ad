import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import type { EventEnvelope } from '@trialstream/domain';
import type { AppendOutcome, StoredSubmission, SubmissionClaim } from './contracts';
import { GENESIS_HASH, computeEventHash, newEventSalts } from './hash-chain';
import type { PreparedAppend } from './prepared-append';
import { ConcurrentWriteError } from './retryable-errors';
import { chainedFields } from './row-mapping';
import { EVENT_POSITIONS_SEQUENCE, EVENT_SALTS_TABLE, EVENTS_TABLE, STREAMS_TABLE, SUBMISSIONS_TABLE } from './schema';
import { inOneRoundTrip, namedStatement } from './sql';

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
  /** The JSON text of each new event's data, in `newEvents` order: sent as checked, never serialised again. */
  readonly dataJson: string[] = [];
  // Kept apart from the envelopes: a salt never leaves the write path except into its own table.
  readonly salts: string[] = [];
  readonly claims: Array<{ claim: SubmissionClaim; streamId: string }> = [];
  readonly movedHeads = new Map<string, StreamHead>();
  /** Answers that carry global positions, resolved once the events have them. */
  readonly afterPositions: Array<() => void> = [];

  constructor(
    private readonly heads: ReadonlyMap<string, StreamHead>,
    private readonly conditions: ReadonlyMap<string, number>,
    private readonly stored: Map<string, StoredSubmission>,
    private readonly recordedAt: string,
    /** Fresh salts, one per event of the batch, drawn at once; each appended event takes the next. */
    private readonly freshSalts: readonly string[],
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
    if (earlier.response === undefined) this.afterPositions.push(() => (duplicate.response = earlier.response));
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
    const salts = this.freshSalts.slice(this.salts.length, this.salts.length + request.events.length);
    const events = chainEvents(request, head, this.recordedAt, salts);
    this.newEvents.push(...events);
    this.salts.push(...salts);
    for (const draft of request.events) this.dataJson.push(draft.dataJson);
    const last = events[events.length - 1];
    const streamVersion = last ? last.streamVersion : head.version;
    if (last) this.movedHeads.set(request.streamId, { version: last.streamVersion, lastHash: last.hash });
    const { submission } = request;
    if (!submission) return { status: 'appended', events, streamVersion };
    // The answer is resolved once the events have their global positions, so that it carries them.
    const claim: SubmissionClaim = { ...submission, response: undefined };
    const outcome = { status: 'appended' as const, events, streamVersion, response: undefined as unknown };
    this.afterPositions.push(() => (outcome.response = claim.response = resolveResponse(submission, events)));
    // A later request in this batch reusing the id is a duplicate of this one.
    this.stored.set(submissionKey(submission.scope, submission.id), claim);
    this.claims.push({ claim, streamId: request.streamId });
    return outcome;
  }

  /** Gives the new events the positions and transaction id allocated for the batch, then resolves the answers. */
  assignPositions({ positions, transactionId }: Allocation): void {
    this.newEvents.forEach((event, index) => {
      event.globalPosition = positions[index];
      event.transactionId = transactionId;
    });
    for (const resolve of this.afterPositions) resolve();
  }
}

/** The statements that open and close the transaction a batch is written in, when the writer owns it. */
export interface TransactionFrame {
  begin: string;
  commit: string;
}

/**
 * Writes one batch and returns each request's outcome, in the caller's order: inside the caller's open
 * transaction, or, given a frame, in a transaction of its own that it opens with its first statement and
 * commits with its last. Requests are applied in stream-id order (stable), each seeing the ones before
 * it, so two requests at the same expected version yield one append and one conflict, as separate
 * commits would. Two round trips (BEGIN and COMMIT go with them): lock and read, then write (see each).
 * Throws a retryable error when a concurrent transaction claimed one of the submission ids first or
 * created one of the new streams.
 */
export async function writeBatch(
  runner: QueryRunner,
  batch: readonly PreparedAppend[],
  recordedAt: Date,
  frame?: TransactionFrame,
): Promise<AppendOutcome[]> {
  const order = batch.map((_, index) => index).sort((a, b) => byCodeUnits(batch[a].streamId, batch[b].streamId) || a - b);
  const { heads, conditions, stored: seen, waited, allocation } = await lockHeadsAndConditions(runner, batch, frame?.begin);
  // A resubmission that waited behind the original's transaction for a head must see the original's
  // submission and answer 'duplicate', not 'conflict': the locking statement's snapshot predates that
  // commit, so the submissions are read again, in a statement of their own, exactly then.
  const stored = waited ? await loadStoredSubmissions(runner, batch) : seen;

  const salts = newEventSalts(allocation.positions.length);
  const progress = new BatchProgress(heads, conditions, stored, recordedAt.toISOString(), salts);
  const outcomes = new Array<AppendOutcome>(batch.length);
  for (const index of order) outcomes[index] = progress.outcomeOf(batch[index]);

  progress.assignPositions(allocation);
  await insertEventsAndClaims(runner, progress, recordedAt, frame?.commit);
  return outcomes;
}

function resolveResponse(submission: SubmissionClaim, events: EventEnvelope[]): unknown {
  const response = submission.response;
  return typeof response === 'function' ? (response as (stored: EventEnvelope[]) => unknown)(events) : response;
}

/** The request's events chained onto `head`, each hashed with its salt (`salts[i]` for event i). */
function chainEvents(request: PreparedAppend, head: StreamHead, recordedAt: string, salts: readonly string[]): EventEnvelope[] {
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
    envelope.hash = computeEventHash(chainedFields(envelope), salts[offset]);
    previousHash = envelope.hash;
    return envelope;
  });
}

const claimsOf = (batch: readonly PreparedAppend[]) => batch.flatMap((request) => (request.submission ? [request.submission] : []));

const STORED_SUBMISSIONS_SQL = (scopes: string, ids: string) =>
  `SELECT s.scope, s.submission_id, s.request_hash, s.response
     FROM ${SUBMISSIONS_TABLE} s
     JOIN unnest(${scopes}::text[], ${ids}::text[]) AS k(scope, submission_id) USING (scope, submission_id)`;

const STORED_SUBMISSIONS = namedStatement('event-store/stored-submissions', STORED_SUBMISSIONS_SQL('$1', '$2'));

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
  const [rows] = await inOneRoundTrip(runner, [
    { statement: STORED_SUBMISSIONS, values: [claims.map((claim) => claim.scope), claims.map((claim) => claim.id)] },
  ]);
  return storedSubmissions(rows as SubmissionRow[]);
}

/** Global positions taken from the events' sequence for the batch (ascending), and the transaction's id. */
interface Allocation {
  positions: string[];
  transactionId: string;
}

interface LockedHeads {
  heads: Map<string, StreamHead>;
  conditions: Map<string, number>;
  /** The batch's submissions already stored, as of the statement's snapshot. */
  stored: Map<string, StoredSubmission>;
  /** True when a written head moved between the statement's snapshot and its lock (it waited for a writer). */
  waited: boolean;
  /**
   * One position per event of the batch: answers carry positions, so they are known before the insert.
   * Those of events not appended (conflicts, duplicates) stay unused, as a rolled-back insert's always did.
   */
  allocation: Allocation;
}

/**
 * One statement (one round trip per group commit) that, in this order: creates the head rows of new
 * streams, so that a second writer creating the same stream waits on that row instead of writing version
 * 1 a second time; locks the batch's own existing stream heads for update and share-locks the heads its
 * appends are conditioned on, each in stream-id order, so every writer takes its locks in the same order;
 * reads the batch's stored submissions; and takes a global position for each of the batch's events.
 * (UNION ALL runs its branches in order, and each branch runs its CTE to completion.) A head row created
 * here is not visible to the locking reads of the same statement, and needs no lock: nobody else sees it
 * before this transaction commits. A head another writer created meanwhile is seen by neither, and the
 * batch starts over. A locked row is its newest version while the statement's other reads see its
 * snapshot: a head whose two versions differ was moved by a transaction that committed while this one waited.
 */
const LOCK_HEADS_AND_CONDITIONS = namedStatement(
  'event-store/lock-heads-and-conditions',
  `WITH created AS (
     INSERT INTO ${STREAMS_TABLE} (stream_id, version, last_hash)
     SELECT stream_id, 0, $6::char(64) FROM unnest($5::text[]) AS s(stream_id)
     ON CONFLICT (stream_id) DO NOTHING
     RETURNING stream_id, version, last_hash
   ), written AS (
     SELECT stream_id, version, last_hash FROM ${STREAMS_TABLE}
      WHERE stream_id = ANY($1::text[])
      ORDER BY stream_id COLLATE "C"
        FOR UPDATE
   ), conditioned AS (
     SELECT stream_id, version, last_hash FROM ${STREAMS_TABLE}
      WHERE stream_id = ANY($2::text[])
      ORDER BY stream_id COLLATE "C"
        FOR SHARE
   ), stored AS (${STORED_SUBMISSIONS_SQL('$3', '$4')})
   SELECT 'head' AS kind, stream_id, version, last_hash, false AS moved, NULL::jsonb AS detail
     FROM created
   UNION ALL
   SELECT 'head', w.stream_id, w.version, w.last_hash,
          w.version IS DISTINCT FROM (SELECT s.version FROM ${STREAMS_TABLE} s WHERE s.stream_id = w.stream_id),
          NULL
     FROM written w
   UNION ALL
   SELECT 'condition', stream_id, version, last_hash, false, NULL FROM conditioned
   UNION ALL
   SELECT 'submission', NULL, NULL, NULL, false, to_jsonb(stored) FROM stored
   UNION ALL
   SELECT 'allocation', NULL, NULL, NULL, false,
          jsonb_build_object(
            'transactionId', pg_current_xact_id()::text,
            'positions', ARRAY(SELECT nextval('${EVENT_POSITIONS_SEQUENCE}')::text FROM generate_series(1, $7::int)))`,
);

/** Sends the locking statement, after `begin` in the same round trip when given. */
async function lockHeadsAndConditions(runner: QueryRunner, batch: readonly PreparedAppend[], begin?: string): Promise<LockedHeads> {
  const heads = new Map<string, StreamHead>();
  const conditions = new Map<string, number>();
  const written = distinctSorted(batch.map((request) => request.streamId));
  const writtenSet = new Set(written);
  const conditioned = distinctSorted(
    batch.flatMap((request) => (request.condition && !writtenSet.has(request.condition.streamId) ? [request.condition.streamId] : [])),
  );
  const created = distinctSorted([
    ...batch.filter((request) => request.expectedVersion === 0).map((request) => request.streamId),
    // A condition on a version above 0 names a stream that has a head row already (heads are never removed).
    ...batch.flatMap((request) => (request.condition?.version === 0 ? [request.condition.streamId] : [])),
  ]);
  const claims = claimsOf(batch);
  const eventCount = batch.reduce((count, request) => count + request.events.length, 0);
  const values = [
    written,
    conditioned,
    claims.map((claim) => claim.scope),
    claims.map((claim) => claim.id),
    created,
    GENESIS_HASH,
    eventCount,
  ];
  const answers = await inOneRoundTrip(runner, [...(begin ? [begin] : []), { statement: LOCK_HEADS_AND_CONDITIONS, values }]);
  const rows = answers[answers.length - 1] as Array<{
    kind: 'head' | 'condition' | 'submission' | 'allocation';
    stream_id: string;
    version: number;
    last_hash: string;
    moved: boolean;
    detail: unknown;
  }>;
  let waited = false;
  let allocation: Allocation = { positions: [], transactionId: '' };
  const submissions: SubmissionRow[] = [];
  for (const row of rows) {
    if (row.kind === 'submission') submissions.push(row.detail as SubmissionRow);
    else if (row.kind === 'allocation') allocation = row.detail as Allocation;
    // A created head only a condition names is that condition's version 0, taken below.
    else if (row.kind === 'head') heads.set(row.stream_id, { version: row.version, lastHash: row.last_hash });
    else conditions.set(row.stream_id, row.version);
    waited ||= row.moved;
  }
  const raced = created.find((streamId) => !heads.has(streamId) && !conditions.has(streamId));
  if (raced !== undefined) {
    // Another writer created the head after this statement's snapshot: its version is unknown here.
    throw new ConcurrentWriteError(`stream ${raced} was created by a concurrent transaction`);
  }
  for (const request of batch) {
    const streamId = request.condition?.streamId;
    const head = streamId === undefined ? undefined : heads.get(streamId);
    if (streamId !== undefined && head) conditions.set(streamId, head.version);
  }
  return { heads, conditions, stored: storedSubmissions(submissions), waited, allocation };
}

/**
 * One statement per flush: every event in one insert at the positions allocated for it (with its salt
 * in the salts table), every moved stream head, and every claimed submission id. A submission id a
 * concurrent transaction claimed first fails the whole statement on its unique key (so that a COMMIT
 * sent behind it rolls back instead of storing the events without their claim).
 */
const INSERT_EVENTS_AND_CLAIMS = namedStatement(
  'event-store/insert-events-and-claims',
  `WITH moved_heads AS (
     UPDATE ${STREAMS_TABLE} AS s SET version = h.version, last_hash = h.last_hash
       FROM unnest($19::text[], $20::int[], $21::text[]) AS h(stream_id, version, last_hash)
      WHERE s.stream_id = h.stream_id
   ), kept_salts AS (
     INSERT INTO ${EVENT_SALTS_TABLE} (event_id, salt) SELECT * FROM unnest($2::uuid[], $23::text[])
   ), stored_events AS (
     INSERT INTO ${EVENTS_TABLE} (
       global_position, event_id, stream_id, stream_version, type, schema_version, site_id, actor_id,
       actor_role, occurred_at, recorded_at, correlation_id, causation_id, submission_id, amends_event_id,
       amends_reason, data, previous_hash, hash)
     OVERRIDING SYSTEM VALUE
     SELECT e.global_position, e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version, e.site_id,
            e.actor_id, e.actor_role, e.occurred_at, $22::timestamptz, e.correlation_id, e.causation_id,
            e.submission_id, e.amends_event_id, e.amends_reason, e.data, e.previous_hash, e.hash
       FROM ROWS FROM (
              unnest($1::bigint[]), unnest($2::uuid[]), unnest($3::text[]), unnest($4::int[]), unnest($5::text[]),
              unnest($6::int[]), unnest($7::text[]), unnest($8::text[]), unnest($9::text[]), unnest($10::text[]),
              unnest($11::uuid[]), unnest($12::uuid[]), unnest($13::text[]), unnest($14::uuid[]), unnest($15::text[]),
              jsonb_array_elements($16::jsonb), unnest($17::text[]), unnest($18::text[]))
         AS e(global_position, event_id, stream_id, stream_version, type, schema_version, site_id, actor_id,
              actor_role, occurred_at, correlation_id, causation_id, submission_id, amends_event_id, amends_reason,
              data, previous_hash, hash)
   )
   INSERT INTO ${SUBMISSIONS_TABLE} (scope, submission_id, request_hash, stream_id, response, recorded_at)
   SELECT scope, submission_id, request_hash, stream_id, response, $22::timestamptz
     FROM unnest($24::text[], $25::text[], $26::text[], $27::text[], $28::jsonb[])
       AS c(scope, submission_id, request_hash, stream_id, response)`,
);

/**
 * The statement's parameters: one array per event column ($1-$18; the data as one JSON array, whose
 * elements are the texts the requests were checked as), the moved heads ($19-$21), the time, the salts
 * and the claims ($24-$28).
 */
function insertParameters(progress: BatchProgress, recordedAt: Date): unknown[] {
  const events = progress.newEvents;
  const column = <T>(pick: (event: EventEnvelope) => T) => events.map(pick);
  const heads = [...progress.movedHeads.entries()];
  const claims = progress.claims;
  return [
    column((e) => e.globalPosition),
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
    `[${progress.dataJson.join(',')}]`,
    column((e) => e.previousHash),
    column((e) => e.hash),
    heads.map(([streamId]) => streamId),
    heads.map(([, head]) => head.version),
    heads.map(([, head]) => head.lastHash),
    recordedAt,
    progress.salts,
    claims.map(({ claim }) => claim.scope),
    claims.map(({ claim }) => claim.id),
    claims.map(({ claim }) => claim.requestHash),
    claims.map(({ streamId }) => streamId),
    claims.map(({ claim }) => JSON.stringify(claim.response)),
  ];
}

const SUBMISSIONS_KEY = 'submissions_pkey';

/** Sends the writing statement, with `commit` behind it in the same round trip when given. */
async function insertEventsAndClaims(runner: QueryRunner, progress: BatchProgress, recordedAt: Date, commit?: string): Promise<void> {
  const write =
    progress.newEvents.length === 0 && progress.claims.length === 0
      ? []
      : [{ statement: INSERT_EVENTS_AND_CLAIMS, values: insertParameters(progress, recordedAt) }];
  const statements = [...write, ...(commit ? [commit] : [])];
  if (statements.length === 0) return;
  try {
    await inOneRoundTrip(runner, statements);
  } catch (error) {
    if ((error as { constraint?: string }).constraint === SUBMISSIONS_KEY) {
      // The unique key decided for a concurrent transaction: the retry will answer 'duplicate'.
      throw new ConcurrentWriteError('a submission id was claimed by a concurrent transaction');
    }
    throw error;
  }
}
