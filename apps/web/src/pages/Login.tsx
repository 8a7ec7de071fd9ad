import { FormEvent, useState } from 'react';
import { activate, login, LoginError, loginWithApiKey, SessionUser } from '../api/auth';
import { ErrorBox, TextField } from '../components/ui';

/** Sign-in with user name and password; first sign-in with an activation code; an API key for machines and development. */
export function Login({ onSignedIn }: { onSignedIn: (user: SessionUser) => void }) {
  const [mode, setMode] = useState<'password' | 'activate' | 'api-key'>('password');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = (work: () => Promise<void>) => (event: FormEvent) => {
    event.preventDefault();
    void attempt(work);
  };

  const attempt = async (work: () => Promise<void>) => {
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
            <TextField id="username" label="User name" autoComplete="username" value={username} onChange={setUsername} />
            <TextField
              id="password"
              label="Password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={setPassword}
            />
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
            <TextField id="act-username" label="User name" value={username} onChange={setUsername} />
            <TextField id="act-code" label="Activation code" value={code} onChange={setCode} />
            <TextField
              id="act-password"
              label="New password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={setPassword}
            />
            <ErrorBox error={error} />
            <button type="submit" disabled={busy}>
              Activate and sign in
            </button>
          </form>
        )}
        {mode === 'api-key' && (
          <form onSubmit={run(async () => onSignedIn(await loginWithApiKey(apiKey.trim())))} aria-label="Sign in with an API key">
            <h2>Sign in with an API key</h2>
            <TextField id="api-key" label="API key" type="password" value={apiKey} onChange={setApiKey} />
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
