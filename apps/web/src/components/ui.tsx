import { ReactNode, useId } from 'react';
import { ApiError, download } from '../api/client';

export function Loading({ what = 'data' }: { what?: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="error" role="alert">
      {message}
    </div>
  );
}

/** Shown where a feature another part of the platform brings is not on this server yet (its route answers 404). */
export function NotYetAvailable({ what }: { what: string }) {
  return <p className="notice">{what} is not available on this server yet.</p>;
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="panel">
      <header className="panel-head">
        <h2 id={id}>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

/** A reporting date, or with `type="datetime-local"` a moment to the second (in the browser's time zone). */
export function AsOfPicker({
  value,
  onChange,
  label = 'As of',
  type = 'date',
}: {
  value: string;
  onChange: (value: string) => void;
  label?: string;
  type?: 'date' | 'datetime-local';
}) {
  const id = useId();
  return (
    <span className="as-of">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        step={type === 'datetime-local' ? 1 : undefined}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </span>
  );
}

export const today = (): string => new Date().toISOString().slice(0, 10);

/** Messages for the server's and the domain's rule codes, beside the field they name. */
export function describeRule(rule: string): string {
  return rule.replace(/-/g, ' ');
}

/** Field → message, from a server's `{ field, rule }` details (a message the server gave wins). */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const errors: Record<string, string> = {};
  const parts = error.message.split('; ');
  for (const detail of error.details) {
    const own = parts.find((part) => part.startsWith(`${detail.field}:`));
    errors[detail.field] = own ? `${own.slice(detail.field.length + 1).trim()} (${detail.rule})` : describeRule(detail.rule);
  }
  return errors;
}

export function Badge({ tone, children }: { tone: string; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** A labelled text input in the form layout (`.field`). */
export function TextField({
  id,
  label,
  value,
  onChange,
  type = 'text',
  autoComplete,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: string;
  autoComplete?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type={type} autoComplete={autoComplete} value={value} onChange={(event) => onChange(event.target.value)} />
    </div>
  );
}

/** A row of headline figures (`.stats`), each a `Stat`. */
export function Stats({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="stats" data-testid={testId}>
      {children}
    </div>
  );
}

/** One headline figure: its label above, its value in bold. */
export function Stat({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <span className="stat">
      <span className="muted">{label}</span>
      <strong data-testid={testId}>{children}</strong>
    </span>
  );
}

/** A button that downloads what `path` answers as `file` (an export, a dataset, the log). */
export function DownloadButton({ path, file, children }: { path: string; file: string; children: ReactNode }) {
  return (
    <button type="button" className="secondary" onClick={() => void download(path, file)}>
      {children}
    </button>
  );
}
