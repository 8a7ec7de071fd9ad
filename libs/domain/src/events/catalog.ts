import { EventDraft } from '../envelope';
import type { AdverseEventReported } from './adverse-event';
import type { EntryCorrected, EntryVoided } from './amendment';
import type { ClinicalAssessed } from './clinical';
import type { InfusionGiven } from './infusion';
import type { LabResulted } from './lab';
import type { NeurographyRecorded } from './neurography';
import type { PatientEnrolled, PatientRandomized, PatientScreenFailed, PatientWithdrawn } from './patient-lifecycle';
import type { SiteActivated } from './site';

/** Every event type of the domain with its payload. */
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

/**
 * The schema version new events of each type are written with. Raising one requires an upcaster
 * step from the previous version (see upcasting.ts): stored events are never rewritten.
 */
export const CURRENT_SCHEMA_VERSIONS: Readonly<Record<EventType, number>> = {
  SiteActivated: 1,
  PatientEnrolled: 1,
  PatientScreenFailed: 1,
  PatientRandomized: 1,
  InfusionGiven: 1,
  LabResulted: 1,
  NeurographyRecorded: 1,
  ClinicalAssessed: 1,
  AdverseEventReported: 1,
  PatientWithdrawn: 1,
  EntryCorrected: 1,
  EntryVoided: 1,
};

export const EVENT_TYPES = Object.keys(CURRENT_SCHEMA_VERSIONS) as readonly EventType[];

export const SITE_EVENT_TYPES: readonly EventType[] = ['SiteActivated'];
export const PATIENT_EVENT_TYPES: readonly EventType[] = EVENT_TYPES.filter((type) => !SITE_EVENT_TYPES.includes(type));

export const isEventType = (type: unknown): type is EventType =>
  typeof type === 'string' && Object.prototype.hasOwnProperty.call(CURRENT_SCHEMA_VERSIONS, type);

/** A draft of a known type, discriminated by `type`. */
export type DomainEventDraft = { [K in EventType]: EventDraft<K, EventPayloadByType[K]> }[EventType];

/** A domain event (type, schema version and payload), discriminated by `type`. */
export type DomainEvent = { [K in EventType]: { type: K; schemaVersion: number; data: EventPayloadByType[K] } }[EventType];

/** Builds a draft at the type's current schema version. */
export const draftEvent = <K extends EventType>(
  type: K,
  occurredAt: string,
  data: EventPayloadByType[K],
  amends?: { eventId: string; reason: string },
): EventDraft<K, EventPayloadByType[K]> => ({
  type,
  schemaVersion: CURRENT_SCHEMA_VERSIONS[type],
  occurredAt,
  data,
  ...(amends ? { amends } : {}),
});
