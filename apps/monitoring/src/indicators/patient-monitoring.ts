import {
  AdverseEventReported,
  AMENDABLE_EVENT_TYPES,
  asOfDate,
  clinicalTimeOf,
  dataEntryLatency,
  FormCode,
  MonitoredPatientState,
  ProtocolDefinition,
  ProtocolDeviation,
  protocolDeviationsOf,
  queryAge,
  QueryStatus,
  QueryStep,
  queryStatusAt,
  recordedEventsOf,
  scheduleDatesOf,
  scheduleFor,
  sdvCountsOf,
  VisitSchedule,
  VisitStatus,
  visitStatus,
  visitWindowDeviations,
} from '@trialstream/domain';
import { CODE_BREAK_EVENT_TYPE } from '../projection/blinded-fold';
import type { LoggedEvent } from '../projection/monitoring-rows';
import { fieldValueOf } from './field-value';

/** What the read model holds of one patient, with the fold's entries in stream order. */
export interface PatientFacts {
  patientId: string;
  siteId: string | null;
  state: MonitoredPatientState;
  log: readonly LoggedEvent[];
}

export interface MonitoringRules {
  schedule: VisitSchedule;
  protocol: Pick<ProtocolDefinition, 'maskedAnalytes'>;
}

/** Where a patient stood at the end of a date; patients who had not consented by then are not counted at all. */
export type PatientStatusOnDate = 'enrolled' | 'screen_failed' | 'randomized' | 'withdrawn';
export const PATIENT_STATUSES_ON_DATE: readonly PatientStatusOnDate[] = ['enrolled', 'screen_failed', 'randomized', 'withdrawn'];

export interface VisitCounts {
  /** Visits whose window had opened by the date, or that were already complete. */
  expected: number;
  done: number;
  /** Window open, forms still outstanding. */
  due: number;
  /** Window closed, forms missing. */
  overdue: number;
  /** Forms missing from overdue visits. */
  missingForms: number;
}

export interface VisitView {
  visitId: string;
  label: string;
  kind: 'assessment' | 'infusion';
  targetDate: string;
  windowStart: string;
  windowEnd: string;
  status: VisitStatus;
  /** Expected forms not recorded by the date. */
  missingForms: FormCode[];
}

export interface QueryView {
  queryId: string;
  patientId: string;
  siteId: string | null;
  targetEventId: string;
  /** The questioned event's type, e.g. InfusionGiven. */
  targetType: string | null;
  field: string;
  /** The query's state at the end of the date. */
  status: QueryStatus;
  /** The question as it stood: the raising text or the latest re-opening's. */
  text: string;
  raisedAt: string;
  /** Calendar days alive at the date, or until it was closed or cancelled. */
  ageDays: number;
  reopenedCount: number;
  answer: { text: string; at: string; correctionEventId?: string } | null;
  /** The questioned field in the record as it stands now: after a correction, the corrected value. */
  currentValue: unknown;
  history: QueryStep[];
}

export type DeviationView = ProtocolDeviation & { patientId: string };

export interface PatientMonitoring {
  patientId: string;
  siteId: string | null;
  status: PatientStatusOnDate;
  consentDate: string;
  randomizationDate: string | null;
  withdrawalDate: string | null;
  visits: VisitView[];
  visitCounts: VisitCounts;
  /** The first visit, in schedule order, that is due or still to come. */
  nextVisit: VisitView | null;
  overdueVisits: VisitView[];
  deviations: DeviationView[];
  /** Data-entry latency in days of each clinical entry dated by the date. */
  latencies: number[];
  adverseEvents: { total: number; serious: number };
  queries: QueryView[];
  /** Of the record as it stands now (verification has no history to replay by date). */
  sourceDataVerification: { verified: number; eligible: number };
  /** Emergency code-breaks by the date: that one happened, never what it revealed. */
  codeBreaks: number;
}

const CLINICAL_ENTRY_TYPES: readonly string[] = AMENDABLE_EVENT_TYPES;
const dateOf = (time: string): string => clinicalTimeOf(time).date;

function statusOnDate(dates: ReturnType<typeof scheduleDatesOf>): PatientStatusOnDate {
  if (dates.screenFailed) return 'screen_failed';
  if (dates.withdrawalDate !== null) return 'withdrawn';
  if (dates.randomizationDate !== null) return 'randomized';
  return 'enrolled';
}

const visitView = ({ visitId, label, kind, targetDate, windowStart, windowEnd, status, missingForms }: VisitView): VisitView => ({
  visitId,
  label,
  kind,
  targetDate,
  windowStart,
  windowEnd,
  status,
  missingForms,
});

function visitCounts(visits: readonly VisitView[]): VisitCounts {
  const count = (status: VisitStatus) => visits.filter((visit) => visit.status === status).length;
  const overdue = visits.filter((visit) => visit.status === 'overdue');
  return {
    expected: visits.length - count('upcoming'),
    done: count('done'),
    due: count('due'),
    overdue: overdue.length,
    missingForms: overdue.reduce((sum, visit) => sum + visit.missingForms.length, 0),
  };
}

