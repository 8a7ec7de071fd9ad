import type { EventEnvelope } from '@trialstream/domain';
import { PATIENT_EVENT_TYPES, patientIdOfStream } from '@trialstream/domain';
import type { PatientEnrolled, PatientScreenFailed } from '@trialstream/domain';
import type { SiteActivated } from '@trialstream/domain';
import { defineProjection, type ProjectionHandler, type ProjectionHandlers, type RowAccess, type RowRef } from '../projection';
import { REGISTRY_STATUSES, statusAfter, type RegistryStatus } from './registry-status';

/** One row per patient: who, where, how far in the trial, and what has been recorded. */
export type RegistryPatientRow = {
  patient_id: string;
  stream_id: string;
  site_id: string | null;
  status: RegistryStatus;
  /** Clinical time of the enrolment, as the site reported it. */
  enrolled_at: string | null;
  last_event_type: string;
  /** Server time (recorded-at) of the patient's latest event. */
  last_event_at: string;
  last_stream_version: number;
  /** Recorded events by type, e.g. { "InfusionGiven": 4 }; query with (event_counts->>'InfusionGiven')::int. */
  event_counts: Record<string, number>;
  total_events: number;
};

/** One row per site: its activation and how many of its patients are in each status now. */
export type RegistrySiteRow = Record<RegistryStatus, number> & {
  site_id: string;
  name: string | null;
  activated_at: string | null;
  patients: number;
};

export const REGISTRY_PATIENTS = 'patients';
export const REGISTRY_SITES = 'sites';

/**
 * A batch is applied stream by stream, so consecutive events mostly share their stream: remembering the
 * last stream's patient spares parsing its id for every event.
 */
let lastStream: { streamId: string; patientId: string | undefined } = { streamId: '', patientId: undefined };
const patientOfStream = (streamId: string): string | undefined => {
  if (lastStream.streamId !== streamId) lastStream = { streamId, patientId: patientIdOfStream(streamId) };
  return lastStream.patientId;
};

const patientIdOf = (event: EventEnvelope): string => {
  const patientId = patientOfStream(event.streamId);
  if (patientId === undefined) throw new Error(`${event.type} arrived on ${event.streamId}, which is not a patient stream`);
  return patientId;
};

/** The site a patient belongs to: named by enrolment and screen failure, carried on every envelope. */
const siteOf = (event: EventEnvelope): string | null => {
  if (event.type === 'PatientEnrolled' || event.type === 'PatientScreenFailed') {
    return (event.data as PatientEnrolled | PatientScreenFailed).siteId ?? event.siteId;
  }
  return event.siteId;
};

const emptySite = (siteId: string): RegistrySiteRow => ({
  site_id: siteId,
  name: null,
  activated_at: null,
  patients: 0,
  ...(Object.fromEntries(REGISTRY_STATUSES.map((status) => [status, 0])) as Record<RegistryStatus, number>),
});

/**
 * Moves a patient between (site, status) cells of the site counts. Increments and decrements commute,
 * so the counts come out the same whichever patient's events are applied first.
 */
async function movePatient(
  rows: RowAccess,
  from: { siteId: string | null; status: RegistryStatus } | null,
  to: { siteId: string | null; status: RegistryStatus },
): Promise<void> {
  if (from && from.siteId === to.siteId && from.status === to.status) return;
  if (from?.siteId) {
    const site = ((await rows.get(REGISTRY_SITES, from.siteId)) as RegistrySiteRow | undefined) ?? emptySite(from.siteId);
    rows.put(REGISTRY_SITES, { ...site, patients: site.patients - 1, [from.status]: site[from.status] - 1 });
  }
  if (to.siteId) {
    const site = ((await rows.get(REGISTRY_SITES, to.siteId)) as RegistrySiteRow | undefined) ?? emptySite(to.siteId);
    rows.put(REGISTRY_SITES, { ...site, patients: site.patients + 1, [to.status]: site[to.status] + 1 });
  }
}

