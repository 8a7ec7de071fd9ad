import { useState } from 'react';
import { get } from '../../api/client';
import { Badge, ErrorBox, Section } from '../../components/ui';

/** A verification job (GET /audit/verify starts one, GET /audit/verify/{jobId} tells how far it is). */
interface VerificationJob {
  jobId: string;
  state: 'running' | 'passed' | 'failed' | 'error';
  progress: { readModelsChecked: number; readModels: number };
  result: { ok: boolean; summary: string[] } | null;
  error: string | null;
}

const POLL_MS = 500;

/** Starts a verification and follows it until it ends; the job as last read, and a failure to ask. */
function useVerification() {
  const [job, setJob] = useState<VerificationJob | null>(null);
  const [error, setError] = useState<unknown>(null);
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
  return { job, error: error ?? (job?.error ? new Error(job.error) : null), verify };
}

function Outcome({ result }: { result: NonNullable<VerificationJob['result']> }) {
  return (
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
  );
}

/** Verification of the whole log and every read model, with its progress and outcome. */
export function VerificationSection() {
  const { job, error, verify } = useVerification();
  const running = job?.state === 'running';
  return (
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
      <ErrorBox error={error} />
      {job?.result && <Outcome result={job.result} />}
    </Section>
  );
}
