import { Fragment, ReactElement, useState } from 'react';
import { LoginError, SessionUser } from '../../api/auth';
import { Activation, ApiKeySignIn, LoginFormProps, NO_CREDENTIALS, PasswordSignIn } from './LoginForms';
import { useAttempt } from './use-attempt';
import { useFields } from '../../app/use-fields';

type Mode = 'password' | 'activate' | 'api-key';

const MODES: Record<Mode, { form: (props: LoginFormProps) => ReactElement; switchLabel: string }> = {
  password: { form: PasswordSignIn, switchLabel: 'Password sign-in' },
  activate: { form: Activation, switchLabel: 'First sign-in (activation code)' },
  'api-key': { form: ApiKeySignIn, switchLabel: 'API key' },
};

/** Sign-in with user name and password; first sign-in with an activation code; an API key for machines and development. */
export function Login({ onSignedIn }: { onSignedIn: (user: SessionUser) => void }) {
  const [mode, setMode] = useState<Mode>('password');
  const credentials = useFields(NO_CREDENTIALS);
  // A server without people's sign-in answers 404: offer the API key instead.
  const attempt = useAttempt((failure) => {
    if (failure instanceof LoginError && failure.status === 404 && mode === 'password') setMode('api-key');
  });
  const Form = MODES[mode].form;
  return (
    <main className="login">
      <h1>trialstream</h1>
      <div className="panel">
        <Form credentials={credentials} attempt={attempt} onSignedIn={onSignedIn} />
        <p className="muted">
          {(Object.keys(MODES) as Mode[])
            .filter((other) => other !== mode)
            .map((other) => (
              <Fragment key={other}>
                {' '}
                <button type="button" className="secondary" onClick={() => setMode(other)}>
                  {MODES[other].switchLabel}
                </button>
              </Fragment>
            ))}
        </p>
      </div>
    </main>
  );
}
