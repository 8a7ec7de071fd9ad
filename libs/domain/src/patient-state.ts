import { CataloguedEvent, isCatalogued, StoredEventType } from './events/catalog';

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
 * What a correction or a void does to the entry it targets: the one statement of these rules. The
 * patient's state applies them; read models that keep entries fold the stream with `evolvePatient`.
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

/** The patient's stream event of this type, as the fold receives it (current schema version). */
type Folded<T extends StoredEventType> = CataloguedEvent<CommittedEvent, T>;

const enrolled = (state: PatientState, { occurredAt, data }: Folded<'PatientEnrolled'>): PatientState => ({
  ...state,
  patientId: data.patientId,
  siteId: data.siteId,
  status: 'enrolled',
  consentDate: data.consentDate,
  enrolledAt: occurredAt,
  heightCm: data.heightCm,
  weightKg: data.weightKg,
});

const screenFailed = (state: PatientState, { data }: Folded<'PatientScreenFailed'>): PatientState => ({
  ...state,
  patientId: data.patientId,
  siteId: data.siteId,
  status: 'screen_failed',
  consentDate: data.consentDate,
});

/** A withdrawal recorded before a late randomization entry still stands. */
const randomized = (state: PatientState, { occurredAt, data }: Folded<'PatientRandomized'>): PatientState => ({
  ...state,
  status: state.status === 'withdrawn' ? 'withdrawn' : 'randomized',
  randomizedAt: occurredAt,
  kitNumber: data.kitNumber,
});

const infusionGiven = (state: PatientState, { eventId, occurredAt, data }: Folded<'InfusionGiven'>): PatientState => ({
  ...state,
  infusions: [
    ...state.infusions,
    {
      eventId,
      occurredAt,
      cycle: data.cycle,
      infusionInCycle: data.infusionInCycle,
      doseLevelMgPerM2: data.doseLevelMgPerM2,
      voided: false,
    },
  ],
});

/** The entry takes the corrected time and payload; a corrected infusion moves in the treatment too. */
const entryCorrected = (state: PatientState, event: Folded<'EntryCorrected'>): PatientState => {
  const { correctedEventId: target, correctedType, data } = event.data;
  const corrected = updateEntry(state, target, { ...amendmentOf(event)?.change, correctedBy: event.eventId });
  const withCorrection: PatientState = {
    ...corrected,
    corrections: { ...corrected.corrections, [target]: { correctionEventId: event.eventId, occurredAt: event.occurredAt, data } },
  };
  if (correctedType !== 'InfusionGiven') return withCorrection;
  return updateInfusion(withCorrection, target, { occurredAt: event.occurredAt, doseLevelMgPerM2: data.doseLevelMgPerM2 });
};

/** The entry stays, marked void; a voided infusion no longer counts. */
const entryVoided = (state: PatientState, event: Folded<'EntryVoided'>): PatientState => {
  const target = event.data.voidedEventId;
  const voided = updateInfusion(updateEntry(state, target, { ...amendmentOf(event)?.change }), target, { voided: true });
  return { ...voided, voidedEventIds: [...voided.voidedEventIds, target] };
};

/**
 * Folds one committed event (at its current schema version: the read path upcast it) into the patient's
 * state. Every event is remembered among the entries; unknown types change nothing else.
 */
export const evolvePatient = (state: PatientState, event: CommittedEvent): PatientState => {
  const next = withEntry(state, event);
  if (!isCatalogued(event)) return next;
  switch (event.type) {
    case 'PatientEnrolled':
      return enrolled(next, event);
    case 'PatientScreenFailed':
      return screenFailed(next, event);
    case 'PatientRandomized':
      return randomized(next, event);
    case 'PatientWithdrawn':
      return { ...next, status: 'withdrawn', withdrawnAt: event.occurredAt };
    case 'InfusionGiven':
      return infusionGiven(next, event);
    case 'EntryCorrected':
      return entryCorrected(next, event);
    case 'EntryVoided':
      return entryVoided(next, event);
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
