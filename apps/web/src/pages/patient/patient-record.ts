import { useMemo, useState } from 'react';
import { get, getIfAvailable } from '../../api/client';
import { eventsAsOf, instantOf, queriesAsOf, signaturesAsOf } from '../../app/record-as-of';
import { trajectoriesOf } from '../../app/trajectories';
import type { EventEnvelope, Page, QueryView, Signature } from '../../app/types';
import { useApi } from '../../app/use-api';
import { isMonitoringEventType, patientStateFrom, PatientState } from '../../domain';

/** The patient's routes: `/patients/{id}`. */
export const patientPath = (patientId: string) => `/patients/${encodeURIComponent(patientId)}`;

/** The casebook's or one visit's signature state, from the monitoring read model. */
export interface ScopeStatus {
  scope: string;
  label: string;
  status: 'signed' | 'unsigned' | 'invalidated';
}

export interface PatientData {
  events: EventEnvelope[];
  state: PatientState;
  queries: QueryView[];
  signatures: Signature[] | null;
  /** The casebook and each visit with data, signed or not (null when not asked or not on this server). */
  scopes: ScopeStatus[] | null;
  /** The moment shown; null for now. */
  at: string | null;
}

/** Not a monitor's action (a query, a verification): those share the patient's stream, but the patient's own fold does not read them. */
export const isClinical = (event: EventEnvelope) => !isMonitoringEventType(event.type);

const clinicalStateOf = (events: EventEnvelope[]) => patientStateFrom(events.filter(isClinical));

async function loadPatient(patientId: string, withScopes: boolean): Promise<PatientData> {
  const events = await get<EventEnvelope[]>(`${patientPath(patientId)}/events`);
  const state = clinicalStateOf(events);
  const site = state.siteId ? encodeURIComponent(state.siteId) : null;
  const [queries, signatures, scopes] = await Promise.all([
    site
      ? get<Page<QueryView>>(`/monitoring/sites/${site}/queries`, { patientId, limit: 500 }).then((page) => page.items)
      : Promise.resolve([]),
    getIfAvailable<Signature[] | { items: Signature[] }>(`${patientPath(patientId)}/signatures`).then((answer) =>
      answer === null ? null : Array.isArray(answer) ? answer : answer.items,
    ),
    withScopes && site
      ? getIfAvailable<{ items: ScopeStatus[] }>(`/monitoring/sites/${site}/signatures`, { patientId }).then(
          (answer) => answer?.items ?? null,
        )
      : Promise.resolve(null),
  ]);
  return { events, state, queries, signatures, scopes, at: null };
}

/** The record as it stood at a moment: what was recorded by then, folded by the same domain rules. */
async function loadPatientAsOf(patientId: string, role: string, at: string): Promise<PatientData> {
  const all = await get<EventEnvelope[]>(`${patientPath(patientId)}/events`);
  const events = await eventsAsOf(patientId, all, role, at);
  const state = clinicalStateOf(events);
  return { events, state, queries: queriesAsOf(events, state, at), signatures: signaturesAsOf(events), scopes: null, at };
}

/**
 * The patient's record now (live) or as of the moment picked in `asOf`. `data` is only ever the record of
 * the moment asked for: never a past record with today's buttons, nor the reverse.
 */
export function usePatientRecord(patientId: string, role: string, withScopes: boolean) {
  const [asOf, setAsOf] = useState('');
  const at = instantOf(asOf);
  const loaded = useApi(() => (at ? loadPatientAsOf(patientId, role, at) : loadPatient(patientId, withScopes)), [patientId, at, role], {
    live: at === null,
  });
  const data = loaded.data?.at === at ? loaded.data : undefined;
  const trajectories = useMemo(() => (data ? trajectoriesOf(data.state) : null), [data]);
  // while a past moment is shown, nothing is entered, amended, queried or signed
  return { asOf, setAsOf, at, live: at === null, data, trajectories, error: loaded.error, reload: loaded.reload };
}
