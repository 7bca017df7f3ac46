/**
 * 企业台账's UI state: the search box, the filters and the page shown, and the actions that set
 * them. The list itself is read by useEnterpriseList (queries.ts), which asks enterprise.list
 * for what is chosen here.
 */
import { create } from 'zustand';

import type { RegistryFilter } from '../../../shared/api/contract';

/** 企业台账: the filters and the page shown. */
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
}

export interface RegistryActions {
  /** Updates the search box at once (the list asks again after a short pause in typing). */
  setSearch: (text: string) => void;
  /** Chooses a city (or none) and clears the county, which belongs to the previous city. */
  setCity: (cityCode: string | undefined) => void;
  setCounty: (countyCode: string | undefined) => void;
  /** Sets the industry and grade filters given (undefined clears one). */
  setFilters: (filters: Partial<Pick<RegistryData, GradeOrIndustry>>) => void;
  /** Clears the search box and every filter. */
  clearFilters: () => void;
  setPage: (page: number, pageSize: number) => void;
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

export const useRegistryStore = create<RegistryState>()((set, get) => ({
  ...initialRegistryData,

  setSearch(text) {
    set({ search: text, page: 1 });
  },

  setCity(cityCode) {
    set({ cityCode, countyCode: undefined, page: 1 });
  },

  setCounty(countyCode) {
    set({ countyCode, page: 1 });
  },

  setFilters(filters) {
    set({ ...filters, page: 1 });
  },

  clearFilters() {
    set(NO_FILTERS);
  },

  setPage(page, pageSize) {
    set({ page: pageSize === get().pageSize ? page : 1, pageSize });
  },
}));

/** Puts the store back to its first state (tests). */
export function resetRegistryStore(): void {
  useRegistryStore.setState(initialRegistryData);
}
