import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ApiError, currentRequestId } from '@trialstream/api-common';
import type { Principal } from '@trialstream/auth';
import { parseClinicalTime, protocolInForce, protocolVersionsFrom, TRIAL_RULE, trialStateFrom } from '@trialstream/domain';
import type {
  Actor,
  Decider,
  Decision,
  DecisionContext,
  EventDraft,
  EventEnvelope,
  ProtocolDefinition,
  RuleViolation,
  StreamFolding,
  TrialStreams,
} from '@trialstream/domain';
import type { PostgresEventStore } from '@trialstream/event-store';
import { stringify } from 'safe-stable-stringify';
import { KeyedMutex } from './keyed-mutex';
import { StreamCache } from './stream-cache';
import { submissionResponse, SubmissionResponse } from './submission-response';
import { CLOCK, PROTOCOL, TRIAL_STREAMS } from '@trialstream/config';
import { appendAtStreamHead, EVENT_STORE } from '@trialstream/event-store';

/** One decision against one stream: load, fold, authorize, decide, append. */
export interface StreamDecision<TState> {
  principal: Principal;
  streamId: string;
  /** The site the events belong to, for attribution; null for trial-level facts. */
  siteOf(state: TState): string | null;
  /** The client's id for this submission (retries are answered from the store). */
  submissionId: string;
  /** The version the client last saw; when given, a mismatch is a 409 instead of deciding again. */
  expectedVersion?: number;
  /** Identifies the request for the retry check: a reused id with another body is refused. */
  request: { kind: string; body: unknown };
  /** Echoed in the response, e.g. `{ patientId }`. */
  resource: Record<string, string>;
  /**
   * How the stream's events make its state: a decider's fold (`initialState` and `evolve`), whose state this
   * process keeps with the cached stream so that a write folds only the events since the last one; or a
   * function of the whole stream, called on every decision.
   */
  fold: StreamFolding<TState> | ((events: EventEnvelope[]) => TState);
  /** Throws an ApiError when the principal may not act on this stream (unknown patient, other site). */
  authorize(state: TState, events: EventEnvelope[]): void;
  /**
   * Writes to patient and site streams stop once the database is frozen or locked; an emergency
   * code-break must still be possible then, and the trial's own lifecycle is decided on its stream.
   */
  allowedWhenDatabaseClosed?: boolean;
  decide(state: TState, ctx: DecisionContext): Decision<EventDraft>;
}

/** The fold and the decision of a stream decision, from the stream kind's decider and one command. */
export const decisionBy = <TState, TCommand>(
  decider: Decider<TState, TCommand>,
  command: TCommand,
): Pick<StreamDecision<TState>, 'fold' | 'decide'> => ({
  fold: decider,
  decide: (state, ctx) => decider.decide(command, state, ctx),
});

interface Decided<TState> {
  state: TState;
  drafts: EventDraft[];
  trialCondition: { streamId: string; version: number } | undefined;
}

export interface WriteResult {
  /** True when the submission id had been seen: nothing new was stored. */
  replayed: boolean;
  response: SubmissionResponse;
}

/** Rules whose violation means "this already exists" rather than "this breaks the protocol". */
const CONFLICT_RULES = new Set([
  'already-enrolled',
  'already-randomized',
  'already-withdrawn',
  'already-activated',
  'already-verified',
  'already-frozen',
  'already-locked',
  'already-unblinded',
]);
/**
 * Without a client expectedVersion, a concurrent writer just means: decide again on the newer state. Writers in one
 * process queue per stream, but replicas' writers to one patient race, so attempts are spaced by a random wait.
 */
const MAX_ATTEMPTS = 10;
const raceBackoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * 2 ** attempt)));
/** Facts nobody decides on (a reader's own access records) only race with the same reader's other processes. */
const MAX_FACT_ATTEMPTS = 20;
/** Events of the streams kept as last read or written: a few thousand patients' histories, tens of MB. */
const CACHED_EVENTS = 50_000;

/** Facts appended without a decision: no submission id, no trial condition (reads stay possible once locked). */
export interface FactAppend {
  streamId: string;
  events: EventDraft[];
  siteId: string | null;
  actor: Actor;
}

/**
 * The command an event answers, as a UUID: the same for every retry of one submission (a UUIDv8 over the
 * submitter and the client's submission id), so an auditor can group what one submission caused.
 */
