import { patientStateFrom, PatientState } from '../../domain';
import { useMemo, useState } from 'react';
import { reauthentication } from '../../api/auth';
import { get, getIfAvailable, post, submissionId } from '../../api/client';
import {
  ADVERSE_EVENT,
  ASSESSMENT,
  bodyOf,
  CORRECTION_DECIDE,
  ENTRY_FORMS,
  FieldSpec,
  FormSpec,
  INFUSION,
  LAB,
  NEUROGRAPHY,
  valuesOf,
  violationsOf,
  VOID_DECIDE,
  WITHDRAWAL,
} from '../../app/forms';
import { eventsAsOf, instantOf, queriesAsOf, signaturesAsOf } from '../../app/record-as-of';
import { useUser, SITE_ROLES } from '../../app/session';
import { trajectoriesOf } from '../../app/trajectories';
import type { EventEnvelope, Page, QueryView, Signature } from '../../app/types';
import { useApi } from '../../app/use-api';
import { EntryForm } from '../../components/EntryForm';
import { SignableVisit, SignatureDialog } from '../../components/SignatureDialog';
import { TrajectoryCharts } from '../../components/Trajectories';
import { Table } from '../../components/Table';
import { AsOfPicker, Badge, ErrorBox, Loading, NotYetAvailable, Section, today } from '../../components/ui';
import { AnswerQuery, formatValue, QueryTable } from '../site/QueryInboxPage';

const NEW_ENTRY_FORMS: FormSpec[] = [INFUSION, LAB, NEUROGRAPHY, ASSESSMENT, ADVERSE_EVENT, WITHDRAWAL];
const MONITOR_ACTIONS = new Set(['QueryRaised', 'QueryAnswered', 'QueryClosed', 'QueryCancelled', 'QueryReopened', 'SourceDataVerified']);

/** The casebook's or one visit's signature state, from the monitoring read model. */
interface ScopeStatus {
  scope: string;
  label: string;
  status: 'signed' | 'unsigned' | 'invalidated';
}

interface PatientData {
  events: EventEnvelope[];
  state: PatientState;
  queries: QueryView[];
  signatures: Signature[] | null;
  /** The casebook and each visit with data, signed or not (null when not asked or not on this server). */
  scopes: ScopeStatus[] | null;
  /** The moment shown; null for now. */
  at: string | null;
}

