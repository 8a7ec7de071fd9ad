import { FormCode } from '../monitoring/forms';
import { eventFamily } from '../events/catalog';

/**
 * Electronic signatures (21 CFR Part 11 §11.50, §11.70, §11.200). A signature is an event on the
 * patient's stream, beside the data it covers: it names the signer (printed name, user id, user name,
 * role), the date-time, the meaning, the exact stream version signed and a hash of the signed content,
 * so the signature stays linked to exactly what was signed and cannot be moved to other data.
 */
export const SIGNATURE_MEANINGS = ['review', 'approval', 'authorship'] as const;
export type SignatureMeaning = (typeof SIGNATURE_MEANINGS)[number];

/** What a meaning says, as printed with the signature (§11.50(a)(3)) and in the ODM `SignatureDef`. */
export const SIGNATURE_MEANING_TEXT: Readonly<Record<SignatureMeaning, string>> = {
  review: 'I have reviewed the data recorded in this scope.',
  approval: 'I approve the data recorded in this scope as complete and accurate.',
  authorship: 'I am the author of the data recorded in this scope.',
};

/** The legal reason printed in the ODM `SignatureDef`. */
export const SIGNATURE_LEGAL_REASON =
  'An electronic signature under 21 CFR Part 11, the legally binding equivalent of a handwritten signature.';

/** As requested: the whole casebook, or one visit of the protocol's schedule by its name. */
export type SignatureScope = { kind: 'casebook' } | { kind: 'visit'; visit: string };

/**
 * What a signature covers, fixed when it is signed. A visit is covered by the events that filled its
 * forms, plus any later record of one of its forms dated within its window: the visit as signed.
 */
export interface SignatureCoverage {
  eventIds: string[];
  /** Visit scope only. */
  forms?: FormCode[];
  /** Visit scope only: the visit's window (calendar dates, inclusive) when it was signed. */
  windowStart?: string;
  windowEnd?: string;
}

export interface Signer {
  userId: string;
  username: string;
  /** The signer's full name as printed with the signature (§11.50(a)(1)). */
  printedName: string;
  role: string;
}

export interface RecordSigned {
  signatureId: string;
  meaning: SignatureMeaning;
  scope: SignatureScope;
  signer: Signer;
  /** Server time of the signature (§11.50(a)(2)). */
  signedAt: string;
  /** The patient's stream version the signer saw: the last event covered by this signature. */
  signedStreamVersion: number;
  coverage: SignatureCoverage;
  /** SHA-256 (hex) over the canonical JSON of the covered events as they stood (corrections applied). */
  contentHash: string;
}

/** The manifest a re-authenticated trial decision (freeze, lock, unblinding, code-break) carries. */
export interface SignatureManifest {
  signer: Signer;
  meaning: SignatureMeaning;
  signedAt: string;
}

export interface SignatureEventPayloadByType {
  RecordSigned: RecordSigned;
}

export type SignatureEventType = keyof SignatureEventPayloadByType;

const SIGNATURE_EVENTS = eventFamily<SignatureEventPayloadByType>(['RecordSigned']);

/** The event catalog's schema versions, for this family. */
export const SIGNATURE_SCHEMA_VERSIONS = SIGNATURE_EVENTS.schemaVersions;
export const SIGNATURE_EVENT_TYPES = SIGNATURE_EVENTS.types;
export const isSignatureEventType = SIGNATURE_EVENTS.is;
export const draftSignatureEvent = SIGNATURE_EVENTS.draft;
