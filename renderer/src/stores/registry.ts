import { create } from 'zustand';

import type { RegistryFilter } from '../../../shared/api/contract';
import type {
  Enterprise,
  EnterpriseDraft,
  EnterpriseListItem,
  EnterpriseQueryInput,
} from '../../../shared/domain/enterprise';
import { api } from '../api';
import { errorText } from '../errors';

/** 企业台账: the filters, the page shown and what enterprise.list returned for them. */
export interface RegistryData {
  search: string;
  cityCode: string | undefined;
  countyCode: string | undefined;
  /** Enterprises with a process of this catalogue industry. */
  industryCode: string | undefined;
  /** …whose 绩效现状 / 绩效提升目标 is this grade. */
  currentGrade: string | undefined;
  targetGrade: string | undefined;
  page: number;
  pageSize: number;
  items: EnterpriseListItem[];
  total: number;
  /** A very broad search: more than `total` match (shown as 1000+). */
  totalCapped: boolean;
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
  /** Sets the industry and grade filters given (undefined clears one) and refetches. */
  setFilters: (filters: Partial<Pick<RegistryData, GradeOrIndustry>>) => void;
  /** Clears the search box and every filter. */
  clearFilters: () => void;
  setPage: (page: number, pageSize: number) => void;
  refresh: () => Promise<void>;
  /** Creates (id null) or updates an enterprise, then refetches. Throws ApiError. */
  save: (id: string | null, draft: EnterpriseDraft) => Promise<Enterprise>;
  /** Deletes an enterprise, then refetches. Throws ApiError. */
  /** Moves it to the 回收站: the person typed its name; a reason where finalized visits go too. */
  remove: (id: string, confirmName: string, reason?: string) => Promise<void>;
}

type GradeOrIndustry = 'industryCode' | 'currentGrade' | 'targetGrade';

export type RegistryState = RegistryData & RegistryActions;

export const SEARCH_DEBOUNCE_MS = 250;
export const DEFAULT_PAGE_SIZE = 20;

/** No search and no filter, on the first page. */
const NO_FILTERS = {
  search: '',
  cityCode: undefined,
  countyCode: undefined,
  industryCode: undefined,
  currentGrade: undefined,
  targetGrade: undefined,
  page: 1,
} satisfies Partial<RegistryData>;

export const initialRegistryData: RegistryData = {
  ...NO_FILTERS,
  pageSize: DEFAULT_PAGE_SIZE,
  items: [],
  total: 0,
  totalCapped: false,
  loading: false,
  loaded: false,
  error: null,
};

type FilterFields = 'search' | 'cityCode' | 'countyCode' | GradeOrIndustry;

/** True when a filter narrows the list (so an empty table means "no match", not "no data"). */
export function isFiltered(s: Pick<RegistryData, FilterFields>): boolean {
  return Object.keys(filterOf(s)).length > 0;
}

/** The current filters as the API takes them (enterprise.list, registry.export). */
export function filterOf(s: Pick<RegistryData, FilterFields>): RegistryFilter {
  const filter: RegistryFilter = {};
  const text = s.search.trim();
  if (text) filter.text = text;
  if (s.cityCode) filter.cityCode = s.cityCode;
  if (s.countyCode) filter.countyCode = s.countyCode;
  if (s.industryCode) filter.industryCode = s.industryCode;
  if (s.currentGrade) filter.currentGrade = s.currentGrade;
  if (s.targetGrade) filter.targetGrade = s.targetGrade;
  return filter;
}

function queryOf(s: RegistryData): EnterpriseQueryInput {
  return { ...filterOf(s), offset: (s.page - 1) * s.pageSize, limit: s.pageSize };
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

    setFilters(filters) {
      set({ ...filters, page: 1 });
      refetchNow();
    },

    clearFilters() {
      set(NO_FILTERS);
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
          totalCapped: result.totalCapped === true,
          loading: false,
          loaded: true,
          error: null,
        });
      } catch (e) {
        if (request !== latestRequest) return;
        set({ loading: false, error: errorText(e) });
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

    async remove(id, confirmName, reason) {
      await api.call('enterprise.delete', {
        id,
        confirmName,
        ...(reason !== undefined ? { reason } : {}),
      });
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
