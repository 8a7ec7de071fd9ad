import { CataloguedEvent, isCatalogued, StoredEventType } from '../events/catalog';
import { CommittedEvent, initialPatientState, PatientFold, PatientState } from '../patient-state';
import { QueryStatus } from './events';
import { SignatureFold, SignatureRecords } from '../signatures/signature-status';
import { ownValue, setOwnValue } from './own';

export type QueryAction = 'raise' | 'answer' | 'close' | 'cancel' | 'reopen';

/**
 * Which query states each action leaves from and goes to (CDISC ODM v2 states).
 * - Only an answered query can be closed: "closed" means resolved by the site's answer. A monitor
 *   who no longer needs an unanswered query cancels it, with a reason, so the two never blur in the
 *   counts of what sites resolved.
 * - Answering needs an open query; a second answer follows a re-opening, so each answer replies to
 *   one question text.
 * - Re-opening follows an answer or a closure; a cancelled query stays cancelled (raise a new one).
 */
export const QUERY_TRANSITIONS: Readonly<Record<Exclude<QueryAction, 'raise'>, { from: readonly QueryStatus[]; to: QueryStatus }>> = {
  answer: { from: ['open'], to: 'answered' },
  close: { from: ['answered'], to: 'closed' },
  cancel: { from: ['open', 'answered'], to: 'cancelled' },
  reopen: { from: ['answered', 'closed'], to: 'open' },
};

/** One step of a query's life, with the event that made it. */
export interface QueryStep {
  action: QueryAction;
  eventId: string;
  /** When the action was decided (server time, ISO 8601). */
  at: string;
  status: QueryStatus;
  /** The question, the answer or the cancellation reason. */
  text?: string;
  correctionEventId?: string;
}

export interface QueryRecord {
  queryId: string;
  targetEventId: string;
  field: string;
  status: QueryStatus;
  /** The current question: the raising text, or the latest re-opening's. */
  text: string;
  raisedAt: string;
  reopenedCount: number;
  /** The latest answer, if any. */
  answer?: { text: string; at: string; correctionEventId?: string };
  history: readonly QueryStep[];
}

/**
 * Source data verification of one event. Verification is derived, not a status event: a correction
 * recorded after it makes the event unverified again (the verified value is gone), and verifying the
 * corrected value is a new SourceDataVerified.
 */
export interface VerificationRecord {
  targetEventId: string;
  status: 'verified' | 'unverified';
  /** 'all' when the whole event was verified; otherwise the fields verified so far. */
  fields: 'all' | readonly string[];
  verifiedAt: string;
  verificationEventId: string;
  /** The correction that made a verified event unverified. */
  invalidatedBy?: string;
}

/** A patient's stream folded for monitoring: the patient's clinical state plus queries and verification. */
export interface MonitoredPatientState {
  patient: PatientState;
  queries: Readonly<Record<string, QueryRecord>>;
  verifications: Readonly<Record<string, VerificationRecord>>;
  /** Electronic signatures of the casebook or its visits, valid or invalidated by a later event in scope. */
  signatures: SignatureRecords;
}

export const initialMonitoredPatientState: MonitoredPatientState = {
  patient: initialPatientState,
  queries: {},
  verifications: {},
  signatures: {},
};

const step = (query: QueryRecord, change: Partial<QueryRecord>, next: QueryStep): QueryRecord => ({
  ...query,
  ...change,
  status: next.status,
  history: [...query.history, next],
});

/** The patient's stream event of this type, as the fold receives it (current schema version). */
type Folded<T extends StoredEventType> = CataloguedEvent<CommittedEvent, T>;

type QueryFollowUp = Folded<'QueryAnswered' | 'QueryClosed' | 'QueryCancelled' | 'QueryReopened'>;

const raisedQuery = ({ eventId, occurredAt, data }: Folded<'QueryRaised'>): QueryRecord => ({
  queryId: data.queryId,
  targetEventId: data.targetEventId,
  field: data.field,
  status: 'open',
  text: data.text,
  raisedAt: occurredAt,
  reopenedCount: 0,
  history: [{ action: 'raise', eventId, at: occurredAt, status: 'open', text: data.text }],
});

/** The query as `event` leaves it; undefined for a query never raised, which the event leaves alone. */
const queryAfter = (query: QueryRecord | undefined, event: QueryFollowUp): QueryRecord | undefined => {
  // decide functions never let such an event through; a stream written otherwise is not ours to repair
  if (!query) return undefined;
  const at = event.occurredAt;
  const base = { eventId: event.eventId, at };
  switch (event.type) {
    case 'QueryAnswered': {
      const { text, correctionEventId } = event.data;
      const correction = correctionEventId ? { correctionEventId } : {};
      return step(query, { answer: { text, at, ...correction } }, { action: 'answer', ...base, status: 'answered', text, ...correction });
    }
    case 'QueryClosed':
      return step(query, {}, { action: 'close', ...base, status: 'closed' });
    case 'QueryCancelled':
      return step(query, {}, { action: 'cancel', ...base, status: 'cancelled', text: event.data.reason });
    case 'QueryReopened': {
      const { text } = event.data;
      return step(query, { text, reopenedCount: query.reopenedCount + 1 }, { action: 'reopen', ...base, status: 'open', text });
    }
  }
};

