import {
  DEVIATION_CODES,
  LatencySummary,
  latencySummary,
  MonitoringDeviationCode,
  QueryStatus,
  sdvShare,
  VISIT_OUT_OF_WINDOW,
} from '@trialstream/domain';
import type { PatientMonitoring, VisitCounts } from './patient-monitoring';

export const MONITORING_DEVIATION_CODES: readonly MonitoringDeviationCode[] = [...DEVIATION_CODES, VISIT_OUT_OF_WINDOW];

export interface QueryCount {
  count: number;
  /** Age in days of the oldest such query at the date; null when there is none. */
  oldestAgeDays: number | null;
}

/** A site's figures at the end of `asOf`: sums over its patients, so they need no cross-stream state. */
export interface SiteIndicators {
  siteId: string;
  name: string | null;
  asOf: string;
  patients: {
    /** Consented by the date: enrolled plus screen failures. */
    screened: number;
    enrolled: number;
    screenFailures: number;
    randomized: number;
    /** Randomized and not withdrawn. */
    active: number;
    withdrawn: number;
  };
  visits: VisitCounts;
  dataEntryLatency: LatencySummary;
  deviations: { total: number; byCode: Record<MonitoringDeviationCode, number> };
  adverseEvents: { total: number; serious: number };
  queries: Record<'open' | 'answered' | 'closed' | 'cancelled', QueryCount>;
  sourceDataVerification: { verified: number; eligible: number; share: number | null };
  codeBreaks: { events: number; patients: number };
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

function queryCount(patients: readonly PatientMonitoring[], status: QueryStatus): QueryCount {
  const ages = patients.flatMap((patient) => patient.queries.filter((query) => query.status === status).map((query) => query.ageDays));
  return { count: ages.length, oldestAgeDays: ages.length === 0 ? null : Math.max(...ages) };
}

export function siteIndicators(
  site: { siteId: string; name: string | null },
  patients: readonly PatientMonitoring[],
  asOf: string,
): SiteIndicators {
  const count = (predicate: (patient: PatientMonitoring) => boolean) => patients.filter(predicate).length;
  const visits = (key: keyof VisitCounts) => sum(patients.map((patient) => patient.visitCounts[key]));
  const deviations = patients.flatMap((patient) => patient.deviations);
  const verified = sum(patients.map((patient) => patient.sourceDataVerification.verified));
  const eligible = sum(patients.map((patient) => patient.sourceDataVerification.eligible));
  return {
    siteId: site.siteId,
    name: site.name,
    asOf,
    patients: {
      screened: patients.length,
      enrolled: count((patient) => patient.status !== 'screen_failed'),
      screenFailures: count((patient) => patient.status === 'screen_failed'),
      randomized: count((patient) => patient.randomizationDate !== null),
      active: count((patient) => patient.randomizationDate !== null && patient.withdrawalDate === null),
      withdrawn: count((patient) => patient.withdrawalDate !== null),
    },
    visits: {
      expected: visits('expected'),
      done: visits('done'),
      due: visits('due'),
      overdue: visits('overdue'),
      missingForms: visits('missingForms'),
    },
    // one summary over every entry of the site: medians of patients do not add up
    dataEntryLatency: latencySummary(patients.flatMap((patient) => patient.latencies)),
    deviations: {
      total: deviations.length,
      byCode: Object.fromEntries(
        MONITORING_DEVIATION_CODES.map((code) => [code, deviations.filter((deviation) => deviation.code === code).length]),
      ) as Record<MonitoringDeviationCode, number>,
    },
    adverseEvents: {
      total: sum(patients.map((patient) => patient.adverseEvents.total)),
      serious: sum(patients.map((patient) => patient.adverseEvents.serious)),
    },
    queries: {
      open: queryCount(patients, 'open'),
      answered: queryCount(patients, 'answered'),
      closed: queryCount(patients, 'closed'),
      cancelled: queryCount(patients, 'cancelled'),
    },
    sourceDataVerification: { verified, eligible, share: sdvShare(verified, eligible) },
    codeBreaks: { events: sum(patients.map((patient) => patient.codeBreaks)), patients: count((patient) => patient.codeBreaks > 0) },
  };
}
