import { useState } from 'react';

/** A form's text values in one state, each field's `value` and `onChange` ready for a TextField or an input. */
export function useFields<T extends Record<string, string>>(initial: T) {
  const [values, setValues] = useState<T>(initial);
  const field = (name: keyof T) => ({
    value: values[name],
    onChange: (value: string) => setValues((previous) => ({ ...previous, [name]: value })),
  });
  return { values, field };
}
