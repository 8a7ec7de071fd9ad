import { activate, login, loginWithApiKey, SessionUser } from '../../api/auth';
import type { useFields } from '../../app/use-fields';
import { ErrorBox, TextField } from '../../components/ui';
import type { Attempt } from './use-attempt';

export const NO_CREDENTIALS = { username: '', password: '', code: '', apiKey: '' };
type CredentialValues = typeof NO_CREDENTIALS;

/** What the sign-in forms ask for, kept across forms (a user name typed in one stays in the next). */
export type Credentials = ReturnType<typeof useFields<CredentialValues>>;

interface FieldSpec {
  id: string;
  name: keyof CredentialValues;
  label: string;
  type?: 'password';
  autoComplete?: string;
}

/** One way to sign in: its form's label and heading, its fields, its button, and what it sends. */
export interface LoginForm {
  label: string;
  title?: string;
  submitLabel: string;
  fields: FieldSpec[];
  signIn: (values: CredentialValues) => Promise<SessionUser>;
}

export const PASSWORD_SIGN_IN: LoginForm = {
  label: 'Sign in',
  submitLabel: 'Sign in',
  fields: [
    { id: 'username', name: 'username', label: 'User name', autoComplete: 'username' },
    { id: 'password', name: 'password', label: 'Password', type: 'password', autoComplete: 'current-password' },
  ],
  signIn: ({ username, password }) => login(username, password),
};

/** The first sign-in: the activation code the administrator handed over, and a password of one's own. */
export const ACTIVATION: LoginForm = {
  label: 'Activate account',
  title: 'Activate your account',
  submitLabel: 'Activate and sign in',
  fields: [
    { id: 'act-username', name: 'username', label: 'User name' },
    { id: 'act-code', name: 'code', label: 'Activation code' },
    { id: 'act-password', name: 'password', label: 'New password', type: 'password', autoComplete: 'new-password' },
  ],
  signIn: async ({ username, code, password }) => {
    await activate(username, code, password);
    return login(username, password);
  },
};

export const API_KEY_SIGN_IN: LoginForm = {
  label: 'Sign in with an API key',
  submitLabel: 'Sign in',
  fields: [{ id: 'api-key', name: 'apiKey', label: 'API key', type: 'password' }],
  signIn: ({ apiKey }) => loginWithApiKey(apiKey.trim()),
};

/** A sign-in form: its heading, its fields, the failure of the last attempt, and its button. */
export function LoginFormView({
  form,
  credentials: { values, field },
  attempt,
  onSignedIn,
}: {
  form: LoginForm;
  credentials: Credentials;
  attempt: Attempt;
  onSignedIn: (user: SessionUser) => void;
}) {
  return (
    <form onSubmit={attempt.run(async () => onSignedIn(await form.signIn(values)))} aria-label={form.label}>
      <h2>{form.title ?? form.label}</h2>
      {form.fields.map(({ name, ...spec }) => (
        <TextField key={spec.id} {...spec} {...field(name)} />
      ))}
      <ErrorBox error={attempt.error} />
      <button type="submit" disabled={attempt.busy}>
        {form.submitLabel}
      </button>
    </form>
  );
}