export function submissionCausationId(scope: string, submissionId: string): string {
  const hex = createHash('sha256').update(`${scope}\n${submissionId}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function requestHash(request: StreamDecision<unknown>['request'], streamId: string): string {
  return createHash('sha256')
    .update(stringify({ kind: request.kind, streamId, body: request.body }) ?? '')
    .digest('hex');
}

function refusal(violations: RuleViolation[]): ApiError {
  if (violations.some((v) => CONFLICT_RULES.has(v.rule))) {
    return ApiError.conflict(
      violations.map((v) => `${v.field}: ${v.message}`).join('; '),
      violations.map(({ field, rule }) => ({ field, rule })),
    );
  }
  return ApiError.ruleViolations(violations);
}

const reusedId = () =>
  new ApiError(422, 'rule_violation', 'submissionId was already used for a different request', [
    { field: 'submissionId', rule: 'unique-per-request' },
  ]);

const staleVersion = (expected: number, actual: number) =>
  ApiError.conflict(`The patient's record is at version ${actual}, not ${expected}: reload it and submit again`, [
    { field: 'expectedVersion', rule: 'matches-current-version' },
  ]);

/**
 * The write side's single path from a decision to the log. Idempotent per (user, submissionId): a retry
 * whose decision succeeds again is answered from the store by the append (which checks the submission
 * under the stream's lock), and a refused decision is answered from the store when the submission was
 * stored, so a retry of an enrolment is not refused as "already enrolled".
 */