function queryViews(facts: PatientFacts, asOf: string): QueryView[] {
  const until = asOfDate(asOf);
  const entries = facts.state.patient.entries;
  // jsonb keeps no key order: queries come out in the order they were raised
  const raised = Object.values(facts.state.queries).sort((a, b) => (a.raisedAt < b.raisedAt ? -1 : a.raisedAt > b.raisedAt ? 1 : 0));
  return raised.flatMap((query): QueryView[] => {
    const status = queryStatusAt(query, asOf);
    const ageDays = queryAge(query, asOf);
    if (status === null || ageDays === null) return [];
    const history = query.history.filter((step) => dateOf(step.at) <= until);
    const question = history.filter((step) => step.action === 'raise' || step.action === 'reopen').at(-1);
    const answer = history.filter((step) => step.action === 'answer').at(-1);
    const target = Object.prototype.hasOwnProperty.call(entries, query.targetEventId) ? entries[query.targetEventId] : undefined;
    return [
      {
        queryId: query.queryId,
        patientId: facts.patientId,
        siteId: facts.siteId,
        targetEventId: query.targetEventId,
        targetType: target?.type ?? null,
        field: query.field,
        status,
        text: question?.text ?? query.text,
        raisedAt: query.raisedAt,
        ageDays,
        reopenedCount: history.filter((step) => step.action === 'reopen').length,
        answer: answer
          ? { text: answer.text ?? '', at: answer.at, ...(answer.correctionEventId ? { correctionEventId: answer.correctionEventId } : {}) }
          : null,
        currentValue: target ? (fieldValueOf(target, query.field) ?? null) : null,
        history,
      },
    ];
  });
}

function latenciesOf(facts: PatientFacts, until: string): number[] {
  const entries = facts.state.patient.entries;
  return facts.log
    .filter(
      (logged) =>
        CLINICAL_ENTRY_TYPES.includes(logged.type) && entries[logged.eventId]?.voided === false && dateOf(logged.occurredAt) <= until,
    )
    .map((logged) => dataEntryLatency(logged.occurredAt, logged.recordedAt));
}

/**
 * One patient's monitoring picture at the end of `asOf`, computed from stored facts with the domain's
 * rules: the schedule seen on that date, clinical facts dated by then (the record as it stands, so a
 * late entry dated earlier counts and shows as latency), queries replayed to that date. Null when the
 * patient had not consented by then.
 */
export function patientMonitoringAt(facts: PatientFacts, asOf: string, rules: MonitoringRules): PatientMonitoring | null {
  const until = asOfDate(asOf);
  const patient = facts.state.patient;
  const dates = scheduleDatesOf(patient, asOf);
  if (dates.consentDate === null) return null;

  const status = statusOnDate(dates);
  // a screen failure accepts no further data (the domain's admission rule), so its screening visit
  // could never be completed: tracking it would show every screen failure as overdue
  const recorded = recordedEventsOf(patient);
  const rated = status === 'screen_failed' ? [] : visitStatus(scheduleFor(dates, rules.schedule), recorded, asOf);
  const visits = rated.map(visitView);
  const deviations: DeviationView[] = [
    ...recorded.flatMap(protocolDeviationsOf).filter((deviation) => deviation.occurredOn <= until),
    ...visitWindowDeviations(rated),
  ]
    .sort((a, b) => (a.occurredOn < b.occurredOn ? -1 : a.occurredOn > b.occurredOn ? 1 : a.code.localeCompare(b.code)))
    .map((deviation) => ({ patientId: facts.patientId, ...deviation }));
  const adverseEvents = recorded.filter(
    (event) => event.type === 'AdverseEventReported' && !event.voided && dateOf(event.occurredAt) <= until,
  );

  return {
    patientId: facts.patientId,
    siteId: facts.siteId,
    status,
    consentDate: dates.consentDate,
    randomizationDate: dates.randomizationDate,
    withdrawalDate: dates.withdrawalDate,
    visits,
    visitCounts: visitCounts(visits),
    nextVisit: visits.find((visit) => visit.status === 'due' || visit.status === 'upcoming') ?? null,
    overdueVisits: visits.filter((visit) => visit.status === 'overdue'),
    deviations,
    latencies: latenciesOf(facts, until),
    adverseEvents: {
      total: adverseEvents.length,
      serious: adverseEvents.filter((event) => (event.data as AdverseEventReported).serious === true).length,
    },
    queries: queryViews(facts, asOf),
    sourceDataVerification: sdvCountsOf(facts.state, rules.protocol),
    codeBreaks: facts.log.filter((logged) => logged.type === CODE_BREAK_EVENT_TYPE && dateOf(logged.occurredAt) <= until).length,
  };
}
