import type { Actor, EventDraft, EventEnvelope } from '@trialstream/domain';

/** A client-chosen submission id: resubmitting it returns the first result and stores nothing new. */
export interface SubmissionClaim {
  /** Namespace of the id, e.g. the submitting site or user, so two sites may pick the same id. */
  scope: string;
  id: string;
  /** Fingerprint of the request body: a retry must match it, a reused id with another body is reported. */
  requestHash: string;
  /**
   * What the caller answered the first time; returned verbatim to every duplicate. A function builds it
   * from the appended events (their ids and versions exist only once the batch is written).
   */
  response: unknown | ((events: EventEnvelope[]) => unknown);
}

/** A submission already stored under a scope and id. */
export interface StoredSubmission {
  requestHash: string;
  response: unknown;
}

export interface AppendRequest {
  streamId: string;
  /** The stream version the decision was based on; 0 means the stream must not exist yet. */
  expectedVersion: number;
  events: EventDraft[];
  siteId: string | null;
  actor: Actor;
  /** Shared by the events of one append; a fresh UUID when omitted. */
  correlationId?: string;
  causationId?: string | null;
  submission?: SubmissionClaim;
  /**
   * Append only while another stream is still at this version (e.g. the trial stream, whose lock closes
   * the database). That stream's head is share-locked in the same transaction, so a writer of it waits
   * for this append or this append sees its new version: never a write decided on a stale fact.
   */
  condition?: { streamId: string; version: number };
}

export type AppendOutcome =
  | { status: 'appended'; events: EventEnvelope[]; streamVersion: number; /** as stored with the submission */ response?: unknown }
  | {
      status: 'conflict';
      expectedVersion: number;
      actualVersion: number;
      /** Set when the conflict was on the condition's stream rather than on the stream appended to. */
      conditionStreamId?: string;
    }
  | { status: 'duplicate'; response: unknown; requestHashMatches: boolean };

/** Turns an event stored under an old schema version into the current shape; applied on every read. */
export type Upcaster = (type: string, schemaVersion: number, data: unknown) => { schemaVersion: number; data: unknown };

export interface ReadStreamOptions {
  /** Audit view: only events at or before this global position (decimal string). */
  untilGlobalPosition?: string;
  /** Audit view: only events recorded at or before this instant. */
  untilRecordedAt?: Date;
  /** Only the events after this stream version: what is new since a reader last read the stream. */
  afterVersion?: number;
}

export type ReadAllOptions = Omit<ReadStreamOptions, 'afterVersion'>;

export class InvalidAppendRequestError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'InvalidAppendRequestError';
  }
}