/** Fields verified earlier still count, unless a correction has unverified the event since. */
const verified = (
  previous: VerificationRecord | undefined,
  { eventId, occurredAt, data }: Folded<'SourceDataVerified'>,
): VerificationRecord => {
  const stillVerified = previous?.status === 'verified' ? previous.fields : [];
  const fields = data.fields === undefined || stillVerified === 'all' ? 'all' : [...new Set([...stillVerified, ...data.fields])];
  return { targetEventId: data.targetEventId, status: 'verified', fields, verifiedAt: occurredAt, verificationEventId: eventId };
};

/** The verification a correction invalidates; undefined when there is no verified value to lose. */
const unverifiedBy = (record: VerificationRecord | undefined, correctionEventId: string): VerificationRecord | undefined =>
  record?.status === 'verified' ? { ...record, status: 'unverified', invalidatedBy: correctionEventId } : undefined;

/**
 * A monitoring fold kept open over several events. Like the `PatientFold` and `SignatureFold` it holds for those
 * parts, it copies the queries and the verifications on its first change to each and changes the copy in place
 * after that, so a whole stream costs one copy, not one per event. A query or verification that changes is
 * replaced, never changed in place: the state folded into may hold it, and that state stays as it was.
 */
export class MonitoringFold {
  readonly state: { -readonly [K in keyof MonitoredPatientState]: MonitoredPatientState[K] };
  private readonly patient: PatientFold;
  private readonly signatures: SignatureFold;
  private queries: Record<string, QueryRecord> | null = null;
  private verifications: Record<string, VerificationRecord> | null = null;

  constructor(from: MonitoredPatientState) {
    this.patient = new PatientFold(from.patient);
    // rows folded before signatures existed have none
    this.signatures = new SignatureFold(from.signatures ?? {});
    this.state = { ...from, patient: this.patient.state };
  }

  /**
   * The patient part is `PatientFold`'s (which keeps the monitoring events among its entries without acting on
   * them); queries and verification are this fold's own; signatures are checked against the patient as the event
   * left it.
   */
  add(event: CommittedEvent): void {
    this.patient.add(event);
    foldQueriesAndVerification(this, event);
    this.signatures.add(this.state.patient, event);
    this.state.signatures = this.signatures.state;
  }

  setQuery(queryId: string, query: QueryRecord): void {
    this.queries ??= this.state.queries = { ...this.state.queries };
    setOwnValue(this.queries, queryId, query);
  }

  setVerification(eventId: string, verification: VerificationRecord): void {
    this.verifications ??= this.state.verifications = { ...this.state.verifications };
    setOwnValue(this.verifications, eventId, verification);
  }
}

function foldQueriesAndVerification(fold: MonitoringFold, event: CommittedEvent): void {
  if (!isCatalogued(event)) return;
  const { queries, verifications } = fold.state;
  switch (event.type) {
    case 'SourceDataVerified': {
      const target = event.data.targetEventId;
      return fold.setVerification(target, verified(ownValue(verifications, target), event));
    }
    case 'QueryRaised':
      return fold.setQuery(event.data.queryId, raisedQuery(event));
    case 'QueryAnswered':
    case 'QueryClosed':
    case 'QueryCancelled':
    case 'QueryReopened': {
      const queryId = event.data.queryId;
      const query = queryAfter(ownValue(queries, queryId), event);
      if (query) fold.setQuery(queryId, query);
      return;
    }
    case 'EntryCorrected': {
      const target = event.data.correctedEventId;
      const verification = unverifiedBy(ownValue(verifications, target), event.eventId);
      if (verification) fold.setVerification(target, verification);
      return;
    }
  }
}

/**
 * Folds events into the state, oldest first, in one open fold: the patient's entries, the queries, the verifications
 * and the signatures are each copied once, not per event. The state folded into stays as it was.
 */
export const foldMonitoring = (state: MonitoredPatientState, events: Iterable<CommittedEvent>): MonitoredPatientState => {
  const fold = new MonitoringFold(state);
  for (const event of events) fold.add(event);
  return fold.state;
};

/** Folds one event of the patient's stream. */
export const evolveMonitoring = (state: MonitoredPatientState, event: CommittedEvent): MonitoredPatientState =>
  foldMonitoring(state, [event]);

/** Folds a whole stream, oldest first. */
export const monitoredPatientStateFrom = (events: Iterable<CommittedEvent>): MonitoredPatientState =>
  foldMonitoring(initialMonitoredPatientState, events);

export const isVerified = (state: MonitoredPatientState, eventId: string): boolean =>
  ownValue(state.verifications, eventId)?.status === 'verified';
