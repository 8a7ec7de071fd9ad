import { Fragment, useState } from 'react';
import { LoginError, SessionUser } from '../../api/auth';
import { ACTIVATION, API_KEY_SIGN_IN, LoginForm, LoginFormView, NO_CREDENTIALS, PASSWORD_SIGN_IN } from './LoginForms';
import { useAttempt } from './use-attempt';
import { useFields } from '../../app/use-fields';

type Mode = 'password' | 'activate' | 'api-key';

const MODES: Record<Mode, { form: LoginForm; switchLabel: string }> = {
  password: { form: PASSWORD_SIGN_IN, switchLabel: 'Password sign-in' },
  activate: { form: ACTIVATION, switchLabel: 'First sign-in (activation code)' },
  'api-key': { form: API_KEY_SIGN_IN, switchLabel: 'API key' },
};

/** Sign-in with user name and password; first sign-in with an activation code; an API key for machines and development. */
export function Login({ onSignedIn }: { onSignedIn: (user: SessionUser) => void }) {
  const [mode, setMode] = useState<Mode>('password');
  const credentials = useFields(NO_CREDENTIALS);
  // A server without people's sign-in answers 404: offer the API key instead.
  const attempt = useAttempt((failure) => {
    if (failure instanceof LoginError && failure.status === 404 && mode === 'password') setMode('api-key');
  });
  return (
    <main className="login">
      <h1>trialstream</h1>
      <div className="panel">
        <LoginFormView key={mode} form={MODES[mode].form} credentials={credentials} attempt={attempt} onSignedIn={onSignedIn} />
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