/** Every patient event: counts it, remembers it as the latest, and applies its status change. */
const recordPatientEvent: ProjectionHandler = async (event, rows) => {
  const patientId = patientIdOf(event);
  const current = (await rows.get(REGISTRY_PATIENTS, patientId)) as RegistryPatientRow | undefined;
  const status = statusAfter(current?.status ?? 'not_enrolled', event.type);
  const siteId = current?.site_id ?? siteOf(event);
  const counts = current?.event_counts ?? {};
  const next: RegistryPatientRow = {
    patient_id: patientId,
    stream_id: event.streamId,
    site_id: siteId,
    status,
    enrolled_at: event.type === 'PatientEnrolled' ? event.occurredAt : (current?.enrolled_at ?? null),
    last_event_type: event.type,
    last_event_at: event.recordedAt,
    last_stream_version: event.streamVersion,
    event_counts: { ...counts, [event.type]: (counts[event.type] ?? 0) + 1 },
    total_events: (current?.total_events ?? 0) + 1,
  };
  rows.put(REGISTRY_PATIENTS, next);
  await movePatient(rows, current ? { siteId: current.site_id, status: current.status } : null, { siteId, status });
};

/** A site's own facts live on its own stream; they set columns patient events never touch. */
const recordSiteActivation: ProjectionHandler<SiteActivated> = async (event, rows) => {
  const site = ((await rows.get(REGISTRY_SITES, event.data.siteId)) as RegistrySiteRow | undefined) ?? emptySite(event.data.siteId);
  rows.put(REGISTRY_SITES, { ...site, name: event.data.name, activated_at: event.occurredAt });
};

/** Patient events that move a patient between status cells of a site, and so read and write the site's row. */
const STATUS_CHANGING_TYPES = new Set<string>(
  PATIENT_EVENT_TYPES.filter((type) => REGISTRY_STATUSES.some((status) => statusAfter(status, type) !== status)),
);

/**
 * The rows a batch's events read, fetched together before it is applied. A site's row is read only for events that
 * can move a patient between its cells (most events, results and assessments, leave the counts alone); a patient's
 * first event of another type, should there be one, reads its site's row when applied.
 */
function prefetchRegistryRows(event: EventEnvelope): RowRef[] {
  if (event.type === 'SiteActivated') return [{ table: REGISTRY_SITES, key: (event.data as SiteActivated).siteId }];
  const patientId = patientOfStream(event.streamId);
  if (patientId === undefined) return [];
  const site = STATUS_CHANGING_TYPES.has(event.type) ? siteOf(event) : null;
  const patient = { table: REGISTRY_PATIENTS, key: patientId };
  return site ? [patient, { table: REGISTRY_SITES, key: site }] : [patient];
}

const handlers: ProjectionHandlers = {
  ...Object.fromEntries(PATIENT_EVENT_TYPES.map((type) => [type, recordPatientEvent])),
  SiteActivated: recordSiteActivation,
};

/**
 * The patient registry: the first read model on the projection runtime, for monitors. Each patient's
 * row is folded from that patient's stream only; the site counts are sums over patients, updated by
 * moving a patient between cells, so the result does not depend on how streams interleave.
 */
export const REGISTRY_PROJECTION = defineProjection({
  name: 'registry',
  version: 1,
  schema: 'registry',
  tables: [
    {
      name: REGISTRY_PATIENTS,
      columns: {
        patient_id: 'text',
        stream_id: 'text',
        site_id: { type: 'text', nullable: true },
        status: 'text',
        enrolled_at: { type: 'text', nullable: true },
        last_event_type: 'text',
        last_event_at: 'timestamptz',
        last_stream_version: 'integer',
        event_counts: 'jsonb',
        total_events: 'integer',
      },
      primaryKey: ['patient_id'],
      indexes: [['site_id', 'status'], ['status']],
    },
    {
      name: REGISTRY_SITES,
      columns: {
        site_id: 'text',
        name: { type: 'text', nullable: true },
        activated_at: { type: 'text', nullable: true },
        patients: 'integer',
        ...Object.fromEntries(REGISTRY_STATUSES.map((status) => [status, 'integer' as const])),
      },
      primaryKey: ['site_id'],
    },
  ],
  handlers,
  prefetch: prefetchRegistryRows,
});
