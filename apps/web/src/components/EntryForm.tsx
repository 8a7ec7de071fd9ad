import { FormEvent, ReactNode, useId, useState } from 'react';
import { ApiError } from '../api/client';
import type { FieldSpec, Values } from '../app/forms';
import { ErrorBox, fieldErrorsOf } from './ui';

export interface EntryFormProps {
  title: string;
  fields: FieldSpec[];
  initial?: Values;
  submitLabel?: string;
  /** The domain's rules on the body the form would send: field → message; empty when valid. */
  check: (values: Values) => Record<string, string>;
  /** Sends; a thrown ApiError's `{ field, rule }` details are shown beside their fields. */
  submit: (values: Values) => Promise<void>;
  extra?: ReactNode;
  testId?: string;
}

/** A form whose every field shows its own error: first the browser's run of the domain rules, then the server's. */
export function EntryForm({ title, fields, initial = {}, submitLabel = 'Save', check, submit, extra, testId }: EntryFormProps) {
  const [values, setValues] = useState<Values>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const formId = useId();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    setFailure(null);
    const found = check(values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await submit(values);
      setSaved(true);
    } catch (error) {
      const byField = fieldErrorsOf(error);
      setErrors(byField);
      const shownBeside = error instanceof ApiError && error.details.some((detail) => fields.some((field) => field.name === detail.field));
      if (!shownBeside) setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const unplaced = Object.entries(errors).filter(([field]) => !fields.some((spec) => spec.name === field));

  return (
    <form
      className="entry-form"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-labelledby={`${formId}-title`}
      data-testid={testId}
    >
      <h3 id={`${formId}-title`}>{title}</h3>
      <div className="fields">
        {fields.map((field) => (
          <Field
            key={field.name}
            id={`${formId}-${field.name}`}
            spec={field}
            value={values[field.name]}
            error={errors[field.name]}
            onChange={(value) => setValues((previous) => ({ ...previous, [field.name]: value }))}
          />
        ))}
      </div>
      {extra}
      {unplaced.map(([field, message]) => (
        <p key={field} className="field-error" role="alert">
          {field}: {message}
        </p>
      ))}
      <ErrorBox error={failure} />
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
      {saved && (
        <span className="saved" role="status">
          Saved
        </span>
      )}
    </form>
  );
}

function Field({
  id,
  spec,
  value,
  error,
  onChange,
}: {
  id: string;
  spec: FieldSpec;
  value: string | boolean | undefined;
  error?: string;
  onChange: (value: string | boolean) => void;
}) {
  const errorId = `${id}-error`;
  const common = { id, name: spec.name, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? errorId : undefined };
  let input: ReactNode;
  if (spec.type === 'checkbox') {
    input = <input {...common} type="checkbox" checked={value === true} onChange={(event) => onChange(event.target.checked)} />;
  } else if (spec.type === 'select') {
    input = (
      <select {...common} value={typeof value === 'string' ? value : ''} onChange={(event) => onChange(event.target.value)}>
        {!spec.options?.includes('') && <option value="">–</option>}
        {spec.options?.map((option) => (
          <option key={option} value={option}>
            {option || '–'}
          </option>
        ))}
      </select>
    );
  } else if (spec.type === 'textarea') {
    input = <textarea {...common} value={typeof value === 'string' ? value : ''} onChange={(event) => onChange(event.target.value)} />;
  } else {
    const type = spec.type === 'date' ? 'date' : 'text';
    const inputMode = spec.type === 'number' ? 'decimal' : spec.type === 'integer' ? 'numeric' : undefined;
    input = (
      <input
        {...common}
        type={type}
        inputMode={inputMode}
        value={typeof value === 'string' ? value : ''}
        onChange={(event) => onChange(event.target.value)}
      />
    );
  }
  return (
    <div className={`field field-${spec.type}${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {spec.label}
        {spec.optional && <span className="muted"> (optional)</span>}
      </label>
      {input}
      {spec.hint && <small className="muted">{spec.hint}</small>}
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
