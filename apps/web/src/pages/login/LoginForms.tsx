import type { ReactNode } from 'react';
import { activate, login, loginWithApiKey, SessionUser } from '../../api/auth';
import { ErrorBox, TextField } from '../../components/ui';
import type { Attempt } from './use-attempt';
import type { useFields } from '../../app/use-fields';

export const NO_CREDENTIALS = { username: '', password: '', code: '', apiKey: '' };

/** What the sign-in forms ask for, kept across forms (a user name typed in one stays in the next). */
export type Credentials = ReturnType<typeof useFields<typeof NO_CREDENTIALS>>;

export interface LoginFormProps {
  credentials: Credentials;
  attempt: Attempt;
  onSignedIn: (user: SessionUser) => void;
}

/** A sign-in form's frame: its heading, its fields, the failure of the last attempt, and its button. */
function LoginFrame({
  label,
  title = label,
  submitLabel,
  attempt,
  work,
  children,
}: {
  label: string;
  title?: string;
  submitLabel: string;
  attempt: Attempt;
  work: () => Promise<void>;
  children: ReactNode;
}) {
  return (
    <form onSubmit={attempt.run(work)} aria-label={label}>
      <h2>{title}</h2>
      {children}
      <ErrorBox error={attempt.error} />
      <button type="submit" disabled={attempt.busy}>
        {submitLabel}
      </button>
    </form>
  );
}

export function PasswordSignIn({ credentials: { values, field }, attempt, onSignedIn }: LoginFormProps) {
  return (
    <LoginFrame
      label="Sign in"
      submitLabel="Sign in"
      attempt={attempt}
      work={async () => onSignedIn(await login(values.username, values.password))}
    >
      <TextField id="username" label="User name" autoComplete="username" {...field('username')} />
      <TextField id="password" label="Password" type="password" autoComplete="current-password" {...field('password')} />
    </LoginFrame>
  );
}

/** The first sign-in: the activation code the administrator handed over, and a password of one's own. */
export function Activation({ credentials: { values, field }, attempt, onSignedIn }: LoginFormProps) {
  return (
    <LoginFrame
      label="Activate account"
      title="Activate your account"
      submitLabel="Activate and sign in"
      attempt={attempt}
      work={async () => {
        await activate(values.username, values.code, values.password);
        onSignedIn(await login(values.username, values.password));
      }}
    >
      <TextField id="act-username" label="User name" {...field('username')} />
      <TextField id="act-code" label="Activation code" {...field('code')} />
      <TextField id="act-password" label="New password" type="password" autoComplete="new-password" {...field('password')} />
    </LoginFrame>
  );
}

export function ApiKeySignIn({ credentials: { values, field }, attempt, onSignedIn }: LoginFormProps) {
  return (
    <LoginFrame
      label="Sign in with an API key"
      submitLabel="Sign in"
      attempt={attempt}
      work={async () => onSignedIn(await loginWithApiKey(values.apiKey.trim()))}
    >
      <TextField id="api-key" label="API key" type="password" {...field('apiKey')} />
    </LoginFrame>
  );
}
