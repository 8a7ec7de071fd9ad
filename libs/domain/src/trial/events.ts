import type { SignatureManifest } from '../signatures/events';
import type { ProtocolDefinition } from '../protocol';
import { eventFamily } from '../events/catalog';

/**
 * Trial-level facts of a blinded trial. The database freeze, lock and unblinding live on one stream,
 * the trial stream (`TrialStreams.trial`: `<trialId>.trial`), decided against its state by an
 * administrator. An emergency code-break lives on the patient's own stream, beside the data, so
 * monitors and the patient's history show it.
 *
 * None of these events carries an arm: the allocation stays in its own schema, and what a
 * code-break reveals is answered to its requester alone, never written to the log.
 */

/** Data entry is over for cleaning: queries may still be answered (optional step before the lock). */
export interface DatabaseFrozen {
  reason?: string;
  /** The re-authenticated signature of the person who decided (21 CFR Part 11 §11.200). */
  signature?: SignatureManifest;
}

/** The database is final: the condition for unblinding. */
export interface DatabaseLocked {
  reason?: string;
  /** The re-authenticated signature of the person who decided (21 CFR Part 11 §11.200). */
  signature?: SignatureManifest;
}

/** The allocation is opened to unblinded roles: per-arm analyses become readable. */
export interface TrialUnblinded {
  reason: string;
  /** The re-authenticated signature of the person who decided (21 CFR Part 11 §11.200). */
  signature?: SignatureManifest;
}

/** One patient's allocation was revealed to the person who asked, for the patient's safety. */
export interface CodeBreakPerformed {
  reason: string;
  /** The re-authenticated signature of the person who decided (21 CFR Part 11 §11.200). */
  signature?: SignatureManifest;
}

/**
 * A version of the protocol comes into force: the first load and each amendment. The definition is
 * carried whole, so a replay decides, schedules and analyses with exactly the version of the time.
 */
export interface ProtocolActivated {
  protocolId: string;
  /** 1 for the first load, then one more per amendment. */
  version: number;
  /** Calendar date (YYYY-MM-DD) from which data are judged by this version. */
  effectiveFrom: string;
  /** SHA-256 of the file as loaded. */
  sourceSha256: string;
  definition: ProtocolDefinition;
}

export interface TrialEventPayloadByType {
  ProtocolActivated: ProtocolActivated;
  DatabaseFrozen: DatabaseFrozen;
  DatabaseLocked: DatabaseLocked;
  TrialUnblinded: TrialUnblinded;
  CodeBreakPerformed: CodeBreakPerformed;
}

export type TrialEventType = keyof TrialEventPayloadByType;

const TRIAL_EVENTS = eventFamily<TrialEventPayloadByType>([
  'ProtocolActivated',
  'DatabaseFrozen',
  'DatabaseLocked',
  'TrialUnblinded',
  'CodeBreakPerformed',
]);

/** Schema versions new trial events are written with: the event catalog's, for this family. */
export const TRIAL_SCHEMA_VERSIONS = TRIAL_EVENTS.schemaVersions;
export const TRIAL_EVENT_TYPES = TRIAL_EVENTS.types;
export const isTrialEventType = TRIAL_EVENTS.is;
export const draftTrialEvent = TRIAL_EVENTS.draft;

/** The events of the `trial` stream; CodeBreakPerformed is written to a patient's stream instead. */
export const TRIAL_STREAM_EVENT_TYPES: readonly TrialEventType[] = [
  'ProtocolActivated',
  'DatabaseFrozen',
  'DatabaseLocked',
  'TrialUnblinded',
];
