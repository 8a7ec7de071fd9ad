import {
  amendmentOf,
  evolveMonitoring,
  EventEnvelope,
  initialMonitoredPatientState,
  isCatalogued,
  MONITORING_EVENT_TYPES,
  PATIENT_EVENT_TYPES,
  trialKeyOfStream,
  patientIdOfStream,
  ProtocolActivated,
  SIGNATURE_EVENT_TYPES,
  SiteActivated,
  trialMaskedAnalytes,
  type CommittedEvent,
  type ProtocolDefinition,
} from '@trialstream/domain';
import {
  defineProjection,
  type PartitionRef,
  type Projection,
  type ProjectionHandler,
  type RowAccess,
  type RowRef,
} from '@trialstream/projections';
import { blindedForMonitoring, CODE_BREAK_EVENT_TYPE } from './blinded-fold';
import {
  MONITORING_EVENTS,
  MONITORING_PATIENTS,
  MONITORING_SITES,
  MONITORING_SITE_ACTIVITY,
  MONITORING_TRIALS,
  eventFactsOf,
  MonitoringEventRow,
  MonitoringPatientRow,
  MonitoringSiteActivityRow,
  MonitoringSiteRow,
  MonitoringTrialRow,
  withFoldParts,
  withoutFoldParts,
  type EventFacts,
} from './monitoring-rows';

const patientIdOf = (event: EventEnvelope): string => {
  const patientId = patientIdOfStream(event.streamId);
  if (patientId === undefined) throw new Error(`${event.type} arrived on ${event.streamId}, which is not a patient stream`);
  return patientId;
};

/** What the trial masks: its protocol's, as its trial stream declared it (constant over amendments). */
const maskingOf = async (rows: RowAccess, streamId: string): Promise<Pick<ProtocolDefinition, 'maskedAnalytes'>> => {
  const trial = (await rows.get(MONITORING_TRIALS, trialKeyOfStream(streamId))) as MonitoringTrialRow | undefined;
  return { maskedAnalytes: trial?.masked_analytes ?? trialMaskedAnalytes([]) };
};

/**
 * The event rows an event's fold reads and may rewrite besides its own: the entry it amends or
 * verifies, the query it moves on (kept on the row of the event that raised it).
 */
function targetsOf(event: CommittedEvent): { eventId?: string; queryId?: string } | undefined {
  const amended = amendmentOf(event)?.eventId;
  if (amended !== undefined) return { eventId: amended };
  if (!isCatalogued(event)) return undefined;
  switch (event.type) {
    case 'SourceDataVerified':
      return { eventId: event.data.targetEventId };
    case 'QueryAnswered':
    case 'QueryClosed':
    case 'QueryCancelled':
    case 'QueryReopened':
      return { queryId: event.data.queryId };
    default:
      return undefined;
  }
}

/** The patient's event rows the event targets; none for most events, which read no other row. */
async function targetRowsOf(rows: RowAccess, patientId: string, event: CommittedEvent): Promise<MonitoringEventRow[]> {
  const targets = targetsOf(event);
  if (!targets) return [];
  const events = (await rows.list(MONITORING_EVENTS, patientId)) as MonitoringEventRow[];
  const raisedBy = targets.queryId === undefined ? undefined : events.find((row) => row.query?.queryId === targets.queryId);
  return events.filter((row) => row.event_id === targets.eventId || row === raisedBy);
}

const sameFacts = (a: EventFacts, b: EventFacts): boolean =>
  a.entry === b.entry && a.correction === b.correction && a.verification === b.verification && a.query === b.query;

/**
 * Folds each patient's stream, blinded, with the domain's own monitoring fold (the write side decides
 * queries against the same fold). Only the patient's stream writes its rows, so the result does not
 * depend on how patient streams interleave.
 *
 * An event writes what it changes, not the patient's history: the small patient row, its own event
 * row, and the row it targets (the entry it amends or verifies, the query it moves on). The fold reads
 * nothing else of what the event rows hold, so it runs on the patient row's state with just those.
 */
const recordPatientEvent: ProjectionHandler = async (event, rows) => {
  const patientId = patientIdOf(event);
  const current = (await rows.get(MONITORING_PATIENTS, patientId)) as MonitoringPatientRow | undefined;
  const blinded = blindedForMonitoring(await maskingOf(rows, event.streamId), event);
  const before = current?.state ?? initialMonitoredPatientState;
  const targets = blinded ? await targetRowsOf(rows, patientId, blinded) : [];
  const folded = blinded ? evolveMonitoring(withFoldParts(before, targets), blinded) : before;
  const state = withoutFoldParts(folded);
  const next: MonitoringPatientRow = {
    patient_id: patientId,
    site_id: state.patient.siteId ?? current?.site_id ?? event.siteId,
    status: state.patient.status,
    consent_date: state.patient.consentDate,
    state,
    stream_version: event.streamVersion,
  };
  rows.put(MONITORING_PATIENTS, next);
  if (next.site_id !== null) {
    const activity = (await rows.get(MONITORING_SITE_ACTIVITY, next.site_id)) as MonitoringSiteActivityRow | undefined;
    const counted: MonitoringSiteActivityRow = { site_id: next.site_id, patient_events: (activity?.patient_events ?? 0) + 1 };
    rows.put(MONITORING_SITE_ACTIVITY, counted);
  }
  const logged: MonitoringEventRow = {
    patient_id: patientId,
    stream_version: event.streamVersion,
    event_id: event.eventId,
    type: event.type,
    occurred_at: event.occurredAt,
    recorded_at: event.recordedAt,
    ...eventFactsOf(folded, event.eventId),
  };
  rows.put(MONITORING_EVENTS, logged);
  for (const target of targets) {
    const facts = eventFactsOf(folded, target.event_id);
    if (!sameFacts(facts, target)) rows.put(MONITORING_EVENTS, { ...target, ...facts });
  }
};

