import { useCallback, useEffect, useRef, useState } from 'react';
import { onReadModelChange } from '../api/live';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads what `load` answers and loads it again whenever `key` changes, and, when `live`, whenever the
 * server says a read model changed (debounced: a burst of commits is one reload).
 */
export function useApi<T>(load: () => Promise<T>, key: unknown[], options: { live?: boolean } = {}): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  // A live change while a load is in flight waits for it: restarting would drop its answer, and on a slow
  // machine with frequent changes no answer would ever be shown.
  const inFlight = useRef(false);
  const changedMeanwhile = useRef(false);

  // The key's values, as one comparable string: React compares dependencies one by one, so a list of
  // variable length cannot be spread into them.
  const keyText = JSON.stringify(key);
  useEffect(() => {
    let current = true;
    inFlight.current = true;
    setState((previous) => ({ ...previous, loading: true }));
    loadRef
      .current()
      .then(
        (data) => current && setState({ data, loading: false }),
        (error: Error) => current && setState({ error, loading: false }),
      )
      .finally(() => {
        if (!current) return;
        inFlight.current = false;
        if (changedMeanwhile.current) {
          changedMeanwhile.current = false;
          reload();
        }
      });
    return () => {
      current = false;
    };
    // The load function changes on every render; `key` says when its result changes.
  }, [keyText, generation, reload]);

  useEffect(() => {
    if (!options.live) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = onReadModelChange(() => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (inFlight.current) changedMeanwhile.current = true;
        else reload();
      }, 250);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [options.live, reload]);

  return { data: state.data, error: state.error, loading: state.loading, reload };
}