@Injectable()
export class StreamWriter {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Inject(PROTOCOL) private readonly protocol: ProtocolDefinition,
    @Inject(TRIAL_STREAMS) private readonly names: TrialStreams,
  ) {}

  private readonly streams = new KeyedMutex();
  private readonly cache = new StreamCache(CACHED_EVENTS);
  /**
   * The trial stream as this process last read it while the trial was open. A write conditioned on the
   * trial's version may decide on it: a stale copy (a lock or a new protocol version committed by any
   * process since) only makes the append conflict, which forgets it and decides again; so not every write
   * reads the whole trial stream first.
   */
  private openTrial: EventEnvelope[] | null = null;

  write<TState>(decision: StreamDecision<TState>): Promise<WriteResult> {
    return this.streams.run(decision.streamId, async () => {
      try {
        return await this.decideAndAppend(decision);
      } finally {
        if (decision.streamId === this.names.trial) this.openTrial = null;
      }
    });
  }

  /** Appends at the stream's current version, again on a newer one; false when it kept changing. */
  appendFacts(facts: FactAppend): Promise<boolean> {
    return this.streams.run(facts.streamId, async () => {
      if (facts.streamId === this.names.trial) this.openTrial = null;
      this.cache.forget(facts.streamId);
      return appendAtStreamHead(this.store, { ...facts, correlationId: currentRequestId() }, MAX_FACT_ATTEMPTS);
    });
  }

  private async decideAndAppend<TState>(decision: StreamDecision<TState>): Promise<WriteResult> {
    const scope = `user:${decision.principal.userId}`;
    const hash = requestHash(decision.request, decision.streamId);
    try {
      return await this.decideAndAppendAttempts(decision, scope, hash);
    } catch (error) {
      // Only a refusal needs the submission looked up first: a success is checked against it by the append.
      if (!(error instanceof ApiError)) throw error;
      const earlier = await this.store.findSubmission(scope, decision.submissionId);
      if (earlier) return this.replay(earlier.requestHash === hash, earlier.response);
      throw error;
    }
  }

  private async decideAndAppendAttempts<TState>(decision: StreamDecision<TState>, scope: string, hash: string): Promise<WriteResult> {
    const onTrialStream = decision.streamId === this.names.trial;
    const conditioned = !decision.allowedWhenDatabaseClosed && !onTrialStream;
    // The two reads are independent: one round trip of waiting instead of two.
    const [known, firstTrialRead] = await Promise.all([
      this.knownStream(decision.streamId),
      onTrialStream ? undefined : this.trialEvents(conditioned),
    ]);

    for (let attempt = 1; ; attempt++) {
      let events = attempt === 1 ? known.events : await this.readStream(decision.streamId);
      let trialEvents = onTrialStream ? events : attempt === 1 ? firstTrialRead! : await this.trialEvents(conditioned);
      let decided: Decided<TState>;
      try {
        decided = this.decideOn(decision, events, trialEvents, conditioned);
      } catch (error) {
        // A refusal stands only on the stream as stored now, not on a cached copy another process may have outgrown.
        if (!(attempt === 1 && known.cached && error instanceof ApiError)) throw error;
        events = await this.readStream(decision.streamId);
        if (onTrialStream) trialEvents = events;
        decided = this.decideOn(decision, events, trialEvents, conditioned);
      }
      const { state, drafts, trialCondition } = decided;

      const appended = await this.store.append({
        streamId: decision.streamId,
        expectedVersion: events.length,
        events: drafts,
        siteId: decision.siteOf(state),
        actor: { userId: decision.principal.userId, role: decision.principal.role },
        correlationId: currentRequestId(),
        causationId: submissionCausationId(scope, decision.submissionId),
        submission: {
          scope,
          id: decision.submissionId,
          requestHash: hash,
          response: (stored: EventEnvelope[]) => submissionResponse(decision.resource, stored),
        },
        condition: trialCondition,
      });
      if (appended.status === 'appended') {
        this.cache.extend(decision.streamId, events, appended.events);
        return { replayed: false, response: appended.response as SubmissionResponse };
      }
      if (appended.status === 'duplicate') return this.replay(appended.requestHashMatches, appended.response);
      this.cache.forget(decision.streamId);
      // A conflict on the trial's stream (a freeze or lock committed meanwhile) is decided again, which reports it.
      const trialChanged = appended.conditionStreamId !== undefined;
      if (trialChanged) this.openTrial = null;
      if (!trialChanged && decision.expectedVersion !== undefined) throw staleVersion(decision.expectedVersion, appended.actualVersion);
      if (attempt === MAX_ATTEMPTS) {
        throw ApiError.conflict('The record kept changing while this submission was decided: submit it again', [
          { field: 'submissionId', rule: 'concurrent-write' },
        ]);
      }
      await raceBackoff(attempt);
    }
  }

  /**
   * Refuses the write when the database is frozen or locked; otherwise the condition that keeps it so
   * until the append commits (a lock that commits first makes the append conflict and be decided again).
   */
  /** The trial stream: the cached copy for a conditioned write, else read now (and cached while open). */
  private async trialEvents(mayUseCache: boolean): Promise<EventEnvelope[]> {
    if (mayUseCache && this.openTrial) return this.openTrial;
    const events = await this.readStream(this.names.trial);
    if (trialStateFrom(events).status === 'open') this.openTrial = events;
    return events;
  }

  /** Authorizes and decides on the stream as given; throws the ApiError that refuses it. */
  private decideOn<TState>(
    decision: StreamDecision<TState>,
    events: EventEnvelope[],
    trialEvents: EventEnvelope[],
    conditioned: boolean,
  ): Decided<TState> {
    const state =
      typeof decision.fold === 'function' ? decision.fold(events) : this.cache.stateOf(decision.streamId, events, decision.fold);
    decision.authorize(state, events);
    const trialCondition = conditioned ? this.openTrialCondition(trialEvents) : undefined;
    if (decision.expectedVersion !== undefined && decision.expectedVersion !== events.length) {
      throw staleVersion(decision.expectedVersion, events.length);
    }
    const now = this.clock();
    const outcome = decision.decide(state, { now, protocol: this.protocolInForce(trialEvents, decision.request.body, now) });
    if (!outcome.ok) throw refusal(outcome.violations);
    return { state, drafts: outcome.events, trialCondition };
  }

  /**
   * The stream as this process last read or wrote it, without a round trip when cached: deciding on a copy
   * another process has outgrown only makes the append conflict, which forgets it and decides again.
   */
  private async knownStream(streamId: string): Promise<{ events: EventEnvelope[]; cached: boolean }> {
    const cached = this.cache.get(streamId);
    return cached ? { events: cached, cached: true } : { events: await this.readStream(streamId), cached: false };
  }

  /** The whole stream as stored now, reading from the store only the events after the cached ones. */
  private async readStream(streamId: string): Promise<EventEnvelope[]> {
    const cached = this.cache.get(streamId) ?? [];
    const newer = await this.store.readStream(streamId, { afterVersion: cached.length });
    if (newer.length > 0 && newer[0].streamVersion !== cached.length + 1) {
      // Not the continuation of the cached prefix (versions are dense from 1): start from the whole stream.
      this.cache.forget(streamId);
      return this.cache.extend(streamId, [], await this.store.readStream(streamId));
    }
    return this.cache.extend(streamId, cached, newer);
  }

  private openTrialCondition(events: EventEnvelope[]): { streamId: string; version: number } {
    const trial = trialStateFrom(events);
    if (trial.status !== 'open') {
      throw ApiError.conflict(`The trial database is ${trial.status}: it takes no new data`, [
        { field: 'trial', rule: TRIAL_RULE.databaseClosed },
      ]);
    }
    return { streamId: this.names.trial, version: events.length };
  }

  /**
   * The protocol version in force on the date of the data (the command's clinical time, else today):
   * an amendment judges data from its effective date on, never data dated before it.
   */
  private protocolInForce(trialEvents: EventEnvelope[], body: unknown, now: Date): ProtocolDefinition {
    const versions = protocolVersionsFrom(trialEvents);
    if (versions.length === 0) return this.protocol;
    const occurredAt = (body as { occurredAt?: unknown } | null)?.occurredAt;
    const date = parseClinicalTime(occurredAt)?.date ?? now.toISOString().slice(0, 10);
    return protocolInForce(versions, date)?.definition ?? this.protocol;
  }

  private replay(sameRequest: boolean, response: unknown): WriteResult {
    if (!sameRequest) throw reusedId();
    return { replayed: true, response: response as SubmissionResponse };
  }
}