async function loadPatient(patientId: string, withScopes: boolean): Promise<PatientData> {
  const events = await get<EventEnvelope[]>(`/patients/${encodeURIComponent(patientId)}/events`);
  const state = patientStateFrom(events.filter((event) => !MONITOR_ACTIONS.has(event.type)));
  const site = state.siteId ? encodeURIComponent(state.siteId) : null;
  const [queries, signatures, scopes] = await Promise.all([
    site
      ? get<Page<QueryView>>(`/monitoring/sites/${site}/queries`, { patientId, limit: 500 }).then((page) => page.items)
      : Promise.resolve([]),
    getIfAvailable<Signature[] | { items: Signature[] }>(`/patients/${encodeURIComponent(patientId)}/signatures`).then((answer) =>
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
  const all = await get<EventEnvelope[]>(`/patients/${encodeURIComponent(patientId)}/events`);
  const events = await eventsAsOf(patientId, all, role, at);
  const state = patientStateFrom(events.filter((event) => !MONITOR_ACTIONS.has(event.type)));
  return { events, state, queries: queriesAsOf(events, state, at), signatures: signaturesAsOf(events), scopes: null, at };
}

/** The patient's casebook: trajectories, timeline, and what the caller's role may do with it. */
export function PatientPage({ patientId }: { patientId: string }) {
  const user = useUser();
  const [asOf, setAsOf] = useState('');
  const at = instantOf(asOf);
  const isSite = SITE_ROLES.includes(user.role);
  const isMonitor = user.role === 'monitor';
  const loaded = useApi(
    () => (at ? loadPatientAsOf(patientId, user.role, at) : loadPatient(patientId, isSite || isMonitor)),
    [patientId, at, user.role],
    { live: at === null },
  );
  // while a past moment is shown, nothing is entered, amended, queried or signed
  const live = at === null;
  // only data of the moment asked for: never a past record with today's buttons, nor the reverse
  const data = loaded.data?.at === at ? loaded.data : undefined;
  const trajectories = useMemo(() => (data ? trajectoriesOf(data.state) : null), [data]);

  const header = (
    <>
      <h1>Patient {patientId}</h1>
      <div className="toolbar" role="group" aria-label="Moment shown">
        <AsOfPicker type="datetime-local" label="Record as of" value={asOf} onChange={setAsOf} />
        {asOf && (
          <button type="button" className="secondary" onClick={() => setAsOf('')}>
            Back to now
          </button>
        )}
      </div>
      {at && (
        <p role="note" data-testid="as-of-notice">
          The record as it stood at {at.slice(0, 19).replace('T', ' ')} UTC: entries recorded later, and corrections made later, are not
          shown. Read-only.
        </p>
      )}
    </>
  );
  if (!data)
    return (
      <>
        {header}
        {loaded.error ? <ErrorBox error={loaded.error} /> : <Loading what="the patient" />}
      </>
    );
  const { state } = data;

  return (
    <>
      {header}
      <Section title="Summary">
        <div className="stats">
          <span className="stat">
            <span className="muted">Status</span>
            <strong data-testid="patient-status">{state.status.replace('_', ' ')}</strong>
          </span>
          <span className="stat">
            <span className="muted">Site</span>
            <strong>{state.siteId}</strong>
          </span>
          <span className="stat">
            <span className="muted">Consent</span>
            <strong>{state.consentDate ?? '–'}</strong>
          </span>
          <span className="stat">
            <span className="muted">Randomized</span>
            <strong>{state.randomizedAt?.slice(0, 10) ?? '–'}</strong>
          </span>
          <span className="stat">
            <span className="muted">Infusions</span>
            <strong>{state.infusions.filter((infusion) => !infusion.voided).length}</strong>
          </span>
        </div>
      </Section>
      {trajectories && (
        <Section title="Trajectories">
          <TrajectoryCharts data={trajectories} />
        </Section>
      )}
      {isSite && live && <EntryPanel patientId={patientId} state={state} onSaved={loaded.reload} />}
      <Timeline data={data} patientId={patientId} canAmend={isSite && live} canMonitor={isMonitor && live} onChanged={loaded.reload} />
      <Section title="Queries">
        <QueryTable
          queries={data.queries}
          actions={(query) =>
            !live ? null : isSite && query.status === 'open' ? (
              <AnswerQuery query={query} onAnswered={loaded.reload} />
            ) : isMonitor && query.status === 'answered' ? (
              <MonitorButton
                label="Close"
                path={`/patients/${encodeURIComponent(patientId)}/queries/${query.queryId}/close`}
                body={{}}
                onDone={loaded.reload}
              />
            ) : null
          }
        />
      </Section>
      {(isSite || isMonitor) && (
        <Signatures
          patientId={patientId}
          signatures={data.signatures}
          scopes={data.scopes}
          canSign={user.role === 'investigator' && live}
          onSigned={loaded.reload}
          username={user.username}
        />
      )}
    </>
  );
}

function MonitorButton({ label, path, body, onDone }: { label: string; path: string; body: object; onDone: () => void }) {
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <button
        type="button"
        className="secondary"
        onClick={() => void post(path, { submissionId: submissionId(), ...body }).then(onDone, setError)}
      >
        {label}
      </button>
      <ErrorBox error={error} />
    </>
  );
}

function EntryPanel({ patientId, state, onSaved }: { patientId: string; state: PatientState; onSaved: () => void }) {
  const [kind, setKind] = useState(NEW_ENTRY_FORMS[0].kind);
  const form = NEW_ENTRY_FORMS.find((spec) => spec.kind === kind)!;
  const [randomizeError, setRandomizeError] = useState<unknown>(null);
  const base = `/patients/${encodeURIComponent(patientId)}`;
  return (
    <Section
      title="Record data"
      actions={
        state.status === 'enrolled' ? (
          <button
            type="button"
            onClick={() =>
              void post(`${base}/randomization`, { submissionId: submissionId(), occurredAt: today() }).then(onSaved, setRandomizeError)
            }
          >
            Randomize
          </button>
        ) : undefined
      }
    >
      <ErrorBox error={randomizeError} />
      <div className="tabs" role="group" aria-label="Form">
        {NEW_ENTRY_FORMS.map((spec) => (
          <button key={spec.kind} type="button" aria-pressed={spec.kind === kind} onClick={() => setKind(spec.kind)}>
            {spec.title}
          </button>
        ))}
      </div>
      <EntryForm
        key={form.kind}
        title={form.title}
        fields={form.fields}
        initial={{ ...form.defaults, occurredAt: today() }}
        testId={`form-${form.kind}`}
        check={(values) => violationsOf(form.decide, state, bodyOf(form.fields, values))}
        submit={async (values) => {
          await post(`${base}/${form.route}`, { submissionId: submissionId(), ...bodyOf(form.fields, values) });
          onSaved();
        }}
      />
    </Section>
  );
}

const describeData = (data: Record<string, unknown>): string =>
  Object.entries(data)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => `${key}: ${formatValue(value)}`)
    .join(', ');

function Timeline({
  data,
  patientId,
  canAmend,
  canMonitor,
  onChanged,
}: {
  data: PatientData;
  patientId: string;
  canAmend: boolean;
  canMonitor: boolean;
  onChanged: () => void;
}) {
  const [amending, setAmending] = useState<{ eventId: string; mode: 'correct' | 'void' | 'query' } | null>(null);
  const verified = new Set(
    data.events.filter((event) => event.type === 'SourceDataVerified').map((event) => String(event.data.targetEventId)),
  );
  const clinical = data.events.filter((event) => !MONITOR_ACTIONS.has(event.type)).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  return (
    <Section title="Timeline">
      <table data-testid="timeline">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Event</th>
            <th scope="col">Values</th>
            <th scope="col">Recorded</th>
            {canMonitor && <th scope="col">SDV</th>}
            {(canAmend || canMonitor) && <th scope="col">Action</th>}
          </tr>
        </thead>
        <tbody>
          {clinical.map((event) => {
            const entry = data.state.entries[event.eventId];
            const amendable = entry && ENTRY_FORMS[entry.type] && !entry.voided;
            return (
              <tr
                key={event.eventId}
                data-event={event.eventId}
                className={event.type === 'EntryCorrected' || event.type === 'EntryVoided' ? 'amends' : undefined}
              >
                <td>{event.occurredAt.slice(0, 10)}</td>
                <td>
                  {event.type}
                  {entry?.voided && <Badge tone="info">voided</Badge>}
                  {entry?.correctedBy && <Badge tone="info">corrected</Badge>}
                </td>
                <td>{entry && !entry.voided ? describeData(entry.data as Record<string, unknown>) : describeData(event.data)}</td>
                <td>{event.recordedAt.slice(0, 16).replace('T', ' ')}</td>
                {canMonitor && (
                  <td>
                    {amendable && (
                      <SdvBox
                        patientId={patientId}
                        eventId={event.eventId}
                        checked={verified.has(event.eventId)}
                        label={`${event.type} of ${event.occurredAt.slice(0, 10)} verified`}
                        onDone={onChanged}
                      />
                    )}
                  </td>
                )}
                {(canAmend || canMonitor) && (
                  <td>
                    {amendable && canAmend && (
                      <>
                        <button
                          type="button"
                          className="secondary"
                          onClick={() => setAmending({ eventId: event.eventId, mode: 'correct' })}
                        >
                          Correct
                        </button>{' '}
                        <button type="button" className="secondary" onClick={() => setAmending({ eventId: event.eventId, mode: 'void' })}>
                          Void
                        </button>
                      </>
                    )}
                    {amendable && canMonitor && (
                      <button type="button" className="secondary" onClick={() => setAmending({ eventId: event.eventId, mode: 'query' })}>
                        Raise query
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {amending && (
        <AmendPanel
          key={`${amending.eventId}-${amending.mode}`}
          mode={amending.mode}
          eventId={amending.eventId}
          patientId={patientId}
          state={data.state}
          onDone={() => {
            setAmending(null);
            onChanged();
          }}
        />
      )}
    </Section>
  );
}

export function SdvBox({
  patientId,
  eventId,
  checked,
  label,
  onDone,
}: {
  patientId: string;
  eventId: string;
  checked: boolean;
  label: string;
  onDone: () => void;
}) {
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <input
        type="checkbox"
        aria-label={label}
        checked={checked}
        disabled={checked}
        onChange={() =>
          void post(`/patients/${encodeURIComponent(patientId)}/source-data-verifications`, {
            submissionId: submissionId(),
            targetEventId: eventId,
          }).then(onDone, setError)
        }
      />
      <ErrorBox error={error} />
    </>
  );
}

function AmendPanel({
  mode,
  eventId,
  patientId,
  state,
  onDone,
}: {
  mode: 'correct' | 'void' | 'query';
  eventId: string;
  patientId: string;
  state: PatientState;
  onDone: () => void;
}) {
  const entry = state.entries[eventId];
  const form = ENTRY_FORMS[entry.type];
  const base = `/patients/${encodeURIComponent(patientId)}`;
  const reason: FieldSpec = { name: 'reason', label: 'Reason (required)', type: 'textarea' };

  if (mode === 'query') {
    const fields: FieldSpec[] = [
      { name: 'field', label: 'Field', type: 'select', options: Object.keys(entry.data as object) },
      { name: 'text', label: 'Query', type: 'textarea' },
    ];
    return (
      <EntryForm
        title={`Raise a query on ${entry.type} of ${entry.occurredAt.slice(0, 10)}`}
        fields={fields}
        submitLabel="Raise query"
        testId="query-form"
        check={(values) => ({
          ...(values.field ? {} : { field: 'choose the field the query is about (required)' }),
          ...(typeof values.text === 'string' && values.text.trim() ? {} : { text: 'say what is wrong (required)' }),
        })}
        submit={async (values) => {
          await post(`${base}/queries`, { submissionId: submissionId(), targetEventId: eventId, field: values.field, text: values.text });
          onDone();
        }}
      />
    );
  }

  if (mode === 'void') {
    const occurredAt: FieldSpec = { name: 'occurredAt', label: 'Decided on', type: 'date' };
    const command = (values: Record<string, string | boolean>) => ({
      ...bodyOf([occurredAt, reason], values),
      voidedEventId: eventId,
      voidedType: entry.type,
    });
    return (
      <EntryForm
        title={`Void ${entry.type} of ${entry.occurredAt.slice(0, 10)}`}
        fields={[occurredAt, reason]}
        initial={{ occurredAt: today() }}
        submitLabel="Void"
        testId="void-form"
        check={(values) => violationsOf(VOID_DECIDE, state, command(values))}
        submit={async (values) => {
          const { voidedType: _type, ...body } = command(values);
          await post(`${base}/voids`, { submissionId: submissionId(), ...body });
          onDone();
        }}
      />
    );
  }

  const fields: FieldSpec[] = [
    ...form.fields.map((field) => (field.name === 'occurredAt' ? field : { ...field, name: `data.${field.name}` })),
    reason,
  ];
  const command = (values: Record<string, string | boolean>) => ({
    ...bodyOf(fields, values),
    correctedEventId: eventId,
    correctedType: entry.type,
  });
  return (
    <EntryForm
      title={`Correct ${entry.type} of ${entry.occurredAt.slice(0, 10)}`}
      fields={fields}
      initial={{ ...valuesOf(entry.data, entry.occurredAt, 'data'), occurredAt: entry.occurredAt.slice(0, 10) }}
      submitLabel="Save correction"
      testId="correction-form"
      check={(values) => violationsOf(CORRECTION_DECIDE, state, command(values))}
      submit={async (values) => {
        const { correctedType: _type, ...body } = command(values);
        await post(`${base}/corrections`, { submissionId: submissionId(), ...body });
        onDone();
      }}
    />
  );
}

function Signatures({
  patientId,
  signatures,
  scopes,
  canSign,
  onSigned,
  username,
}: {
  patientId: string;
  signatures: Signature[] | null;
  scopes: ScopeStatus[] | null;
  canSign: boolean;
  onSigned: () => void;
  username?: string;
}) {
  const [open, setOpen] = useState(false);
  if (signatures === null)
    return (
      <Section title="Signatures">
        <NotYetAvailable what="Electronic signature" />
      </Section>
    );
  const visits: SignableVisit[] = (scopes ?? [])
    .filter((scope) => scope.scope !== 'casebook')
    .map(({ scope, label }) => ({ id: scope, label }));
  return (
    <Section
      title="Signatures"
      actions={
        canSign ? (
          <button type="button" onClick={() => setOpen(true)}>
            Sign
          </button>
        ) : undefined
      }
    >
      {scopes && scopes.length > 0 && (
        <Table
          testId="signature-scopes"
          columns={['What', 'Signature']}
          rows={scopes}
          rowKey={(scope) => scope.scope}
          cells={(scope) => [
            scope.scope === 'casebook' ? 'the whole casebook' : `visit ${scope.label}`,
            <Badge tone={scope.status === 'unsigned' ? 'info' : scope.status}>{scope.status}</Badge>,
          ]}
        />
      )}
      {signatures.length === 0 ? (
        <p>Not signed.</p>
      ) : (
        <Table
          testId="signatures"
          columns={['Meaning', 'Scope', 'Signed', 'Status']}
          rows={signatures}
          rowKey={(signature) => signature.signatureId}
          cells={(signature) => [
            signature.meaning,
            signature.scope.kind === 'visit' ? `visit ${signature.scope.visit}` : 'casebook',
            String(signature.signedAt ?? '')
              .slice(0, 16)
              .replace('T', ' '),
            <>
              <Badge tone={signature.status}>{signature.status}</Badge>
              {signature.invalidatedBy && (
                <span className="muted">
                  {' '}
                  by {signature.invalidatedBy.type} of {signature.invalidatedBy.occurredAt?.slice(0, 10)}
                </span>
              )}
            </>,
          ]}
        />
      )}
      <SignatureDialog
        title={`Sign for patient ${patientId}`}
        meanings={['review', 'approval', 'authorship']}
        visits={visits}
        open={open}
        onClose={() => setOpen(false)}
        username={username}
        sign={async ({ meaning, scope, username: signer, password }) => {
          await post(`/patients/${encodeURIComponent(patientId)}/signatures`, {
            submissionId: submissionId(),
            meaning,
            scope,
            ...reauthentication(signer, password),
          });
          onSigned();
        }}
      />
    </Section>
  );
}
