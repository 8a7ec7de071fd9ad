import { useState } from 'react';
import { download, get, getIfAvailable } from '../../api/client';
import { useApi } from '../../app/use-api';
import { Table } from '../../components/Table';
import { Badge, ErrorBox, NotYetAvailable, Section } from '../../components/ui';

/** A verification job (GET /audit/verify starts one, GET /audit/verify/{jobId} tells how far it is). */
interface VerificationJob {
  jobId: string;
  state: 'running' | 'passed' | 'failed' | 'error';
  progress: { readModelsChecked: number; readModels: number };
  result: { ok: boolean; summary: string[] } | null;
  error: string | null;
}

const POLL_MS = 500;

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
  const [job, setJob] = useState<VerificationJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const running = job?.state === 'running';
  const checkpoints = useApi(() => getIfAvailable<{ checkpoints: Checkpoint[] }>('/audit/checkpoints'), []);
  const checkpointList = checkpoints.data ? checkpoints.data.checkpoints : null;

  const verify = async () => {
    setError(null);
    try {
      let current = await get<VerificationJob>('/audit/verify');
      setJob(current);
      while (current.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        current = await get<VerificationJob>(`/audit/verify/${encodeURIComponent(current.jobId)}`);
        setJob(current);
      }
    } catch (failure) {
      setError(failure);
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
        {job && (
          <p role="status">
            <progress aria-label="Read models verified" value={job.progress.readModelsChecked} max={Math.max(job.progress.readModels, 1)} />{' '}
            {job.progress.readModelsChecked} of {job.progress.readModels} read models compared{running ? '…' : ''}
          </p>
        )}
        <ErrorBox error={error ?? (job?.error ? new Error(job.error) : null)} />
        {job?.result && (
          <div data-testid="verification-result">
            <p>
              Result: <Badge tone={job.result.ok ? 'done' : 'overdue'}>{job.result.ok ? 'intact' : 'problems found'}</Badge>
            </p>
            <ul>
              {job.result.summary.map((line, index) => (
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
              cells={(checkpoint) => [
                checkpoint.position,
                checkpoint.takenAt,
                `${checkpoint.eventCount} / ${checkpoint.streamCount}`,
                <span className="pre">{checkpoint.root}</span>,
              ]}
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
              <button
                type="button"
                className="secondary"
                onClick={() => void download(`/audit/exports/sdtm/${domain}.csv`, `sdtm-${domain}.csv`)}
              >
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
