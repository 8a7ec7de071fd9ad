import {
  EntryCorrected,
  EntryVoided,
  EventEnvelope,
  EventPayloadByType,
  isAllocationRevealing,
  patientIdOfStream,
  PatientEnrolled,
  PatientScreenFailed,
  SiteActivated,
  upcastStoredEvent,
} from '@trialstream/domain';
import { ExportOptions } from './export-options';

/** The event types that record a patient's data; each one opens an entry of the record. */
export const ENTRY_EVENT_TYPES = [
  'PatientEnrolled',
  'PatientScreenFailed',
  'PatientRandomized',
  'InfusionGiven',
  'LabResulted',
  'NeurographyRecorded',
  'ClinicalAssessed',
  'AdverseEventReported',
  'PatientWithdrawn',
] as const;
export type EntryType = (typeof ENTRY_EVENT_TYPES)[number];

const isEntryType = (type: string): type is EntryType => (ENTRY_EVENT_TYPES as readonly string[]).includes(type);

/** One state of an entry: as first recorded, as corrected, or voided. */
export interface EntryVersion {
  change: 'insert' | 'correction' | 'void';
  /** The event that wrote this version: who, where, when recorded, and its id. */
  event: EventEnvelope;
  /** The entry's clinical time after this version (a correction may move it). */
  occurredAt: string;
  /** The entry's payload after this version; null once voided. */
  data: unknown;
  /** Why it was corrected or voided; null for the original entry. */
  reason: string | null;
}

/** A datum of a patient's record with its whole history, oldest version first. */
export interface EntryHistory {
  /** The id of the event that first recorded it: corrections and voids point at it. */
  entryId: string;
  type: EntryType;
  patientId: string;
  versions: EntryVersion[];
}

export interface SiteInfo {
  siteId: string;
  name: string;
  country: string | null;
  /** Calendar date the site was activated, when the log holds its activation. */
  activatedOn: string | null;
}

export interface SubjectInfo {
  patientId: string;
  siteId: string | null;
}

/** The clinical data of a log as entries with their histories, plus the sites and subjects they belong to. */
export interface TrialRecord {
  entries: EntryHistory[];
  subjects: SubjectInfo[];
  sites: Map<string, SiteInfo>;
}

/** The payload and clinical time an entry holds now; null when voided. */
export const currentVersion = (entry: EntryHistory): { occurredAt: string; data: unknown } | null => {
  const last = entry.versions[entry.versions.length - 1];
  return last.change === 'void' ? null : { occurredAt: last.occurredAt, data: last.data };
};

export const currentData = <K extends EntryType>(entry: EntryHistory & { type: K }): EventPayloadByType[K] | null =>
  (currentVersion(entry)?.data as EventPayloadByType[K] | undefined) ?? null;

/** Thrown when a correction or void points at an entry the log does not hold: the export would misstate history. */
export class UnknownAmendmentTargetError extends Error {
  constructor(
    readonly amendingEventId: string,
    readonly targetEventId: string,
  ) {
    super(`event ${amendingEventId} amends ${targetEventId}, which is not in the exported events`);
    this.name = 'UnknownAmendmentTargetError';
  }
}

const patientIdOf = (event: EventEnvelope): string | null => patientIdOfStream(event.streamId) ?? null;

/** Collects entries, subjects and sites from events in global order. */
class TrialRecordBuilder {
  private readonly entries: EntryHistory[] = [];
  private readonly entryById = new Map<string, EntryHistory>();
  private readonly subjects = new Map<string, SubjectInfo>();
  private readonly sites = new Map<string, SiteInfo>();

  add(event: EventEnvelope): void {
    if (event.type === 'SiteActivated') return this.siteActivated(event, event.data as SiteActivated);
    const patientId = patientIdOf(event);
    if (patientId === null) return;
    const subject = this.subjectOf(patientId, event);
    if (event.type === 'PatientEnrolled' || event.type === 'PatientScreenFailed') {
      subject.siteId = (event.data as PatientEnrolled | PatientScreenFailed).siteId;
    }
    if (isEntryType(event.type)) this.open(event, event.type, patientId);
    else if (event.type === 'EntryCorrected') this.corrected(event, event.data as EntryCorrected);
    else if (event.type === 'EntryVoided') this.voided(event, event.data as EntryVoided);
  }

  record(): TrialRecord {
    return { entries: this.entries, subjects: [...this.subjects.values()], sites: this.sites };
  }

  private siteActivated(event: EventEnvelope, site: SiteActivated): void {
    this.sites.set(site.siteId, {
      siteId: site.siteId,
      name: site.name,
      country: site.country ?? null,
      activatedOn: event.occurredAt.slice(0, 10),
    });
  }

  /** The patient's subject, first seen under the event's site until enrolment names the site. */
  private subjectOf(patientId: string, event: EventEnvelope): SubjectInfo {
    const subject = this.subjects.get(patientId) ?? { patientId, siteId: event.siteId };
    this.subjects.set(patientId, subject);
    return subject;
  }

  private open(event: EventEnvelope, type: EntryType, patientId: string): void {
    const entry: EntryHistory = {
      entryId: event.eventId,
      type,
      patientId,
      versions: [{ change: 'insert', event, occurredAt: event.occurredAt, data: event.data, reason: null }],
    };
    this.entries.push(entry);
    this.entryById.set(event.eventId, entry);
  }

  private corrected(event: EventEnvelope, correction: EntryCorrected): void {
    this.amend(event, correction.correctedEventId, {
      change: 'correction',
      occurredAt: event.occurredAt,
      data: correction.data,
      reason: correction.reason,
    });
  }

  /** A void keeps the entry's clinical time as it stood. */
  private voided(event: EventEnvelope, voided: EntryVoided): void {
    const entry = this.entryById.get(voided.voidedEventId);
    this.amend(event, voided.voidedEventId, {
      change: 'void',
      occurredAt: entry?.versions[entry.versions.length - 1].occurredAt ?? event.occurredAt,
      data: null,
      reason: voided.reason,
    });
  }

  private amend(event: EventEnvelope, targetId: string, version: Omit<EntryVersion, 'event'>): void {
    const entry = this.entryById.get(targetId);
    if (!entry) throw new UnknownAmendmentTargetError(event.eventId, targetId);
    entry.versions.push({ ...version, event });
  }
}

/**
 * Folds committed events (global order) into entry histories. Events of types that carry no
 * clinical data (site lifecycle aside, e.g. access or lock events) are left out.
 */
export const buildTrialRecord = (events: readonly EventEnvelope[]): TrialRecord => {
  const builder = new TrialRecordBuilder();
  for (const stored of events) builder.add({ ...stored, ...upcastStoredEvent(stored.type, stored.schemaVersion, stored.data) });
  return builder.record();
};

/**
 * What a reader may see. A blinded reader gets no entry that ever held a masked analyte, in any
 * version: showing the other versions would reveal that a masked result was entered or corrected away.
 */
export const visibleRecord = (record: TrialRecord, options: Pick<ExportOptions, 'blinded' | 'protocol'>): TrialRecord => {
  if (!options.blinded) return record;
  const reveals = (entry: EntryHistory): boolean =>
    entry.versions.some((version) => version.change !== 'void' && isAllocationRevealing(options.protocol, version.event));
  return { ...record, entries: record.entries.filter((entry) => !reveals(entry)) };
};
