import {
  AmendableEventType,
  amendmentOf,
  clinicalTimeOf,
  EventEnvelope,
  isAmendableEventType,
  isCatalogued,
  patientIdOfStream as patientOfStream,
} from '@trialstream/domain';

/**
 * What the analysis keeps of one patient's stream: the patient's place in the trial and every
 * clinical entry as it stands now, corrections applied and voids marked. Folded from the patient's
 * own stream only, so no other stream's order can change it.
 */
export interface SourceEntry {
  eventId: string;
  type: AmendableEventType;
  /** Clinical time as reported, or as corrected. */
  occurredAt: string;
  data: unknown;
  voided: boolean;
}

export type AnalysisPatientStatus = 'enrolled' | 'randomized' | 'withdrawn';

export interface AnalysisSource {
  patientId: string;
  siteId: string | null;
  status: AnalysisPatientStatus;
  kitNumber: string | null;
  stratum: string | null;
  /** Calendar dates (YYYY-MM-DD). */
  randomizedOn: string | null;
  withdrawnOn: string | null;
  codeBrokenOn: string | null;
  /** In recording order: an array, because jsonb does not keep the order of an object's keys. */
  entries: SourceEntry[];
}

export const patientIdOfStream = (streamId: string): string => {
  const patientId = patientOfStream(streamId);
  if (patientId === undefined) throw new Error(`${streamId} is not a patient stream`);
  return patientId;
};

const dateOf = (occurredAt: string): string => clinicalTimeOf(occurredAt).date;

const emptySource = (event: EventEnvelope): AnalysisSource => ({
  patientId: patientIdOfStream(event.streamId),
  siteId: event.siteId,
  status: 'enrolled',
  kitNumber: null,
  stratum: null,
  randomizedOn: null,
  withdrawnOn: null,
  codeBrokenOn: null,
  entries: [],
});

const updateEntry = (source: AnalysisSource, eventId: string, change: Partial<SourceEntry>): AnalysisSource => ({
  ...source,
  entries: source.entries.map((entry) => (entry.eventId === eventId ? { ...entry, ...change } : entry)),
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
 * Folds one event of the patient's stream into what the analysis keeps. Corrections and voids are the
 * domain's rules (`amendmentOf`, as the patient's state applies them); the lifecycle is the analysis's view.
 */
export const evolveSource = (current: AnalysisSource | undefined, event: EventEnvelope): AnalysisSource => {
  const source = current ?? emptySource(event);
  const amendment = amendmentOf(event);
  if (amendment) return updateEntry(source, amendment.eventId, amendment.change);
  if (!isCatalogued(event)) return source;
  switch (event.type) {
    case 'PatientEnrolled':
      return { ...source, siteId: event.data.siteId, status: 'enrolled' };
    case 'PatientRandomized': {
      const { kitNumber, stratum } = event.data;
      return {
        ...source,
        status: source.status === 'withdrawn' ? 'withdrawn' : 'randomized',
        kitNumber,
        stratum,
        randomizedOn: dateOf(event.occurredAt),
      };
    }
    case 'PatientWithdrawn':
      return { ...source, status: 'withdrawn', withdrawnOn: dateOf(event.occurredAt) };
    case 'CodeBreakPerformed':
      return { ...source, codeBrokenOn: source.codeBrokenOn ?? dateOf(event.occurredAt) };
    default:
      if (!isAmendableEventType(event.type)) return source;
      return {
        ...source,
        entries: [
          ...source.entries,
          { eventId: event.eventId, type: event.type, occurredAt: event.occurredAt, data: event.data, voided: false },
        ],
      };
  }
};
