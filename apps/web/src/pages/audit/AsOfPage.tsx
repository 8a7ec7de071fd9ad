import { useState } from 'react';
import { get } from '../../api/client';
import { navigate } from '../../app/router';
import { useApi } from '../../app/use-api';
import { Table } from '../../components/Table';
import { ErrorBox, Loading, Section } from '../../components/ui';
import { formatValue } from '../site/QueryInboxPage';

type Rows = Array<Record<string, unknown>>;

interface ProjectionAsOf {
  projection: string;
  events: number;
  tables: Record<string, { total?: number; rows: Rows } | Rows>;
}

const READ_MODELS = ['monitoring', 'registry', 'analysis'];

/** Opens a patient's history, where the auditor picks the moment. */
function PatientRecord() {
  const [patientId, setPatientId] = useState('');
  return (
    <Section title="A patient's record">
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          if (patientId.trim()) navigate(`/app/audit/patients/${encodeURIComponent(patientId.trim())}`);
        }}
      >
        <span className="field">
          <label htmlFor="as-of-patient">Patient</label>
          <input id="as-of-patient" value={patientId} onChange={(event) => setPatientId(event.target.value)} placeholder="S01-001" />
        </span>
        <button type="submit">Open history</button>
      </form>
    </Section>
  );
}

/** One table of a replayed read model: its first 50 rows, its first 8 columns. */
function ReplayedTable({ table, rows }: { table: string; rows: Rows }) {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].slice(0, 8);
  return (
    <div>
      <h3>
        {table} ({rows.length} rows shown)
      </h3>
      {rows.length > 0 && (
        <Table
          columns={columns}
          rows={rows.slice(0, 50)}
          rowKey={(_, index) => index}
          cells={(row) => columns.map((column) => formatValue(row[column]).slice(0, 80))}
        />
      )}
    </div>
  );
}

/** A read model rebuilt by the server from the log up to the end of the day chosen. */
function ReadModelAsOf() {
  const [name, setName] = useState(READ_MODELS[0]);
  const [at, setAt] = useState('');
  const model = useApi(
    () => (at ? get<ProjectionAsOf>(`/audit/projections/${name}/as-of`, { at: `${at}T23:59:59Z`, limit: 100 }) : Promise.resolve(null)),
    [name, at],
  );
  return (
    <Section title="A read model">
      <div className="toolbar">
        <span className="field">
          <label htmlFor="as-of-model">Read model</label>
          <select id="as-of-model" value={name} onChange={(event) => setName(event.target.value)}>
            {READ_MODELS.map((option) => (
              <option key={option}>{option}</option>
            ))}
          </select>
        </span>
        <span className="field">
          <label htmlFor="as-of-date">As of</label>
          <input id="as-of-date" type="date" value={at} onChange={(event) => setAt(event.target.value)} />
        </span>
      </div>
      {model.loading && at && <Loading what="the read model (replaying the log)" />}
      <ErrorBox error={model.error} />
      {model.data && (
        <div data-testid="projection-as-of">
          <p>
            {model.data.projection}: {model.data.events} events replayed.
          </p>
          {Object.entries(model.data.tables).map(([table, content]) => (
            <ReplayedTable key={table} table={table} rows={Array.isArray(content) ? content : content.rows} />
          ))}
        </div>
      )}
    </Section>
  );
}

/** Any read model as it stood at a past date, rebuilt by the server from the log up to that moment; or a patient's record. */
export function AsOfPage() {
  return (
    <>
      <h1>As of a date</h1>
      <PatientRecord />
      <ReadModelAsOf />
    </>
  );
}
