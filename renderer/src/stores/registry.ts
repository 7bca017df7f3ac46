import { create } from 'zustand';

import type {
  Enterprise,
  EnterpriseDraft,
  EnterpriseQueryInput,
} from '../../../shared/domain/enterprise';
import { api, ApiError } from '../api';

/** 企业台账: the filters, the page shown and what enterprise.list returned for them. */
export interface RegistryData {
  search: string;
  cityCode: string | undefined;
  countyCode: string | undefined;
  page: number;
  pageSize: number;
  items: Enterprise[];
  total: number;
  loading: boolean;
  /** True once a list has arrived, so an empty table means "none" rather than "not yet". */
  loaded: boolean;
  error: string | null;
}

export interface RegistryActions {
  /** Updates the search box at once and refetches after a short pause in typing. */
  setSearch: (text: string) => void;
  /** Chooses a city (or none) and clears the county, which belongs to the previous city. */
  setCity: (cityCode: string | undefined) => void;
  setCounty: (countyCode: string | undefined) => void;
  setPage: (page: number, pageSize: number) => void;
  refresh: () => Promise<void>;
  /** Creates (id null) or updates an enterprise, then refetches. Throws ApiError. */
  save: (id: string | null, draft: EnterpriseDraft) => Promise<Enterprise>;
  /** Deletes an enterprise, then refetches. Throws ApiError. */
  remove: (id: string) => Promise<void>;
}

export type RegistryState = RegistryData & RegistryActions;

export const SEARCH_DEBOUNCE_MS = 250;
export const DEFAULT_PAGE_SIZE = 20;

export const initialRegistryData: RegistryData = {
  search: '',
  cityCode: undefined,
  countyCode: undefined,
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
  items: [],
  total: 0,
  loading: false,
  loaded: false,
  error: null,
};

/** True when a filter narrows the list (so an empty table means "no match", not "no data"). */
export function isFiltered(s: Pick<RegistryData, 'search' | 'cityCode' | 'countyCode'>): boolean {
  return s.search.trim() !== '' || s.cityCode !== undefined || s.countyCode !== undefined;
}

function queryOf(s: RegistryData): EnterpriseQueryInput {
  const query: EnterpriseQueryInput = {
    offset: (s.page - 1) * s.pageSize,
    limit: s.pageSize,
  };
  const text = s.search.trim();
  if (text) query.text = text;
  if (s.cityCode) query.cityCode = s.cityCode;
  if (s.countyCode) query.countyCode = s.countyCode;
  return query;
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;
/** Only the newest request may write its answer: older ones may arrive later. */
let latestRequest = 0;

export const useRegistryStore = create<RegistryState>()((set, get) => {
  function refetchSoon(): void {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => void get().refresh(), SEARCH_DEBOUNCE_MS);
  }

  function refetchNow(): void {
    clearTimeout(searchTimer);
    void get().refresh();
  }

  return {
    ...initialRegistryData,

    setSearch(text) {
      set({ search: text, page: 1 });
      refetchSoon();
    },

    setCity(cityCode) {
      set({ cityCode, countyCode: undefined, page: 1 });
      refetchNow();
    },

    setCounty(countyCode) {
      set({ countyCode, page: 1 });
      refetchNow();
    },

    setPage(page, pageSize) {
      set({ page: pageSize === get().pageSize ? page : 1, pageSize });
      refetchNow();
    },

    async refresh() {
      const request = ++latestRequest;
      set({ loading: true });
      try {
        const result = await api.call('enterprise.list', queryOf(get()));
        if (request !== latestRequest) return;
        const { page, pageSize } = get();
        const lastPage = Math.max(1, Math.ceil(result.total / pageSize));
        if (result.items.length === 0 && page > lastPage) {
          // The page emptied (a delete, another device's sync): show the last one that has rows.
          set({ page: lastPage });
          await get().refresh();
          return;
        }
        set({
          items: result.items,
          total: result.total,
          loading: false,
          loaded: true,
          error: null,
        });
      } catch (e) {
        if (request !== latestRequest) return;
        set({ loading: false, error: e instanceof ApiError ? e.message : String(e) });
      }
    },

    async save(id, draft) {
      const saved =
        id === null
          ? await api.call('enterprise.create', draft)
          : await api.call('enterprise.update', { id, draft });
      await get().refresh();
      return saved;
    },

    async remove(id) {
      await api.call('enterprise.delete', { id });
      await get().refresh();
    },
  };
});

/** Puts the store back to its first state (tests). */
export function resetRegistryStore(): void {
  clearTimeout(searchTimer);
  latestRequest++;
  useRegistryStore.setState(initialRegistryData);
}
