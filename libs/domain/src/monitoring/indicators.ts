import { quantileSorted } from 'simple-statistics';
import { isAllocationRevealing } from '../blinding';
import { clinicalTimeOf, daysBetween, parseClinicalTime } from '../clinical-time';
import { roundTo } from '../calculators';
import { ProtocolDefinition } from '../protocol';
import { asOfDate } from './calendar';
import { isMonitoredEventType } from './event-fields';
import { QueryStatus } from './events';
import { isVerified, MonitoredPatientState, QueryRecord } from './monitoring-state';

const OFFSET = /(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Data-entry latency in whole calendar days: the date the event was recorded minus the clinical
 * date it reports. Both dates are the site's calendar: the clinical date as written, and the
 * recording instant seen at the offset the site gave with its time (UTC when it gave a date only,
 * as the server cannot know the site's zone). A date-only entry made on its own day has latency 0,
 * whatever the hour; whole days is how monitoring plans state entry targets ("within 5 days").
 * Never negative: a date-only entry of "today" at a site east of UTC may be recorded on the
 * previous UTC day.
 */
export const dataEntryLatency = (occurredAt: string, recordedAt: string): number => {
  const occurred = parseClinicalTime(occurredAt);
  if (!occurred) throw new RangeError(`occurredAt must be a clinical time, got ${occurredAt}`);
  const recorded = parseClinicalTime(recordedAt);
  if (!recorded?.instant) throw new RangeError(`recordedAt must be a date-time with offset, got ${recordedAt}`);
  let offsetMinutes = 0;
  const zone = occurred.instant === undefined ? undefined : OFFSET.exec(occurredAt);
  if (zone?.[1]) offsetMinutes = (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3]));
  // the server records in UTC ('…Z'): seen at offset zero, its date is the one written, no Date needed
  const recordedOn =
    offsetMinutes === 0 && recordedAt.endsWith('Z')
      ? recorded.date
      : new Date(recorded.instant + offsetMinutes * 60_000).toISOString().slice(0, 10);
  return Math.max(0, daysBetween(occurred.date, recordedOn));
};

/** Monitoring plans expect data entered within this many days of the visit. */
export const LATENCY_TARGET_DAYS = 5;

export interface LatencySummary {
  count: number;
  median: number | null;
  p90: number | null;
  /** Entries later than the target: more than 5 days. */
  over5Days: number;
}

/**
 * Median and 90th percentile by simple-statistics' `quantileSorted`: linear interpolation between
 * order statistics (Hyndman–Fan type 7, the default of R and numpy), so the 90th percentile of
 * 1..10 is 9.1. Binary noise (7.2000000000000001) is rounded off at 9 decimals.
 */
export const latencySummary = (latencies: readonly number[]): LatencySummary => {
  for (const latency of latencies) {
    if (!Number.isFinite(latency) || latency < 0) throw new RangeError(`a latency must be a non-negative number, got ${latency}`);
  }
  const over5Days = latencies.filter((latency) => latency > LATENCY_TARGET_DAYS).length;
  if (latencies.length === 0) return { count: 0, median: null, p90: null, over5Days };
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: sorted.length,
    median: roundTo(quantileSorted(sorted, 0.5), 9),
    p90: roundTo(quantileSorted(sorted, 0.9), 9),
    over5Days,
  };
};

/** Query actions carry the server's clock in UTC: their date is the UTC date. */
const stepDate = (at: string): string => clinicalTimeOf(at).date;

/** A query's status at the end of the `asOf` date, replaying its history; null when it was raised later. */
export const queryStatusAt = (query: Pick<QueryRecord, 'history'>, asOf: string): QueryStatus | null => {
  const until = asOfDate(asOf);
  let status: QueryStatus | null = null;
  for (const step of query.history) {
    if (stepDate(step.at) > until) break;
    status = step.status;
  }
  return status;
};

/**
 * How many calendar days a query has been alive at `asOf`: from the day it was raised to `asOf`, or
 * to the day it was closed or cancelled if it was by then (a re-opened query ages from its raising).
 * Null when it was raised after `asOf`.
 */
export const queryAge = (query: Pick<QueryRecord, 'history'>, asOf: string): number | null => {
  const until = asOfDate(asOf);
  const [raised] = query.history;
  if (!raised || stepDate(raised.at) > until) return null;
  const happened = query.history.filter((step) => stepDate(step.at) <= until);
  const last = happened[happened.length - 1];
  const end = last.status === 'closed' || last.status === 'cancelled' ? stepDate(last.at) : until;
  return daysBetween(stepDate(raised.at), end);
};

/** Share (0 to 1) of eligible events that are source-data-verified; null when nothing is eligible. */
export const sdvShare = (verifiedCount: number, eligibleCount: number): number | null => {
  for (const [name, value] of [
    ['verifiedCount', verifiedCount],
    ['eligibleCount', eligibleCount],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative whole number, got ${value}`);
  }
  if (verifiedCount > eligibleCount) throw new RangeError(`verifiedCount ${verifiedCount} exceeds eligibleCount ${eligibleCount}`);
  return eligibleCount === 0 ? null : verifiedCount / eligibleCount;
};

/**
 * The SDV denominator and numerator of one patient: monitored events that are not voided and not
 * allocation-revealing (blinded monitors cannot verify a masked analyte); verified are those whose
 * verification no later correction has undone. Partial (targeted) verification counts as verified.
 */
export const sdvCountsOf = (
  state: MonitoredPatientState,
  protocol: Pick<ProtocolDefinition, 'maskedAnalytes'>,
): { verified: number; eligible: number } => {
  let verified = 0;
  let eligible = 0;
  for (const [eventId, entry] of Object.entries(state.patient.entries)) {
    if (!isMonitoredEventType(entry.type) || entry.voided || isAllocationRevealing(protocol, entry)) continue;
    eligible += 1;
    if (isVerified(state, eventId)) verified += 1;
  }
  return { verified, eligible };
};
