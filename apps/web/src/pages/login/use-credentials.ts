import { useState } from 'react';

export interface Credentials {
  username: string;
  password: string;
  code: string;
  apiKey: string;
}

/** What the sign-in forms ask for, kept across forms (a user name typed in one stays in the next). */
export function useCredentials() {
  const [values, setValues] = useState<Credentials>({ username: '', password: '', code: '', apiKey: '' });
  /** A TextField's `value` and `onChange` for one credential. */
  const field = (name: keyof Credentials) => ({
    value: values[name],
    onChange: (value: string) => setValues((previous) => ({ ...previous, [name]: value })),
  });
  return { values, field };
}
