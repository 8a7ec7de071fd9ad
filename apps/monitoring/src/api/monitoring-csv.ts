import { stringify } from 'csv-stringify/sync';
import type { DeviationView, QueryView, VisitView } from '../indicators/patient-monitoring';
import { MONITORING_DEVIATION_CODES, type SiteIndicators } from '../indicators/site-indicators';
import type { PatientListItem } from './site-lists';

type CsvValue = string | number | boolean | null;
/** A column: its header and how to read it from an item. */
type Column<T> = readonly [string, (item: T) => CsvValue];

/**
 * RFC 4180 CSV: a header, CRLF line ends, fields quoted when they hold a comma, quote or line break,
 * null as an empty field. Each export flattens the items its JSON list returns, nothing more.
 */
const csvOf = <T>(columns: readonly Column<T>[], items: readonly T[]): string =>
  stringify(
    items.map((item) => columns.map(([, read]) => read(item))),
    {
      header: true,
      columns: columns.map(([header]) => header),
      record_delimiter: 'windows',
      // csv-stringify quotes only the record delimiter itself; a lone LF or CR would split the row for most readers
      quoted_match: /[\r\n]/,
    },
  );

const visitIds = (visits: readonly VisitView[]): string => visits.map((visit) => visit.visitId).join(' ');
const missingForms = (visits: readonly VisitView[]): string =>
  visits.map((visit) => `${visit.visitId}: ${visit.missingForms.join(' ')}`).join('; ');
const valueText = (value: unknown): CsvValue =>
  value === undefined
    ? null
    : value === null || ['string', 'number', 'boolean'].includes(typeof value)
      ? (value as CsvValue)
      : JSON.stringify(value);

const SITE_COLUMNS: readonly Column<SiteIndicators>[] = [
  ['siteId', (s) => s.siteId],
  ['name', (s) => s.name],
  ['asOf', (s) => s.asOf],
  ['screened', (s) => s.patients.screened],
  ['enrolled', (s) => s.patients.enrolled],
  ['screenFailures', (s) => s.patients.screenFailures],
  ['randomized', (s) => s.patients.randomized],
  ['active', (s) => s.patients.active],
  ['withdrawn', (s) => s.patients.withdrawn],
  ['visitsExpected', (s) => s.visits.expected],
  ['visitsDone', (s) => s.visits.done],
  ['visitsDue', (s) => s.visits.due],
  ['visitsOverdue', (s) => s.visits.overdue],
  ['missingForms', (s) => s.visits.missingForms],
  ['latencyCount', (s) => s.dataEntryLatency.count],
  ['latencyMedianDays', (s) => s.dataEntryLatency.median],
  ['latencyP90Days', (s) => s.dataEntryLatency.p90],
  ['latencyOver5Days', (s) => s.dataEntryLatency.over5Days],
  ['deviations', (s) => s.deviations.total],
  ...MONITORING_DEVIATION_CODES.map((code): Column<SiteIndicators> => [`deviations:${code}`, (s) => s.deviations.byCode[code]]),
  ['adverseEvents', (s) => s.adverseEvents.total],
  ['seriousAdverseEvents', (s) => s.adverseEvents.serious],
  ['openQueries', (s) => s.queries.open.count],
  ['oldestOpenQueryDays', (s) => s.queries.open.oldestAgeDays],
  ['answeredQueries', (s) => s.queries.answered.count],
  ['oldestAnsweredQueryDays', (s) => s.queries.answered.oldestAgeDays],
  ['closedQueries', (s) => s.queries.closed.count],
  ['cancelledQueries', (s) => s.queries.cancelled.count],
  ['sdvVerified', (s) => s.sourceDataVerification.verified],
  ['sdvEligible', (s) => s.sourceDataVerification.eligible],
  ['sdvShare', (s) => s.sourceDataVerification.share],
  ['codeBreaks', (s) => s.codeBreaks.events],
  ['patientsWithCodeBreak', (s) => s.codeBreaks.patients],
];

const PATIENT_COLUMNS: readonly Column<PatientListItem>[] = [
  ['patientId', (p) => p.patientId],
  ['status', (p) => p.status],
  ['consentDate', (p) => p.consentDate],
  ['randomizationDate', (p) => p.randomizationDate],
  ['withdrawalDate', (p) => p.withdrawalDate],
  ['nextVisit', (p) => p.nextVisit?.visitId ?? null],
  ['nextVisitStatus', (p) => p.nextVisit?.status ?? null],
  ['nextVisitTargetDate', (p) => p.nextVisit?.targetDate ?? null],
  ['nextVisitWindowStart', (p) => p.nextVisit?.windowStart ?? null],
  ['nextVisitWindowEnd', (p) => p.nextVisit?.windowEnd ?? null],
  ['overdueVisits', (p) => visitIds(p.overdueVisits)],
  ['missingForms', (p) => missingForms(p.overdueVisits)],
  ['visitsExpected', (p) => p.visits.expected],
  ['visitsDone', (p) => p.visits.done],
  ['visitsDue', (p) => p.visits.due],
  ['visitsOverdue', (p) => p.visits.overdue],
  ['deviations', (p) => p.deviations],
  ['adverseEvents', (p) => p.adverseEvents.total],
  ['seriousAdverseEvents', (p) => p.adverseEvents.serious],
  ['openQueries', (p) => p.queries.open],
  ['answeredQueries', (p) => p.queries.answered],
  ['closedQueries', (p) => p.queries.closed],
  ['cancelledQueries', (p) => p.queries.cancelled],
  ['sdvVerified', (p) => p.sourceDataVerification.verified],
  ['sdvEligible', (p) => p.sourceDataVerification.eligible],
  ['codeBreaks', (p) => p.codeBreaks],
];

const DEVIATION_COLUMNS: readonly Column<DeviationView>[] = [
  ['patientId', (d) => d.patientId],
  ['code', (d) => d.code],
  ['occurredOn', (d) => d.occurredOn],
  ['visitId', (d) => d.visitId ?? null],
  ['eventIds', (d) => d.eventIds.join(' ')],
  ['detail', (d) => d.detail],
];

const QUERY_COLUMNS: readonly Column<QueryView>[] = [
  ['queryId', (q) => q.queryId],
  ['patientId', (q) => q.patientId],
  ['targetEventId', (q) => q.targetEventId],
  ['targetType', (q) => q.targetType],
  ['field', (q) => q.field],
  ['status', (q) => q.status],
  ['text', (q) => q.text],
  ['raisedAt', (q) => q.raisedAt],
  ['ageDays', (q) => q.ageDays],
  ['reopenedCount', (q) => q.reopenedCount],
  ['answer', (q) => q.answer?.text ?? null],
  ['answeredAt', (q) => q.answer?.at ?? null],
  ['correctionEventId', (q) => q.answer?.correctionEventId ?? null],
  ['currentValue', (q) => valueText(q.currentValue)],
];

export const sitesCsv = (sites: readonly SiteIndicators[]): string => csvOf(SITE_COLUMNS, sites);
export const patientsCsv = (patients: readonly PatientListItem[]): string => csvOf(PATIENT_COLUMNS, patients);
export const deviationsCsv = (deviations: readonly DeviationView[]): string => csvOf(DEVIATION_COLUMNS, deviations);
export const queriesCsv = (queries: readonly QueryView[]): string => csvOf(QUERY_COLUMNS, queries);
