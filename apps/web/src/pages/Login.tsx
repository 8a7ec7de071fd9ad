import { FormEvent, useState } from 'react';
import { activate, login, LoginError, loginWithApiKey, SessionUser } from '../api/auth';
import { ErrorBox } from '../components/ui';

/** Sign-in with user name and password; first sign-in with an activation code; an API key for machines and development. */
export function Login({ onSignedIn }: { onSignedIn: (user: SessionUser) => void }) {
  const [mode, setMode] = useState<'password' | 'activate' | 'api-key'>('password');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = (work: () => Promise<void>) => async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await work();
    } catch (failure) {
      setError(failure);
      if (failure instanceof LoginError && failure.status === 404 && mode === 'password') setMode('api-key');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <h1>trialstream</h1>
      <div className="panel">
        {mode === 'password' && (
          <form onSubmit={run(async () => onSignedIn(await login(username, password)))} aria-label="Sign in">
            <h2>Sign in</h2>
            <div className="field">
              <label htmlFor="username">User name</label>
              <input id="username" autoComplete="username" value={username} onChange={(event) => setUsername(event.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="password">Password</label>
              <input id="password" type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} />
            </div>
            <ErrorBox error={error} />
            <button type="submit" disabled={busy}>
              Sign in
            </button>
          </form>
        )}
        {mode === 'activate' && (
          <form
            aria-label="Activate account"
            onSubmit={run(async () => {
              await activate(username, code, password);
              onSignedIn(await login(username, password));
            })}
          >
            <h2>Activate your account</h2>
            <div className="field">
              <label htmlFor="act-username">User name</label>
              <input id="act-username" value={username} onChange={(event) => setUsername(event.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="act-code">Activation code</label>
              <input id="act-code" value={code} onChange={(event) => setCode(event.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="act-password">New password</label>
              <input id="act-password" type="password" autoComplete="new-password" value={password} onChange={(event) => setPassword(event.target.value)} />
            </div>
            <ErrorBox error={error} />
            <button type="submit" disabled={busy}>
              Activate and sign in
            </button>
          </form>
        )}
        {mode === 'api-key' && (
          <form onSubmit={run(async () => onSignedIn(await loginWithApiKey(apiKey.trim())))} aria-label="Sign in with an API key">
            <h2>Sign in with an API key</h2>
            <div className="field">
              <label htmlFor="api-key">API key</label>
              <input id="api-key" type="password" value={apiKey} onChange={(event) => setApiKey(event.target.value)} />
            </div>
            <ErrorBox error={error} />
            <button type="submit" disabled={busy}>
              Sign in
            </button>
          </form>
        )}
        <p className="muted">
          {mode !== 'password' && (
            <button type="button" className="secondary" onClick={() => setMode('password')}>
              Password sign-in
            </button>
          )}{' '}
          {mode !== 'activate' && (
            <button type="button" className="secondary" onClick={() => setMode('activate')}>
              First sign-in (activation code)
            </button>
          )}{' '}
          {mode !== 'api-key' && (
            <button type="button" className="secondary" onClick={() => setMode('api-key')}>
              API key
            </button>
          )}
        </p>
      </div>
    </main>
  );
}
