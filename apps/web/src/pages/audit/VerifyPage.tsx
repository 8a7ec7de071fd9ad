import { useState } from 'react';
import { download, get, getIfAvailable } from '../../api/client';
import { useApi } from '../../app/use-api';
import { Table } from '../../components/Table';
import { Badge, ErrorBox, NotYetAvailable, Section } from '../../components/ui';

interface Verification {
  ok: boolean;
  summary: string[];
}

/** A recorded root over every stream head (LogCheckpointed), as the auditor keeps it. */
interface Checkpoint {
  position: string;
  takenAt: string;
  eventCount: number;
  streamCount: number;
  root: string;
}

const SDTM_DOMAINS = ['DM', 'EX', 'LB', 'NV', 'QS', 'AE', 'DS'];

/** Verification of the whole log and every read model, the recorded checkpoints, and the exports to download. */
export function VerifyPage() {
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<Verification | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [started, setStarted] = useState<number | null>(null);
  const checkpoints = useApi(() => getIfAvailable<{ checkpoints: Checkpoint[] }>('/audit/checkpoints'), []);
  const checkpointList = checkpoints.data ? checkpoints.data.checkpoints : null;

  const verify = async () => {
    setRunning(true);
    setError(null);
    setResult(null);
    setStarted(Date.now());
    try {
      setResult(await get<Verification>('/audit/verify'));
    } catch (failure) {
      setError(failure);
    } finally {
      setRunning(false);
    }
  };

  return (
    <>
      <h1>Verification and exports</h1>
      <Section title="Verify the log and the read models">
        <p>Recomputes every stream's hash chain and rebuilds every read model from the log to compare it with the live one.</p>
        <button type="button" onClick={() => void verify()} disabled={running}>
          Verify now
        </button>
        {running && (
          <p role="status">
            <progress aria-label="Verification running" /> running since {new Date(started ?? Date.now()).toLocaleTimeString()}…
          </p>
        )}
        <ErrorBox error={error} />
        {result && (
          <div data-testid="verification-result">
            <p>
              Result: <Badge tone={result.ok ? 'done' : 'overdue'}>{result.ok ? 'intact' : 'problems found'}</Badge>
            </p>
            <ul>
              {result.summary.map((line, index) => (
                <li key={index}>{line}</li>
              ))}
            </ul>
          </div>
        )}
      </Section>
      <Section title="Checkpoints">
        <ErrorBox error={checkpoints.error} />
        {checkpoints.data === null && <NotYetAvailable what="Recorded checkpoints" />}
        {checkpointList && (
          <>
            <button type="button" className="secondary" onClick={() => void download('/audit/checkpoints', 'trialstream-checkpoints.json')}>
              Download checkpoints (JSON)
            </button>
            <Table
              columns={['Position', 'Taken', 'Events / streams', 'Root']}
              rows={checkpointList}
              rowKey={(checkpoint) => checkpoint.position}
              cells={(checkpoint) => [checkpoint.position, checkpoint.takenAt, `${checkpoint.eventCount} / ${checkpoint.streamCount}`, <span className="pre">{checkpoint.root}</span>]}
            />
          </>
        )}
      </Section>
      <Section title="Exports">
        <p>
          <button type="button" className="secondary" onClick={() => void download('/audit/exports/odm.xml', 'trialstream-odm.xml')}>
            CDISC ODM 1.3.2 (XML)
          </button>{' '}
          {SDTM_DOMAINS.map((domain) => (
            <span key={domain}>
              <button type="button" className="secondary" onClick={() => void download(`/audit/exports/sdtm/${domain}.csv`, `sdtm-${domain}.csv`)}>
                SDTM {domain}
              </button>{' '}
            </span>
          ))}
          <button type="button" className="secondary" onClick={() => void download('/audit/events.ndjson', 'trialstream-log.ndjson')}>
            The log (NDJSON)
          </button>
        </p>
      </Section>
    </>
  );
}
