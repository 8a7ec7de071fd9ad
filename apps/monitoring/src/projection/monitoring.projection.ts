import {
  evolveMonitoring,
  EventEnvelope,
  initialMonitoredPatientState,
  MONITORING_EVENT_TYPES,
  PATIENT_EVENT_TYPES,
  trialKeyOfStream,
  patientIdOfStream,
  ProtocolActivated,
  SIGNATURE_EVENT_TYPES,
  SiteActivated,
  trialMaskedAnalytes,
  type ProtocolDefinition,
} from '@trialstream/domain';
import { defineProjection, type Projection, type ProjectionHandler, type RowAccess, type RowRef } from '@trialstream/projections';
import { blindedForMonitoring, CODE_BREAK_EVENT_TYPE } from './blinded-fold';
import {
  LoggedEvent,
  MONITORING_PATIENTS,
  MONITORING_SITES,
  MONITORING_TRIALS,
  MonitoringPatientRow,
  MonitoringSiteRow,
  MonitoringTrialRow,
} from './monitoring-rows';

const patientIdOf = (event: EventEnvelope): string => {
  const patientId = patientIdOfStream(event.streamId);
  if (patientId === undefined) throw new Error(`${event.type} arrived on ${event.streamId}, which is not a patient stream`);
  return patientId;
};

const loggedEvent = (event: EventEnvelope): LoggedEvent => ({
  eventId: event.eventId,
  type: event.type,
  occurredAt: event.occurredAt,
  recordedAt: event.recordedAt,
});

/** What the trial masks: its protocol's, as its trial stream declared it (constant over amendments). */
const maskingOf = async (rows: RowAccess, streamId: string): Promise<Pick<ProtocolDefinition, 'maskedAnalytes'>> => {
  const trial = (await rows.get(MONITORING_TRIALS, trialKeyOfStream(streamId))) as MonitoringTrialRow | undefined;
  return { maskedAnalytes: trial?.masked_analytes ?? trialMaskedAnalytes([]) };
};

/**
 * Folds each patient's stream, blinded, with the domain's own monitoring fold (the write side decides
 * queries against the same fold). Only the patient's stream writes its row, so the result does not
 * depend on how patient streams interleave.
 */
const recordPatientEvent: ProjectionHandler = async (event, rows) => {
  const patientId = patientIdOf(event);
  const current = (await rows.get(MONITORING_PATIENTS, patientId)) as MonitoringPatientRow | undefined;
  const blinded = blindedForMonitoring(await maskingOf(rows, event.streamId), event);
  const state = blinded
    ? evolveMonitoring(current?.state ?? initialMonitoredPatientState, blinded)
    : (current?.state ?? initialMonitoredPatientState);
  const next: MonitoringPatientRow = {
    patient_id: patientId,
    site_id: state.patient.siteId ?? current?.site_id ?? event.siteId,
    status: state.patient.status,
    consent_date: state.patient.consentDate,
    state,
    log: [...(current?.log ?? []), loggedEvent(event)],
    stream_version: event.streamVersion,
  };
  rows.put(MONITORING_PATIENTS, next);
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

function prefetchRows(event: EventEnvelope): RowRef[] {
  const trial = { table: MONITORING_TRIALS, key: trialKeyOfStream(event.streamId) };
  const patientId = patientIdOfStream(event.streamId);
  return patientId === undefined ? [trial] : [{ table: MONITORING_PATIENTS, key: patientId }, trial];
}

/**
 * The per-site monitoring read model (schema `monitoring`): per-patient facts and the sites. Every
 * indicator is computed from them at query time, for the date asked; per-site figures are sums over
 * patient rows, never stored, so no row is written by two streams.
 */
function monitoringProjection(): Projection {
  const patientTypes = [...PATIENT_EVENT_TYPES, ...MONITORING_EVENT_TYPES, ...SIGNATURE_EVENT_TYPES, CODE_BREAK_EVENT_TYPE];
  return defineProjection({
    name: 'monitoring',
    version: 2,
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
          log: 'jsonb',
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
        name: MONITORING_TRIALS,
        columns: { trial: 'text', masked_analytes: 'jsonb' },
        primaryKey: ['trial'],
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
