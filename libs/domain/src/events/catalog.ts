import { EventDraft } from '../envelope';
import type { AccountEventPayloadByType } from '../accounts/events';
import type { MonitoringEventPayloadByType } from '../monitoring/events';
import type { SignatureEventPayloadByType } from '../signatures/events';
import type { TrialEventPayloadByType } from '../trial/events';
import type { UpcastStep } from '../upcasting';
import type { AccessRecorded } from './access';
import type { AdverseEventReported } from './adverse-event';
import type { EntryCorrected, EntryVoided } from './amendment';
import type { ClinicalAssessed } from './clinical';
import type { InfusionGiven } from './infusion';
import type { LabResulted } from './lab';
import type { NeurographyRecorded } from './neurography';
import type { PatientEnrolled, PatientRandomized, PatientScreenFailed, PatientWithdrawn } from './patient-lifecycle';
import type { LogCheckpointed } from './checkpoint';
import type { SiteActivated } from './site';

/** The clinical event types (patient and site streams) with their payloads. */
export interface EventPayloadByType {
  SiteActivated: SiteActivated;
  PatientEnrolled: PatientEnrolled;
  PatientScreenFailed: PatientScreenFailed;
  PatientRandomized: PatientRandomized;
  InfusionGiven: InfusionGiven;
  LabResulted: LabResulted;
  NeurographyRecorded: NeurographyRecorded;
  ClinicalAssessed: ClinicalAssessed;
  AdverseEventReported: AdverseEventReported;
  PatientWithdrawn: PatientWithdrawn;
  EntryCorrected: EntryCorrected;
  EntryVoided: EntryVoided;
}

export type EventType = keyof EventPayloadByType;
export type EventPayload = EventPayloadByType[EventType];

/** Every event the log holds, by type: clinical, monitoring, trial, signature, account, access and checkpoint events. */
export interface StoredEventPayloadByType
  extends
    EventPayloadByType,
    MonitoringEventPayloadByType,
    TrialEventPayloadByType,
    SignatureEventPayloadByType,
    AccountEventPayloadByType {
  AccessRecorded: AccessRecorded;
  LogCheckpointed: LogCheckpointed;
}

export type StoredEventType = keyof StoredEventPayloadByType;

/**
 * How one event type is written and read: the schema version new events get, and `upcasters[v]`
 * turning a stored version v into v + 1. Stored events are never rewritten; raising a version adds a step.
 */
export interface EventSpec {
  schemaVersion: number;
  upcasters?: Readonly<Record<number, UpcastStep>>;
}

/**
 * THE event catalog: every type the log holds, declared once. A new event type is added here (and its
 * payload to StoredEventPayloadByType); the store's reader, the Kafka consumer and the exports upcast
 * with the one upcaster built from it (`upcastStoredEvent`).
 */
export const EVENT_CATALOG: { readonly [K in StoredEventType]: EventSpec } = {
  // clinical, on site and patient streams
  SiteActivated: { schemaVersion: 1 },
  PatientEnrolled: { schemaVersion: 1 },
  PatientScreenFailed: { schemaVersion: 1 },
  PatientRandomized: { schemaVersion: 1 },
  InfusionGiven: { schemaVersion: 1 },
  LabResulted: { schemaVersion: 1 },
  NeurographyRecorded: { schemaVersion: 1 },
  ClinicalAssessed: { schemaVersion: 1 },
  AdverseEventReported: { schemaVersion: 1 },
  PatientWithdrawn: { schemaVersion: 1 },
  EntryCorrected: { schemaVersion: 1 },
  EntryVoided: { schemaVersion: 1 },
  // the monitor's workflow, on patient streams
  QueryRaised: { schemaVersion: 1 },
  QueryAnswered: { schemaVersion: 1 },
  QueryClosed: { schemaVersion: 1 },
  QueryCancelled: { schemaVersion: 1 },
  QueryReopened: { schemaVersion: 1 },
  SourceDataVerified: { schemaVersion: 1 },
  // trial-level facts, on the trial stream (a code-break on the patient's)
  ProtocolActivated: { schemaVersion: 1 },
  DatabaseFrozen: { schemaVersion: 1 },
  DatabaseLocked: { schemaVersion: 1 },
  TrialUnblinded: { schemaVersion: 1 },
  CodeBreakPerformed: { schemaVersion: 1 },
  // electronic signatures, on the patient's stream
  RecordSigned: { schemaVersion: 1 },
  // people and machines: accounts, sessions, API keys, on each account's stream
  AccountCreated: { schemaVersion: 1 },
  AccountActivated: { schemaVersion: 1 },
  LoginSucceeded: { schemaVersion: 1 },
  LoginFailed: { schemaVersion: 1 },
  AccountLockedOut: { schemaVersion: 1 },
  LoggedOut: { schemaVersion: 1 },
  PasswordChanged: { schemaVersion: 1 },
  PasswordReset: { schemaVersion: 1 },
  AccountDeactivated: { schemaVersion: 1 },
  SignatureAuthenticationFailed: { schemaVersion: 1 },
  ApiKeyIssued: { schemaVersion: 1 },
  ApiKeyRevoked: { schemaVersion: 1 },
  // reads an auditor must see, on each reader's access stream
  AccessRecorded: { schemaVersion: 1 },
  // anchors of the whole log, on the checkpoint stream
  LogCheckpointed: { schemaVersion: 1 },
};

