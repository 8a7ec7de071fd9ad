import { isCatalogued } from './events/catalog';

export type PatientStatus = 'not_enrolled' | 'enrolled' | 'screen_failed' | 'randomized' | 'withdrawn';

/** What the decide functions need of a committed event (an EventEnvelope has all of it). */
export interface CommittedEvent {
  eventId: string;
  type: string;
  data: unknown;
  occurredAt: string;
  /** As stored; folds receive current versions only (the read path upcast them with `upcastStoredEvent`). */
  schemaVersion?: number;
}

/** Every event of the stream, by id, with its current (corrected) clinical time and payload. */
export interface StreamEntry {
  type: string;
  occurredAt: string;
  data: unknown;
  voided: boolean;
  /** Id of the latest correction, if any. */
  correctedBy?: string;
}

/** An infusion as it stands now (after corrections), in the order infusions were recorded. */
export interface InfusionRecord {
  eventId: string;
  occurredAt: string;
  cycle: number;
  infusionInCycle: number;
  doseLevelMgPerM2: number;
  voided: boolean;
}

export interface PatientState {
  patientId: string | null;
  siteId: string | null;
  status: PatientStatus;
  consentDate: string | null;
  enrolledAt: string | null;
  heightCm: number | null;
  weightKg: number | null;
  randomizedAt: string | null;
  kitNumber: string | null;
  withdrawnAt: string | null;
  infusions: readonly InfusionRecord[];
  entries: Readonly<Record<string, StreamEntry>>;
  voidedEventIds: readonly string[];
  /** Latest corrected payload and clinical time per corrected event id. */
  corrections: Readonly<Record<string, { correctionEventId: string; occurredAt: string; data: unknown }>>;
}

export const initialPatientState: PatientState = {
  patientId: null,
  siteId: null,
  status: 'not_enrolled',
  consentDate: null,
  enrolledAt: null,
  heightCm: null,
  weightKg: null,
  randomizedAt: null,
  kitNumber: null,
  withdrawnAt: null,
  infusions: [],
  entries: {},
  voidedEventIds: [],
  corrections: {},
};

const withEntry = (state: PatientState, event: CommittedEvent): PatientState => ({
  ...state,
  entries: { ...state.entries, [event.eventId]: { type: event.type, occurredAt: event.occurredAt, data: event.data, voided: false } },
});

const updateEntry = (state: PatientState, eventId: string, change: Partial<StreamEntry>): PatientState => {
  const entry = state.entries[eventId];
  return entry ? { ...state, entries: { ...state.entries, [eventId]: { ...entry, ...change } } } : state;
};

const updateInfusion = (state: PatientState, eventId: string, change: Partial<InfusionRecord>): PatientState => ({
  ...state,
  infusions: state.infusions.map((infusion) => (infusion.eventId === eventId ? { ...infusion, ...change } : infusion)),
});

/**
 * What a correction or a void does to the entry it targets: the one statement of these rules, which
 * the patient's state and every read model that keeps entries (the analysis) apply.
 */
export const amendmentOf = (
  event: CommittedEvent,
): { eventId: string; change: Partial<Pick<StreamEntry, 'occurredAt' | 'data' | 'voided'>> } | undefined => {
  if (!isCatalogued(event)) return undefined;
  if (event.type === 'EntryCorrected')
    return { eventId: event.data.correctedEventId, change: { occurredAt: event.occurredAt, data: event.data.data } };
  if (event.type === 'EntryVoided') return { eventId: event.data.voidedEventId, change: { voided: true } };
  return undefined;
};

/**
 * Folds one committed event (at its current schema version: the read path upcast it) into the patient's
 * state. Unknown types are remembered but change nothing else.
 */
export const evolvePatient = (state: PatientState, event: CommittedEvent): PatientState => {
  const next = withEntry(state, event);
  if (!isCatalogued(event)) return next;

  switch (event.type) {
    case 'PatientEnrolled': {
      const enrolled = event.data;
      return {
        ...next,
        patientId: enrolled.patientId,
        siteId: enrolled.siteId,
        status: 'enrolled',
        consentDate: enrolled.consentDate,
        enrolledAt: event.occurredAt,
        heightCm: enrolled.heightCm,
        weightKg: enrolled.weightKg,
      };
    }
    case 'PatientScreenFailed': {
      const failed = event.data;
      return {
        ...next,
        patientId: failed.patientId,
        siteId: failed.siteId,
        status: 'screen_failed',
        consentDate: failed.consentDate,
      };
    }
    case 'PatientRandomized':
      return {
        ...next,
        status: next.status === 'withdrawn' ? 'withdrawn' : 'randomized',
        randomizedAt: event.occurredAt,
        kitNumber: event.data.kitNumber,
      };
    case 'PatientWithdrawn':
      return { ...next, status: 'withdrawn', withdrawnAt: event.occurredAt };
    case 'InfusionGiven': {
      const infusion = event.data;
      return {
        ...next,
        infusions: [
          ...next.infusions,
          {
            eventId: event.eventId,
            occurredAt: event.occurredAt,
            cycle: infusion.cycle,
            infusionInCycle: infusion.infusionInCycle,
            doseLevelMgPerM2: infusion.doseLevelMgPerM2,
            voided: false,
          },
        ],
      };
    }
    case 'EntryCorrected': {
      const correction = event.data;
      const target = correction.correctedEventId;
      let corrected = updateEntry(next, target, { ...amendmentOf(event)?.change, correctedBy: event.eventId });
      corrected = {
        ...corrected,
        corrections: {
          ...corrected.corrections,
          [target]: { correctionEventId: event.eventId, occurredAt: event.occurredAt, data: correction.data },
        },
      };
      if (correction.correctedType === 'InfusionGiven') {
        corrected = updateInfusion(corrected, target, {
          occurredAt: event.occurredAt,
          doseLevelMgPerM2: correction.data.doseLevelMgPerM2,
        });
      }
      return corrected;
    }
    case 'EntryVoided': {
      const target = event.data.voidedEventId;
      const voided = updateInfusion(updateEntry(next, target, { ...amendmentOf(event)?.change }), target, { voided: true });
      return { ...voided, voidedEventIds: [...voided.voidedEventIds, target] };
    }
    default:
      return next;
  }
};

/** Folds a whole stream, oldest first. */
export const patientStateFrom = (events: Iterable<CommittedEvent>): PatientState => {
  let state = initialPatientState;
  for (const event of events) state = evolvePatient(state, event);
  return state;
};

/** Infusions that still count (not voided), in recording order. */
export const activeInfusions = (state: PatientState): InfusionRecord[] => state.infusions.filter((i) => !i.voided);
