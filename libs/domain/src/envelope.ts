/**
 * The shapes every event travels in. Decide functions produce `EventDraft`s; the event store
 * turns them into `EventEnvelope`s by adding identity, position, attribution and the hash chain.
 */

export const ROLES = [
  'site_coordinator',
  /** Site-scoped like a coordinator; also signs casebooks and visits electronically. */
  'investigator',
  'monitor',
  'blinded_statistician',
  'unblinded_statistician',
  'safety_board',
  'auditor',
  'administrator',
] as const;
export type Role = (typeof ROLES)[number];

/** Who recorded a datum: attributability in the sense of 21 CFR Part 11. */
export interface Actor {
  userId: string;
  role: Role;
}

/** What a decide function returns for each fact it accepts: clinical time and a typed payload. */
export interface EventDraft<TType extends string = string, TData = unknown> {
  type: TType;
  schemaVersion: number;
  /** Clinical time as reported by the site (ISO 8601). */
  occurredAt: string;
  data: TData;
  /** Set on corrections and voids: the event amended and why. */
  amends?: { eventId: string; reason: string };
}

/** A committed event as read back from the store. */
export interface EventEnvelope<TData = unknown> {
  eventId: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  /** 1-based, gapless within a stream. */
  streamVersion: number;
  /** Store-wide order; bigint as a decimal string. */
  globalPosition: string;
  /** Writing transaction (pg_current_xact_id), as a decimal string; with globalPosition the catch-up order. */
  transactionId: string;
  siteId: string | null;
  actor: Actor;
  occurredAt: string;
  /** Server time of the commit's transaction (ISO 8601). */
  recordedAt: string;
  correlationId: string;
  causationId: string | null;
  submissionId: string | null;
  amends: { eventId: string; reason: string } | null;
  data: TData;
  previousHash: string;
  hash: string;
}

/** A position in the store-wide catch-up order. */
export interface Checkpoint {
  transactionId: string;
  globalPosition: string;
}

export const START_CHECKPOINT: Checkpoint = { transactionId: '0', globalPosition: '0' };
