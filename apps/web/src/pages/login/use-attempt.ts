import { FormEvent, useState } from 'react';

export interface Attempt {
  error: unknown;
  busy: boolean;
  /** A form's submit handler that runs `work` once, showing its failure. */
  run: (work: () => Promise<void>) => (event: FormEvent) => void;
}

/** One sign-in attempt at a time: busy while it runs, its failure kept to be shown, and handed to `onFailure`. */
export function useAttempt(onFailure: (failure: unknown) => void): Attempt {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const attempt = async (work: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try {
      await work();
    } catch (failure) {
      setError(failure);
      onFailure(failure);
    } finally {
      setBusy(false);
    }
  };
  const run = (work: () => Promise<void>) => (event: FormEvent) => {
    event.preventDefault();
    void attempt(work);
  };
  return { error, busy, run };
}