/** The trial's first protocol version fixes its masking (amendments keep it: masked-analytes-unchanged). */
const recordProtocolVersion: ProjectionHandler<ProtocolActivated> = async (event, rows) => {
  const trial = trialKeyOfStream(event.streamId);
  if (await rows.get(MONITORING_TRIALS, trial)) return;
  const row: MonitoringTrialRow = { trial, masked_analytes: trialMaskedAnalytes([event.data]) };
  rows.put(MONITORING_TRIALS, row);
};

const recordSiteActivation: ProjectionHandler<SiteActivated> = (event, rows) => {
  const site: MonitoringSiteRow = {
    site_id: event.data.siteId,
    name: event.data.name,
    country: event.data.country ?? null,
    activated_on: event.occurredAt.slice(0, 10),
  };
  rows.put(MONITORING_SITES, site);
};

function prefetchRows(event: EventEnvelope): Array<RowRef | PartitionRef> {
  const trial = { table: MONITORING_TRIALS, key: trialKeyOfStream(event.streamId) };
  const patientId = patientIdOfStream(event.streamId);
  if (patientId === undefined) return [trial];
  const patient = [
    { table: MONITORING_PATIENTS, key: patientId },
    trial,
    ...(event.siteId ? [{ table: MONITORING_SITE_ACTIVITY, key: event.siteId }] : []),
  ];
  // the rows an event targets are found among the patient's event rows
  return targetsOf(event) ? [...patient, { table: MONITORING_EVENTS, partition: patientId }] : patient;
}

/**
 * The per-site monitoring read model (schema `monitoring`): per-patient facts and the sites. Every
 * indicator is computed from them at query time, for the date asked; per-site figures are sums over
 * patient rows, never stored; the one row several streams write is a site's count of its patients'
 * events (`site_activity`), which readers keeping a site's figures check.
 */
function monitoringProjection(): Projection {
  const patientTypes = [...PATIENT_EVENT_TYPES, ...MONITORING_EVENT_TYPES, ...SIGNATURE_EVENT_TYPES, CODE_BREAK_EVENT_TYPE];
  return defineProjection({
    name: 'monitoring',
    // 3: each event's own row in `events` (the log, and the fold's entries, corrections, verifications and queries), no longer the whole history in `patients`
    // 4: site_activity, each site's count of its patients' events
    version: 4,
    schema: 'monitoring',
    tables: [
      {
        name: MONITORING_PATIENTS,
        columns: {
          patient_id: 'text',
          site_id: { type: 'text', nullable: true },
          status: 'text',
          consent_date: { type: 'date', nullable: true },
          state: 'jsonb',
          stream_version: 'integer',
        },
        primaryKey: ['patient_id'],
        indexes: [['site_id', 'consent_date']],
      },
      {
        name: MONITORING_SITES,
        columns: { site_id: 'text', name: 'text', country: { type: 'text', nullable: true }, activated_on: 'date' },
        primaryKey: ['site_id'],
      },
      {
        name: MONITORING_SITE_ACTIVITY,
        columns: { site_id: 'text', patient_events: 'integer' },
        primaryKey: ['site_id'],
      },
      {
        name: MONITORING_TRIALS,
        columns: { trial: 'text', masked_analytes: 'jsonb' },
        primaryKey: ['trial'],
      },
      {
        name: MONITORING_EVENTS,
        columns: {
          patient_id: 'text',
          stream_version: 'integer',
          event_id: 'text',
          type: 'text',
          // text, not timestamptz: the offset of a clinical time is the site's date
          occurred_at: 'text',
          recorded_at: 'text',
          entry: { type: 'jsonb', nullable: true },
          correction: { type: 'jsonb', nullable: true },
          verification: { type: 'jsonb', nullable: true },
          query: { type: 'jsonb', nullable: true },
        },
        primaryKey: ['patient_id', 'stream_version'],
      },
    ],
    handlers: {
      ...Object.fromEntries(patientTypes.map((type) => [type, recordPatientEvent])),
      SiteActivated: recordSiteActivation,
      ProtocolActivated: recordProtocolVersion,
    },
    prefetch: prefetchRows,
  });
}

export const MONITORING_PROJECTION = monitoringProjection();
