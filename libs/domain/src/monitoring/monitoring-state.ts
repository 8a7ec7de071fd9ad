import { CataloguedEvent, isCatalogued } from '../events/catalog';
import { CommittedEvent, evolvePatient, initialPatientState, PatientFold, PatientState } from '../patient-state';
import { QueryStatus, SourceDataVerified } from './events';
import { evolveSignatures, SignatureRecords } from '../signatures/signature-status';
import { ownValue } from './own';

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

type QueryEvent = CataloguedEvent<CommittedEvent, 'QueryRaised' | 'QueryAnswered' | 'QueryClosed' | 'QueryCancelled' | 'QueryReopened'>;

const evolveQuery = (queries: MonitoredPatientState['queries'], event: QueryEvent): MonitoredPatientState['queries'] => {
  if (event.type === 'QueryRaised') {
    const raised = event.data;
    const record: QueryRecord = {
      queryId: raised.queryId,
      targetEventId: raised.targetEventId,
      field: raised.field,
      status: 'open',
      text: raised.text,
      raisedAt: event.occurredAt,
      reopenedCount: 0,
      history: [{ action: 'raise', eventId: event.eventId, at: event.occurredAt, status: 'open', text: raised.text }],
    };
    return { ...queries, [raised.queryId]: record };
  }
  const queryId = event.data.queryId;
  const query = ownValue(queries, queryId);
  // decide functions never let such an event through; a stream written otherwise is not ours to repair
  if (!query) return queries;
  const at = event.occurredAt;
  const base = { eventId: event.eventId, at };
  let next: QueryRecord;
  switch (event.type) {
    case 'QueryAnswered': {
      const { text, correctionEventId } = event.data;
      const correction = correctionEventId ? { correctionEventId } : {};
      next = step(query, { answer: { text, at, ...correction } }, { action: 'answer', ...base, status: 'answered', text, ...correction });
      break;
    }
    case 'QueryClosed':
      next = step(query, {}, { action: 'close', ...base, status: 'closed' });
      break;
    case 'QueryCancelled':
      next = step(query, {}, { action: 'cancel', ...base, status: 'cancelled', text: event.data.reason });
      break;
    case 'QueryReopened': {
      const { text } = event.data;
      next = step(query, { text, reopenedCount: query.reopenedCount + 1 }, { action: 'reopen', ...base, status: 'open', text });
      break;
    }
  }
  return { ...queries, [queryId]: next };
};

const verify = (
  verifications: MonitoredPatientState['verifications'],
  event: CommittedEvent,
  { targetEventId, fields }: SourceDataVerified,
): MonitoredPatientState['verifications'] => {
  const previous = ownValue(verifications, targetEventId);
  const stillVerified = previous?.status === 'verified' ? previous.fields : [];
  const merged = fields === undefined || stillVerified === 'all' ? 'all' : [...new Set([...stillVerified, ...fields])];
  return {
    ...verifications,
    [targetEventId]: {
      targetEventId,
      status: 'verified',
      fields: merged,
      verifiedAt: event.occurredAt,
      verificationEventId: event.eventId,
    },
  };
};

const unverifyCorrected = (
  verifications: MonitoredPatientState['verifications'],
  correctionEventId: string,
  correctedEventId: string,
): MonitoredPatientState['verifications'] => {
  const record = ownValue(verifications, correctedEventId);
  if (record?.status !== 'verified') return verifications;
  return { ...verifications, [correctedEventId]: { ...record, status: 'unverified', invalidatedBy: correctionEventId } };
};

/**
 * Folds one event of the patient's stream. The patient part is `evolvePatient`'s (which keeps the
 * monitoring events among its entries without acting on them); queries and verification are this
 * fold's own.
 */
export const evolveMonitoring = (state: MonitoredPatientState, event: CommittedEvent): MonitoredPatientState =>
  withPatientAfter(state, evolvePatient(state.patient, event), event);

/**
 * The monitoring state after `event`, given the patient part after it: queries and verification follow the event,
 * and signatures are checked against the patient as the event left it (none of which keeps the patient part).
 */
const withPatientAfter = (state: MonitoredPatientState, patient: PatientState, event: CommittedEvent): MonitoredPatientState => {
  const next = evolveQueriesAndVerification({ ...state, patient }, event);
  // rows folded before signatures existed have none
  return { ...next, signatures: evolveSignatures(state.signatures ?? {}, patient, event) };
};

const evolveQueriesAndVerification = (state: MonitoredPatientState, event: CommittedEvent): MonitoredPatientState => {
  if (!isCatalogued(event)) return state;
  switch (event.type) {
    case 'SourceDataVerified':
      return { ...state, verifications: verify(state.verifications, event, event.data) };
    case 'QueryRaised':
    case 'QueryAnswered':
    case 'QueryClosed':
    case 'QueryCancelled':
    case 'QueryReopened':
      return { ...state, queries: evolveQuery(state.queries, event) };
    case 'EntryCorrected':
      return { ...state, verifications: unverifyCorrected(state.verifications, event.eventId, event.data.correctedEventId) };
    default:
      return state;
  }
};

/**
 * Folds events into the state, oldest first, as `evolveMonitoring` one by one would: the patient part in one open
 * fold, so its entries are copied once, not per event. The state folded into stays as it was.
 */
export const foldMonitoring = (state: MonitoredPatientState, events: Iterable<CommittedEvent>): MonitoredPatientState => {
  const patient = new PatientFold(state.patient);
  let next = state;
  for (const event of events) {
    patient.add(event);
    next = withPatientAfter(next, patient.state, event);
  }
  return next;
};

/** Folds a whole stream, oldest first. */
export const monitoredPatientStateFrom = (events: Iterable<CommittedEvent>): MonitoredPatientState =>
  foldMonitoring(initialMonitoredPatientState, events);

export const isVerified = (state: MonitoredPatientState, eventId: string): boolean =>
  ownValue(state.verifications, eventId)?.status === 'verified';