export const isStoredEventType = (type: unknown): type is StoredEventType =>
  typeof type === 'string' && Object.prototype.hasOwnProperty.call(EVENT_CATALOG, type);

/** The current schema versions of some types of the catalog (a family's view of it). */
export const schemaVersionsOf = <K extends StoredEventType>(types: readonly K[]): Readonly<Record<K, number>> =>
  Object.fromEntries(types.map((type) => [type, EVENT_CATALOG[type].schemaVersion])) as Record<K, number>;

/**
 * A committed event of a catalogued type with its payload typed by its type, so that `switch (event.type)`
 * narrows `event.data`. Payloads are trusted here because the store accepted them from a decide function
 * and the read path upcast them to the current version.
 */
export type CataloguedEvent<E extends { type: string; data: unknown }, K extends StoredEventType = StoredEventType> = {
  [T in K]: Omit<E, 'type' | 'data'> & { type: T; data: StoredEventPayloadByType[T] };
}[K];

export const isCatalogued = <E extends { type: string; data: unknown }>(event: E): event is E & CataloguedEvent<E> =>
  isStoredEventType(event.type);

/**
 * One family's view of the catalog (clinical, monitoring, trial, signature, account events): its types,
 * the schema versions new events of each are written with, a guard and a drafter.
 */
export interface EventFamily<P extends Partial<StoredEventPayloadByType>> {
  readonly types: readonly FamilyType<P>[];
  readonly schemaVersions: Readonly<Record<FamilyType<P>, number>>;
  readonly is: (type: unknown) => type is FamilyType<P>;
  readonly draft: <T extends FamilyType<P>>(type: T, occurredAt: string, data: P[T]) => EventDraft<T, P[T]>;
}

type FamilyType<P> = Extract<keyof P, StoredEventType>;

/** A family of the catalog from its payload map (`MonitoringEventPayloadByType`) and its types, in order. */
export const eventFamily = <P extends Partial<StoredEventPayloadByType>>(types: readonly FamilyType<P>[]): EventFamily<P> => {
  const schemaVersions = schemaVersionsOf(types);
  return {
    types,
    schemaVersions,
    is: (type: unknown): type is FamilyType<P> => typeof type === 'string' && Object.prototype.hasOwnProperty.call(schemaVersions, type),
    draft: (type, occurredAt, data) => ({ type, schemaVersion: schemaVersions[type], occurredAt, data }),
  };
};

/** The clinical events, on patient and site streams. */
const CLINICAL_EVENTS = eventFamily<EventPayloadByType>([
  'SiteActivated',
  'PatientEnrolled',
  'PatientScreenFailed',
  'PatientRandomized',
  'InfusionGiven',
  'LabResulted',
  'NeurographyRecorded',
  'ClinicalAssessed',
  'AdverseEventReported',
  'PatientWithdrawn',
  'EntryCorrected',
  'EntryVoided',
]);

export const CURRENT_SCHEMA_VERSIONS: Readonly<Record<EventType, number>> = CLINICAL_EVENTS.schemaVersions;

export const EVENT_TYPES: readonly EventType[] = CLINICAL_EVENTS.types;

export const SITE_EVENT_TYPES: readonly EventType[] = ['SiteActivated'];
export const PATIENT_EVENT_TYPES: readonly EventType[] = EVENT_TYPES.filter((type) => !SITE_EVENT_TYPES.includes(type));

export const isEventType = CLINICAL_EVENTS.is;

/** A draft of a known type, discriminated by `type`. */
export type DomainEventDraft = { [K in EventType]: EventDraft<K, EventPayloadByType[K]> }[EventType];

/** Builds a draft of any catalogued type at the type's current schema version. */
export const draftEvent = <K extends StoredEventType>(
  type: K,
  occurredAt: string,
  data: StoredEventPayloadByType[K],
  amends?: { eventId: string; reason: string },
): EventDraft<K, StoredEventPayloadByType[K]> => ({
  type,
  schemaVersion: EVENT_CATALOG[type].schemaVersion,
  occurredAt,
  data,
  ...(amends ? { amends } : {}),
});
