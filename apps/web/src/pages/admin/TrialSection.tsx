import { useState } from 'react';
import { reauthentication } from '../../api/auth';
import { get, post, submissionId } from '../../api/client';
import { useUser } from '../../app/session';
import { useApi } from '../../app/use-api';
import { SignatureDialog } from '../../components/SignatureDialog';
import { Badge, ErrorBox, Section } from '../../components/ui';

interface Trial {
  status: string;
  frozenAt: string | null;
  lockedAt: string | null;
  unblindedAt: string | null;
}

type TrialStep = 'freeze' | 'lock' | 'unblinding';

function TrialStatus({ trial }: { trial: Trial }) {
  return (
    <p>
      Status: <Badge tone="info">{trial.status}</Badge> {trial.frozenAt && `frozen ${trial.frozenAt.slice(0, 10)}`}{' '}
      {trial.lockedAt && `locked ${trial.lockedAt.slice(0, 10)}`} {trial.unblindedAt && `unblinded ${trial.unblindedAt.slice(0, 10)}`}
    </p>
  );
}

/** The buttons of the steps the trial's status allows next; each opens the signature dialog. */
function TrialSteps({ status, choose }: { status: string; choose: (step: TrialStep) => void }) {
  return (
    <p>
      <button type="button" onClick={() => choose('freeze')} disabled={status !== 'open'}>
        Freeze
      </button>{' '}
      <button type="button" onClick={() => choose('lock')} disabled={status === 'locked' || status === 'unblinded'}>
        Lock
      </button>{' '}
      <button type="button" onClick={() => choose('unblinding')} disabled={status !== 'locked'}>
        Unblind
      </button>
    </p>
  );
}

/** The trial's status and its signed steps: freeze, lock, unblinding. */
export function TrialSection() {
  const user = useUser();
  const trial = useApi(() => get<Trial>('/trial'), [], { live: true });
  const [step, setStep] = useState<TrialStep | null>(null);
  const [reason, setReason] = useState('');
  return (
    <Section title="Trial">
      <ErrorBox error={trial.error} />
      {trial.data && (
        <>
          <TrialStatus trial={trial.data} />
          <div className="field">
            <label htmlFor="trial-reason">Reason</label>
            <input id="trial-reason" value={reason} onChange={(event) => setReason(event.target.value)} />
          </div>
          <TrialSteps status={trial.data.status} choose={setStep} />
        </>
      )}
      <SignatureDialog
        title={step ? `Sign: ${step} the database` : ''}
        open={step !== null}
        onClose={() => setStep(null)}
        username={user.username}
        sign={async ({ username, password }) => {
          await post(`/trial/${step}`, {
            submissionId: submissionId(),
            reason: reason || `${step} by the administrator`,
            ...reauthentication(username, password),
          });
          trial.reload();
        }}
      />
    </Section>
  );
}
