import { FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { ErrorBox, TextField } from './ui';

export interface SignatureRequest {
  meaning: string;
  username: string;
  password: string;
  scope: { kind: 'casebook' } | { kind: 'visit'; visit: string };
}

/** A visit that can be signed on its own: its name in the protocol's schedule and how it is shown. */
export interface SignableVisit {
  id: string;
  label: string;
}

/**
 * Re-authentication for an electronic signature, freeze, lock or unblinding: the signer states what the
 * signature means, chooses what it covers (the casebook or one visit, when `visits` are given) and types
 * the password again. `sign` does the call; its refusal is shown in the dialog.
 */
export function SignatureDialog({
  title,
  meanings,
  visits,
  open,
  onClose,
  sign,
  username: knownUsername = '',
}: {
  username?: string;
  title: string;
  meanings?: string[];
  visits?: SignableVisit[];
  open: boolean;
  onClose: () => void;
  sign: (request: SignatureRequest) => Promise<void>;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [meaning, setMeaning] = useState(meanings?.[0] ?? '');
  const [scope, setScope] = useState('casebook');
  const [username, setUsername] = useState(knownUsername);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (open && !dialog.current?.open) dialog.current?.showModal();
    if (!open && dialog.current?.open) dialog.current.close();
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await sign({ meaning, username, password, scope: scope === 'casebook' ? { kind: 'casebook' } : { kind: 'visit', visit: scope } });
      setPassword('');
      onClose();
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 404 ? new Error('Signatures are not available on this server yet.') : failure,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby="signature-title">
      <form onSubmit={(event) => void submit(event)}>
        <h2 id="signature-title">{title}</h2>
        {meanings && (
          <div className="field">
            <label htmlFor="signature-meaning">Meaning</label>
            <select id="signature-meaning" value={meaning} onChange={(event) => setMeaning(event.target.value)}>
              {meanings.map((option) => (
                <option key={option}>{option}</option>
              ))}
            </select>
          </div>
        )}
        {visits && (
          <div className="field">
            <label htmlFor="signature-scope">What is signed</label>
            <select id="signature-scope" value={scope} onChange={(event) => setScope(event.target.value)}>
              <option value="casebook">the whole casebook</option>
              {visits.map((visit) => (
                <option key={visit.id} value={visit.id}>
                  visit {visit.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <TextField id="signature-username" label="Your user name" autoComplete="username" value={username} onChange={setUsername} />
        <TextField
          id="signature-password"
          label="Your password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
        />
        <ErrorBox error={error} />
        <p>
          <button type="submit" disabled={busy}>
            Sign
          </button>{' '}
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
        </p>
      </form>
    </dialog>
  );
}
