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

/**
 * What a correction or a void does to the entry it targets: the one statement of these rules. The
 * patient's state applies them; read models that keep entries fold the stream with `evolvePatient` or a `PatientFold`.
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

/**
 * A patient's fold kept open, for a caller that reads the state between events (a projection folding a batch).
 * `state` is changed in place by `add`: its collections are copied on the fold's first change to each, once
 * however many events it folds, and changed in place after that. A changed entry or infusion is a new object, so
 * an entry read before an event keeps its value. The state the fold was opened from stays as it was.
 */
export class PatientFold {
  readonly state: { -readonly [K in keyof PatientState]: PatientState[K] };
  private entries: Record<string, StreamEntry> | null = null;
  private infusions: InfusionRecord[] | null = null;
  private voidedEventIds: string[] | null = null;
  private corrections: Record<string, PatientState['corrections'][string]> | null = null;

  constructor(from: PatientState) {
    this.state = { ...from };
  }

  /** Folds one committed event (at its current schema version: the read path upcast it). */
  add(event: CommittedEvent): void {
    foldInto(this, event);
  }

  setEntry(eventId: string, entry: StreamEntry): void {
    this.entries ??= this.state.entries = { ...this.state.entries };
    this.entries[eventId] = entry;
  }

  updateEntry(eventId: string, change: Partial<StreamEntry>): void {
    const entry = this.state.entries[eventId];
    if (entry) this.setEntry(eventId, { ...entry, ...change });
  }

  addInfusion(infusion: InfusionRecord): void {
    this.infusions ??= this.state.infusions = [...this.state.infusions];
    this.infusions.push(infusion);
  }

  updateInfusion(eventId: string, change: Partial<InfusionRecord>): void {
    const index = this.state.infusions.findIndex((infusion) => infusion.eventId === eventId);
    if (index < 0) return;
    this.infusions ??= this.state.infusions = [...this.state.infusions];
    this.infusions[index] = { ...this.infusions[index], ...change };
  }

  addVoided(eventId: string): void {
    this.voidedEventIds ??= this.state.voidedEventIds = [...this.state.voidedEventIds];
    this.voidedEventIds.push(eventId);
  }

  setCorrection(eventId: string, correction: PatientState['corrections'][string]): void {
    this.corrections ??= this.state.corrections = { ...this.state.corrections };
    this.corrections[eventId] = correction;
  }
}

const enrolled = ({ state }: PatientFold, { occurredAt, data }: Folded<'PatientEnrolled'>): void => {
  state.patientId = data.patientId;
  state.siteId = data.siteId;
  state.status = 'enrolled';
  state.consentDate = data.consentDate;
  state.enrolledAt = occurredAt;
  state.heightCm = data.heightCm;
  state.weightKg = data.weightKg;
};

const screenFailed = ({ state }: PatientFold, { data }: Folded<'PatientScreenFailed'>): void => {
  state.patientId = data.patientId;
  state.siteId = data.siteId;
  state.status = 'screen_failed';
  state.consentDate = data.consentDate;
};

/** A withdrawal recorded before a late randomization entry still stands. */
const randomized = ({ state }: PatientFold, { occurredAt, data }: Folded<'PatientRandomized'>): void => {
  state.status = state.status === 'withdrawn' ? 'withdrawn' : 'randomized';
  state.randomizedAt = occurredAt;
  state.kitNumber = data.kitNumber;
};

const infusionGiven = (fold: PatientFold, { eventId, occurredAt, data }: Folded<'InfusionGiven'>): void =>
  fold.addInfusion({
    eventId,
    occurredAt,
    cycle: data.cycle,
    infusionInCycle: data.infusionInCycle,
    doseLevelMgPerM2: data.doseLevelMgPerM2,
    voided: false,
  });

/** The entry takes the corrected time and payload; a corrected infusion moves in the treatment too. */
const entryCorrected = (fold: PatientFold, event: Folded<'EntryCorrected'>): void => {
  const { correctedEventId: target, correctedType, data } = event.data;
  fold.updateEntry(target, { ...amendmentOf(event)?.change, correctedBy: event.eventId });
  fold.setCorrection(target, { correctionEventId: event.eventId, occurredAt: event.occurredAt, data });
  if (correctedType === 'InfusionGiven') {
    fold.updateInfusion(target, { occurredAt: event.occurredAt, doseLevelMgPerM2: data.doseLevelMgPerM2 });
  }
};

/** The entry stays, marked void; a voided infusion no longer counts. */
const entryVoided = (fold: PatientFold, event: Folded<'EntryVoided'>): void => {
  const target = event.data.voidedEventId;
  fold.updateEntry(target, { ...amendmentOf(event)?.change });
  fold.updateInfusion(target, { voided: true });
  fold.addVoided(target);
};

/** Every event is remembered among the entries; unknown types change nothing else. */
function foldInto(fold: PatientFold, event: CommittedEvent): void {
  fold.setEntry(event.eventId, { type: event.type, occurredAt: event.occurredAt, data: event.data, voided: false });
  if (!isCatalogued(event)) return;
  switch (event.type) {
    case 'PatientEnrolled':
      return enrolled(fold, event);
    case 'PatientScreenFailed':
      return screenFailed(fold, event);
    case 'PatientRandomized':
      return randomized(fold, event);
    case 'PatientWithdrawn':
      fold.state.status = 'withdrawn';
      fold.state.withdrawnAt = event.occurredAt;
      return;
    case 'InfusionGiven':
      return infusionGiven(fold, event);
    case 'EntryCorrected':
      return entryCorrected(fold, event);
    case 'EntryVoided':
      return entryVoided(fold, event);
  }
}

/**
 * Folds committed events (at their current schema version: the read path upcast them), oldest first, into the
 * patient's state. Linear in the state's size plus the events': each collection is copied once, not per event.
 */
export const foldPatient = (state: PatientState, events: Iterable<CommittedEvent>): PatientState => {
  const fold = new PatientFold(state);
  for (const event of events) fold.add(event);
  return fold.state;
};

/** Folds one committed event into the patient's state. */
export const evolvePatient = (state: PatientState, event: CommittedEvent): PatientState => foldPatient(state, [event]);

/** Folds a whole stream, oldest first. */
export const patientStateFrom = (events: Iterable<CommittedEvent>): PatientState => foldPatient(initialPatientState, events);

/** Infusions that still count (not voided), in recording order. */
export const activeInfusions = (state: PatientState): InfusionRecord[] => state.infusions.filter((i) => !i.voided);
