import { useCallback, useEffect, useRef, useState } from 'react';

import { api } from './api';
import { errorText } from './errors';

export interface LiveQuery<T> {
  /** The latest answer of this very `fetch` (undefined until it arrives). */
  data: T | undefined;
  error: string | null;
  /** True until the first answer (or error) of this `fetch`. */
  loading: boolean;
  /**
   * Runs this `fetch` again now, keeping what is shown until its answer (after the app's own
   * write, where a test's fake transport announces no data.changed). Resolves once it is in.
   */
  reload: () => Promise<void>;
}

/**
 * Runs `fetch` (memoize it with useCallback) and again whenever `data.changed` names a table
 * `watches` accepts (or the event stream reconnected). An answer of an earlier `fetch` is never
 * shown as this one's: switching enterprises shows loading, not the previous enterprise's rows;
 * of runs of the same `fetch` that overlap, the latest one's answer wins.
 */
export function useLiveQuery<T>(
  fetch: (() => Promise<T>) | null,
  watches: (table: string) => boolean,
): LiveQuery<T> {
  const [state, setState] = useState<{
    fetch: (() => Promise<T>) | null;
    data: T | undefined;
    error: string | null;
  }>({ fetch: null, data: undefined, error: null });
  /** The running effect's `run`, for `reload`. */
  const rerun = useRef<(() => Promise<unknown>) | null>(null);

  useEffect(() => {
    if (!fetch) return;
    let live = true;
    // Runs can overlap (a reload just after a data.changed): only the latest one's answer is
    // shown, so an earlier answer landing last never puts older rows back on screen.
    let latest = 0;
    const run = () => {
      const mine = ++latest;
      const current = () => live && mine === latest;
      return fetch().then(
        (data) => current() && setState({ fetch, data, error: null }),
        (e: unknown) =>
          current() &&
          setState((s) => ({
            fetch,
            data: s.fetch === fetch ? s.data : undefined,
            error: errorText(e),
          })),
      );
    };
    rerun.current = run;
    void run();
    const off = api.on('data.changed', ({ tables }) => {
      if (tables.length === 0 || tables.some(watches)) void run();
    });
    return () => {
      live = false;
      if (rerun.current === run) rerun.current = null;
      off();
    };
    // `watches` is a predicate of constant meaning; only a new `fetch` refetches.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetch]);

  const reload = useCallback(async () => {
    await rerun.current?.();
  }, []);

  const current = state.fetch === fetch;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : null,
    loading: fetch !== null && (!current || (state.data === undefined && state.error === null)),
    reload,
  };
}
