import {
  AmendableEventType,
  clinicalTimeOf,
  EventEnvelope,
  initialPatientState,
  isAmendableEventType,
  isCatalogued,
  patientIdOfStream as patientOfStream,
  PatientFold,
  PatientState,
} from '@trialstream/domain';

/**
 * What the analysis keeps of one patient's stream: the domain's own fold of it (`PatientFold`: the
 * patient's place in the trial, and every entry with its corrections and voids applied) and the two facts
 * only the analysis reads. Folded from the patient's own stream only, so no other stream's order can change it.
 */
export interface AnalysisSource {
  patientId: string;
  patient: PatientState;
  /** The ids of the fold's entries in stream order: jsonb keeps no order of an object's keys. */
  order: string[];
  stratum: string | null;
  /** Calendar date (YYYY-MM-DD) of the first emergency code-break. */
  codeBrokenOn: string | null;
}

/** A clinical entry as it stands now: clinical time and payload as reported or as corrected. */
export interface SourceEntry {
  readonly eventId: string;
  readonly type: AmendableEventType;
  readonly occurredAt: string;
  readonly data: unknown;
  readonly voided: boolean;
}

export const patientIdOfStream = (streamId: string): string => {
  const patientId = patientOfStream(streamId);
  if (patientId === undefined) throw new Error(`${streamId} is not a patient stream`);
  return patientId;
};

export const dateOf = (occurredAt: string): string => clinicalTimeOf(occurredAt).date;

const emptySource = (event: EventEnvelope): AnalysisSource => ({
  patientId: patientIdOfStream(event.streamId),
  patient: initialPatientState,
  order: [],
  stratum: null,
  codeBrokenOn: null,
});

/** The event types the analysis folds; others (screen failures, monitoring, access) leave it alone. */
export const ANALYSED_EVENT_TYPES = [
  'PatientEnrolled',
  'PatientRandomized',
  'PatientWithdrawn',
  'InfusionGiven',
  'LabResulted',
  'NeurographyRecorded',
  'ClinicalAssessed',
  'AdverseEventReported',
  'EntryCorrected',
  'EntryVoided',
  'CodeBreakPerformed',
] as const;

/**
 * A patient's source as a batch folds it, event after event: the patient part is the domain's fold, stratum and
 * code-break the analysis's. `source` is changed in place; opening copies what grows with the history (the
 * entries, once, on their first change; the order), so the source it was opened from stays as it was.
 */
export class SourceFold {
  readonly source: AnalysisSource;
  private readonly patient: PatientFold;

  constructor(from: AnalysisSource | undefined, event: EventEnvelope) {
    const start = from ?? emptySource(event);
    this.patient = new PatientFold(start.patient);
    this.source = { ...start, patient: this.patient.state, order: [...start.order] };
  }

  add(event: EventEnvelope): void {
    this.patient.add(event);
    this.source.order.push(event.eventId);
    if (!isCatalogued(event)) return;
    if (event.type === 'PatientRandomized') this.source.stratum = event.data.stratum;
    if (event.type === 'CodeBreakPerformed') this.source.codeBrokenOn ??= dateOf(event.occurredAt);
  }
}

/** What the fold keeps of the patient besides the entries, which the analysis reads from the entries alone. */
export type SourcePatient = Omit<PatientState, 'entries' | 'infusions' | 'voidedEventIds' | 'corrections'>;

/**
 * The source as stored: one small row per patient and one row per clinical entry, so that an event writes
 * its own entry (and the one it amends), not the patient's history.
 */
export type SourceHeaderRow = {
  patient_id: string;
  patient: SourcePatient;
  stratum: string | null;
  code_broken_on: string | null;
};

export type SourceEntryRow = {
  patient_id: string;
  /** The entry's place in its stream, which orders the entries. */
  stream_version: number;
  event_id: string;
  type: AmendableEventType;
  /** As reported or as corrected, exactly as the event has it (its offset is the site's date). */
  occurred_at: string;
  data: unknown;
  voided: boolean;
};

export const sourceHeaderOf = (source: AnalysisSource): SourceHeaderRow => {
  const { entries, infusions, voidedEventIds, corrections, ...patient } = source.patient;
  return { patient_id: source.patientId, patient, stratum: source.stratum, code_broken_on: source.codeBrokenOn };
};

/** The source from its rows: entries in stream order. */
export const sourceOfRows = (header: SourceHeaderRow, entryRows: readonly SourceEntryRow[]): AnalysisSource => {
  const ordered = [...entryRows].sort((a, b) => a.stream_version - b.stream_version);
  const entries = Object.fromEntries(
    ordered.map((row) => [row.event_id, { type: row.type, occurredAt: row.occurred_at, data: row.data, voided: row.voided }]),
  );
  return {
    patientId: header.patient_id,
    patient: { ...initialPatientState, ...header.patient, entries },
    order: ordered.map((row) => row.event_id),
    stratum: header.stratum,
    codeBrokenOn: header.code_broken_on,
  };
};

/** The patient's clinical entries in stream order (or those of `eventIds`), each as it stands now (corrected, or marked void). */
export const sourceEntries = ({ patient, order }: AnalysisSource, eventIds: readonly string[] = order): SourceEntry[] =>
  eventIds.flatMap((eventId) => {
    const entry = patient.entries[eventId];
    if (!entry || !isAmendableEventType(entry.type)) return [];
    return [{ eventId, type: entry.type, occurredAt: entry.occurredAt, data: entry.data, voided: entry.voided }];
  });
