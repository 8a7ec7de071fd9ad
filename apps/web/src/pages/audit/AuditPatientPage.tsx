import { useState } from 'react';
import { get } from '../../api/client';
import { useApi } from '../../app/use-api';
import { Table } from '../../components/Table';
import { Badge, ErrorBox, Loading, Section } from '../../components/ui';
import { formatValue } from '../site/QueryInboxPage';

interface Attribution {
  eventId: string;
  type: string;
  streamVersion: number;
  globalPosition: string;
  who: { userId: string; role: string };
  siteId: string | null;
  occurredAt: string;
  recordedAt: string;
}

interface HistoryEntry extends Attribution {
  data: unknown;
  status: 'as-recorded' | 'corrected' | 'voided';
  amendments: Array<Attribution & { kind: 'correction' | 'void'; reason: string; data: unknown }>;
}

interface History {
  patientId: string;
  siteId: string | null;
  streamVersion: number;
  entries: HistoryEntry[];
}

const who = (entry: Attribution) => `${entry.who.role} ${entry.who.userId.slice(0, 8)}`;

/** A patient's history for the auditor: every entry, and beside it each correction or void with who, when and why. */
export function AuditPatientPage({ patientId }: { patientId: string }) {
  const history = useApi(() => get<History>(`/audit/patients/${encodeURIComponent(patientId)}/history`), [patientId]);
  return (
    <>
      <h1>Patient {patientId}: audit history</h1>
      <PatientAsOf patientId={patientId} />
      {history.loading && !history.data && <Loading what="the history" />}
      <ErrorBox error={history.error} />
      {history.data && (
        <Section title={`${history.data.entries.length} entries (stream version ${history.data.streamVersion})`}>
          <table data-testid="audit-history">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Entry as recorded</th>
                <th scope="col">Corrections and voids</th>
              </tr>
            </thead>
            <tbody>
              {history.data.entries.map((entry) => (
                <tr key={entry.eventId}>
                  <td>{entry.streamVersion}</td>
                  <td>
                    <strong>{entry.type}</strong> <Badge tone={entry.status === 'as-recorded' ? 'info' : 'query'}>{entry.status}</Badge>
                    <br />
                    occurred {entry.occurredAt.slice(0, 10)} · recorded {entry.recordedAt.slice(0, 19).replace('T', ' ')} by {who(entry)}
                    <div className="pre">{formatValue(entry.data)}</div>
                  </td>
                  <td className={entry.amendments.length ? 'amends' : undefined}>
                    {entry.amendments.map((amendment) => (
                      <div key={amendment.eventId}>
                        <strong>{amendment.kind}</strong> recorded {amendment.recordedAt.slice(0, 19).replace('T', ' ')} by {who(amendment)}
                        : “{amendment.reason}”{amendment.kind === 'correction' && <div className="pre">{formatValue(amendment.data)}</div>}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}
    </>
  );
}

interface RecordAsOf {
  status: string;
  entries: Array<{ eventId: string; type: string; occurredAt: string; data: unknown; voided: boolean; correctedBy: string | null }>;
  streamVersion: number;
}

/** The record as anyone reading it at a past moment saw it: later corrections not applied. */
export function PatientAsOf({ patientId }: { patientId: string }) {
  const [at, setAt] = useState('');
  const record = useApi(
    () =>
      at
        ? get<RecordAsOf>(`/audit/patients/${encodeURIComponent(patientId)}/as-of`, { at: new Date(at).toISOString() })
        : Promise.resolve(null),
    [patientId, at],
  );
  return (
    <Section
      title="The record as of a moment"
      actions={
        <span className="as-of">
          <label htmlFor="patient-as-of">As of</label>
          <input id="patient-as-of" type="datetime-local" step={1} value={at} onChange={(event) => setAt(event.target.value)} />
        </span>
      }
    >
      <ErrorBox error={record.error} />
      {!at && <p className="muted">Choose a moment to see the record as anyone reading it then saw it.</p>}
      {record.data && (
        <>
          <p data-testid="as-of-summary">
            Status <strong>{record.data.status}</strong>, {record.data.entries.length} entries, stream version {record.data.streamVersion}.
          </p>
          <Table
            testId="as-of-entries"
            columns={['Date', 'Entry', 'Values then']}
            rows={record.data.entries}
            rowKey={(entry) => entry.eventId}
            cells={(entry) => [
              entry.occurredAt.slice(0, 10),
              <>
                {entry.type} {entry.voided && <Badge tone="info">voided</Badge>}
              </>,
              <span className="pre">{formatValue(entry.data)}</span>,
            ]}
          />
        </>
      )}
    </Section>
  );
}
