import { sdvShare, type MonitoringDeviationCode, type QueryStatus } from '@trialstream/domain';
import type {
  DeviationView,
  PatientMonitoring,
  PatientStatusOnDate,
  QueryView,
  VisitCounts,
  VisitView,
} from '../indicators/patient-monitoring';

export interface Page<T> {
  items: T[];
  /** Rows matching the filters, over all pages. */
  total: number;
  limit: number;
  offset: number;
}

/** One page of `rows`; only the rows on it are made items (a site's list may hold hundreds of patients). */
export const pageOf = <R, T>(rows: readonly R[], limit: number, offset: number, toItem: (row: R) => T): Page<T> => ({
  items: rows.slice(offset, offset + limit).map(toItem),
  total: rows.length,
  limit,
  offset,
});

/** A patient in a site's list: where they stand, what comes next, what is overdue or missing. */
export interface PatientListItem {
  patientId: string;
  status: PatientStatusOnDate;
  consentDate: string;
  randomizationDate: string | null;
  withdrawalDate: string | null;
  nextVisit: VisitView | null;
  overdueVisits: VisitView[];
  /** Every visit of the schedule as of the date, for the subject matrix (patients × visits). */
  schedule: Array<Pick<VisitView, 'visitId' | 'label' | 'kind' | 'status' | 'missingForms'>>;
  visits: VisitCounts;
  deviations: number;
  adverseEvents: { total: number; serious: number };
  queries: Record<QueryStatus, number>;
  sourceDataVerification: { verified: number; eligible: number; share: number | null };
  codeBreaks: number;
}

const queryCounts = (queries: readonly QueryView[]): Record<QueryStatus, number> => ({
  open: queries.filter((query) => query.status === 'open').length,
  answered: queries.filter((query) => query.status === 'answered').length,
  closed: queries.filter((query) => query.status === 'closed').length,
  cancelled: queries.filter((query) => query.status === 'cancelled').length,
});

/** The site's patients the filter keeps, in the site's order. */
export function patientsWithStatus(patients: readonly PatientMonitoring[], filter: { status?: PatientStatusOnDate }): PatientMonitoring[] {
  return patients.filter((patient) => filter.status === undefined || patient.status === filter.status);
}

/** A site's patients as its list shows them (every row: the CSV export). */
export function patientList(patients: readonly PatientMonitoring[], filter: { status?: PatientStatusOnDate }): PatientListItem[] {
  return patientsWithStatus(patients, filter).map(patientListItem);
}

/** A patient as the site's list shows them. */
export function patientListItem(patient: PatientMonitoring): PatientListItem {
  return {
    patientId: patient.patientId,
    status: patient.status,
    consentDate: patient.consentDate,
    randomizationDate: patient.randomizationDate,
    withdrawalDate: patient.withdrawalDate,
    nextVisit: patient.nextVisit,
    overdueVisits: patient.overdueVisits,
    schedule: patient.visits.map(({ visitId, label, kind, status, missingForms }) => ({ visitId, label, kind, status, missingForms })),
    visits: patient.visitCounts,
    deviations: patient.deviations.length,
    adverseEvents: patient.adverseEvents,
    queries: queryCounts(patient.queries),
    sourceDataVerification: {
      ...patient.sourceDataVerification,
      share: sdvShare(patient.sourceDataVerification.verified, patient.sourceDataVerification.eligible),
    },
    codeBreaks: patient.codeBreaks,
  };
}

/** A site's deviations, oldest first. */
export function deviationList(
  patients: readonly PatientMonitoring[],
  filter: { code?: MonitoringDeviationCode; patientId?: string },
): DeviationView[] {
  return patients
    .filter((patient) => filter.patientId === undefined || patient.patientId === filter.patientId)
    .flatMap((patient) => patient.deviations)
    .filter((deviation) => filter.code === undefined || deviation.code === filter.code)
    .sort((a, b) => compare(a.occurredOn, b.occurredOn) || compare(a.patientId, b.patientId) || compare(a.code, b.code));
}

/** A site's queries, oldest first: the inbox a site works through. */
export function queryList(patients: readonly PatientMonitoring[], filter: { status?: QueryStatus; patientId?: string }): QueryView[] {
  return patients
    .filter((patient) => filter.patientId === undefined || patient.patientId === filter.patientId)
    .flatMap((patient) => patient.queries)
    .filter((query) => filter.status === undefined || query.status === filter.status)
    .sort((a, b) => compare(a.raisedAt, b.raisedAt) || compare(a.queryId, b.queryId));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
