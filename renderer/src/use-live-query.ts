import { useEffect, useState } from 'react';

import { api } from './api';
import { errorText } from './errors';

export interface LiveQuery<T> {
  /** The latest answer of this very `fetch` (undefined until it arrives). */
  data: T | undefined;
  error: string | null;
  /** True until the first answer (or error) of this `fetch`. */
  loading: boolean;
}

/**
 * Runs `fetch` (memoize it with useCallback) and again whenever `data.changed` names a table
 * `watches` accepts (or the event stream reconnected). An answer of an earlier `fetch` is never
 * shown as this one's: switching enterprises shows loading, not the previous enterprise's rows.
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

  useEffect(() => {
    if (!fetch) return;
    let live = true;
    const run = () =>
      fetch().then(
        (data) => live && setState({ fetch, data, error: null }),
        (e: unknown) =>
          live &&
          setState((s) => ({
            fetch,
            data: s.fetch === fetch ? s.data : undefined,
            error: errorText(e),
          })),
      );
    void run();
    const off = api.on('data.changed', ({ tables }) => {
      if (tables.length === 0 || tables.some(watches)) void run();
    });
    return () => {
      live = false;
      off();
    };
    // `watches` is a predicate of constant meaning; only a new `fetch` refetches.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetch]);

  const current = state.fetch === fetch;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : null,
    loading: fetch !== null && (!current || (state.data === undefined && state.error === null)),
  };
}

/** Tables of visits and violations: what the visit lists watch. */
export function isVisitTable(table: string): boolean {
  return table.startsWith('inspection') || table === 'violations' || table === 'attachment_uses';
}
