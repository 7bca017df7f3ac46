import { useEffect } from 'react';
import { create } from 'zustand';

import type { Process, ProcessDraft } from '../../../shared/domain/process';
import { api } from '../api';
import { errorText } from '../errors';

/** 行业与工序 of the enterprise whose processes are shown. */
export interface ProcessData {
  enterpriseId: string | null;
  items: Process[];
  loading: boolean;
  loaded: boolean;
  error: string | null;
}

export interface ProcessActions {
  /** Shows an enterprise's processes (null: none) and fetches them afresh. */
  show: (enterpriseId: string | null) => void;
  refresh: () => Promise<void>;
  /** Creates (id null) or updates a process, then refetches. Throws ApiError. */
  save: (id: string | null, draft: ProcessDraft) => Promise<Process>;
  /** Deletes a process, then refetches. Throws ApiError. */
  remove: (id: string) => Promise<void>;
}

export type ProcessState = ProcessData & ProcessActions;

export const initialProcessData: ProcessData = {
  enterpriseId: null,
  items: [],
  loading: false,
  loaded: false,
  error: null,
};

let latestRequest = 0;

export const useProcessStore = create<ProcessState>()((set, get) => ({
  ...initialProcessData,

  show(enterpriseId) {
    if (enterpriseId !== get().enterpriseId) {
      latestRequest++;
      set({ ...initialProcessData, enterpriseId });
    }
    if (enterpriseId !== null) void get().refresh();
  },

  async refresh() {
    const enterpriseId = get().enterpriseId;
    if (enterpriseId === null) return;
    const request = ++latestRequest;
    set({ loading: true });
    try {
      const items = await api.call('process.list', { enterpriseId });
      if (request !== latestRequest) return;
      set({ items, loading: false, loaded: true, error: null });
    } catch (e) {
      if (request !== latestRequest) return;
      set({ loading: false, error: errorText(e) });
    }
  },

  async save(id, draft) {
    const saved =
      id === null
        ? await api.call('process.create', draft)
        : await api.call('process.update', { id, draft });
    await get().refresh();
    return saved;
  },

  async remove(id) {
    await api.call('process.delete', { id });
    await get().refresh();
  },
}));

/** Puts the store back to its first state (tests). */
export function resetProcessStore(): void {
  latestRequest++;
  useProcessStore.setState(initialProcessData);
}

/** Refetches the shown processes when data.changed names them (or anything may have changed). */
export function useProcessSync(enabled: boolean): void {
  const refresh = useProcessStore((s) => s.refresh);
  useEffect(() => {
    if (!enabled) return;
    return api.on('data.changed', ({ tables }) => {
      if (tables.length === 0 || tables.includes('enterprise_processes')) void refresh();
    });
  }, [enabled, refresh]);
}
