/**
 * The renderer's reads: one named hook per list or record a view shows, each owning its api call
 * and the tables whose data.changed makes it ask again (through useLiveQuery). Components call
 * these and keep only UI state (filters, pages, open drawers) themselves; writes stay api.call in
 * their event handlers.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';

import type { EnterprisePage, EnterpriseQueryInput } from '../../shared/domain/enterprise';
import type { InspectionStatus } from '../../shared/domain/inspection';
import type { PlanStatus } from '../../shared/plan/schema';
import type { ApplicationStatus } from '../../shared/domain/review';
import { api } from './api';
import {
  filterOf,
  SEARCH_DEBOUNCE_MS,
  useRegistryStore,
  type RegistryData,
} from './stores/registry';
import { useLiveQuery } from './use-live-query';

/** Tables of visits and violations: what the visit lists watch. */
export function isVisitTable(table: string): boolean {
  return table.startsWith('inspection') || table === 'violations' || table === 'attachment_uses';
}

function isPlanTable(table: string): boolean {
  return table.startsWith('plan');
}

/** The tables a ruleset is read from. */
function isRulesetTable(table: string): boolean {
  return table === 'rulesets';
}

/** The tables whose changes change the counts. */
const COUNTED = new Set([
  'enterprises',
  'enterprise_processes',
  'inspections',
  'plans',
  'violations',
  'attachment_uses',
]);

const TRASH_WATCHED = new Set(['enterprises', 'inspections', 'plans']);

const fetchCatalog = () => api.call('catalog.get', {});
const fetchRulesets = () => api.call('ruleset.list', {});

/**
 * The industry catalogue, while `enabled`. It changes with the app, not with data: only
 * "anything may have changed" (an empty table list) asks again.
 */
export function useCatalog(enabled = true) {
  return useLiveQuery(enabled ? fetchCatalog : null, () => false);
}

/**
 * The ruleset library's list (every edition), while `enabled`; read again when data.changed
 * names the rulesets (an import here or on another device).
 */
export function useRulesets(enabled = true) {
  return useLiveQuery(enabled ? fetchRulesets : null, isRulesetTable);
}

/**
 * 行业与工序 of an enterprise (null: none asked). `reload` after the app's own write: the list
 * shows what was just saved before the call resolves.
 */
export function useProcesses(enterpriseId: string | null) {
  const fetch = useMemo(
    () => (enterpriseId === null ? null : () => api.call('process.list', { enterpriseId })),
    [enterpriseId],
  );
  return useLiveQuery(fetch, (t) => t === 'enterprise_processes');
}

/** 现场检查: every visit on this device, of one status or all. */
export function useVisits(status: InspectionStatus | 'all') {
  const fetch = useCallback(
    () => api.call('inspection.list', status === 'all' ? {} : { status }),
    [status],
  );
  return useLiveQuery(fetch, isVisitTable);
}

/** 提升方案: every enterprise's plan, of one status or all. */
export function usePlans(status: PlanStatus | 'all') {
  const fetch = useCallback(
    () => api.call('plan.list', status === 'all' ? {} : { status }),
    [status],
  );
  return useLiveQuery(fetch, isPlanTable);
}

/** 回收站: what was deleted in the last days. */
export function useTrash() {
  const fetch = useCallback(() => api.call('trash.list', {}), []);
  return useLiveQuery(fetch, (t) => TRASH_WATCHED.has(t));
}

/** An enterprise's visits and violations, as [visits, violations] (null: none asked). */
export function useEnterpriseVisits(enterpriseId: string | null) {
  const fetch = useMemo(
    () =>
      enterpriseId
        ? () =>
            Promise.all([
              api.call('inspection.list', { enterpriseId }),
              api.call('violation.list', { enterpriseId }),
            ])
        : null,
    [enterpriseId],
  );
  return useLiveQuery(fetch, isVisitTable);
}

/** What deleting an enterprise takes with it (null: none asked). */
export function useDeletionSummary(id: string | null) {
  const fetch = useMemo(
    () => (id === null ? null : () => api.call('enterprise.deletionSummary', { id })),
    [id],
  );
  return useLiveQuery(fetch, (t) => COUNTED.has(t));
}

/** One edition of a ruleset. A new `attempt` (a retry) is a new fetch: the failed one's error goes. */
export function useRuleset(id: string, edition: string, attempt: number) {
  const fetch = useCallback(
    () => api.call('ruleset.get', { id, edition }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [id, edition, attempt],
  );
  return useLiveQuery(fetch, isRulesetTable);
}

/**
 * A page of the remote values set aside (暂未应用的数据) while `open`; `version` changes whenever
 * what is set aside may have changed, and only says when to ask again.
 */
export function useDeferred(open: boolean, page: number, pageSize: number, version: string) {
  const fetch = useMemo(
    () =>
      open
        ? () =>
            api.call('sync.listDeferred', {
              limit: pageSize,
              offset: (page - 1) * pageSize,
            })
        : null,
    // `version` only says when to ask again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [open, page, pageSize, version],
  );
  return useLiveQuery(fetch, () => true);
}

/** The tables whose changes change the registry's list. */
function isRegistryTable(table: string): boolean {
  return table === 'enterprises' || table === 'violations' || table === 'grade_events';
}

/** The tables an enterprise's official grade (and its 降级 proposals) are read from. */
function isGradeTable(table: string): boolean {
  return table === 'grade_events' || table === 'enterprises' || table.startsWith('inspection');
}

/** An enterprise's official grade, its history and its 降级 proposals (null: none asked). */
export function useGradeHistory(enterpriseId: string | null) {
  const fetch = useMemo(
    () => (enterpriseId === null ? null : () => api.call('grade.history', { enterpriseId })),
    [enterpriseId],
  );
  return useLiveQuery(fetch, isGradeTable);
}

function registryData(s: RegistryData): RegistryData {
  const { search, cityCode, countyCode, industryCode, currentGrade, targetGrade } = s;
  const { page, pageSize } = s;
  return { search, cityCode, countyCode, industryCode, currentGrade, targetGrade, page, pageSize };
}

function queryOf(s: RegistryData): EnterpriseQueryInput {
  return { ...filterOf(s), offset: (s.page - 1) * s.pageSize, limit: s.pageSize };
}

/** True when the filters are the same but for the search text (and page) of `b`. */
function sameButSearch(a: RegistryData, b: RegistryData): boolean {
  return (
    a.cityCode === b.cityCode &&
    a.countyCode === b.countyCode &&
    a.industryCode === b.industryCode &&
    a.currentGrade === b.currentGrade &&
    a.targetGrade === b.targetGrade &&
    a.pageSize === b.pageSize
  );
}

/** True when `b` differs from `a` by what was typed into the search box only (back on page 1). */
function onlyTyped(a: RegistryData, b: RegistryData): boolean {
  return a.search !== b.search && b.page === 1 && sameButSearch(a, b);
}

/** What the registry's list shows: the last answer in, kept while the next one is asked. */
export interface EnterpriseList {
  items: EnterprisePage['items'];
  total: number;
  /** A very broad search: more than `total` match (shown as 1000+). */
  totalCapped: boolean;
  loading: boolean;
  /** True once a list has arrived, so an empty table means "none" rather than "not yet". */
  loaded: boolean;
  error: string | null;
  reload: () => Promise<void>;
}

/**
 * 企业台账: one page of enterprise.list for the registry store's filters. A change of search text
 * is asked after a short pause in typing; any other change at once (with the text as typed).
 */
export function useEnterpriseList(): EnterpriseList {
  const chosen = useRegistryStore(useShallow(registryData));
  const setPage = useRegistryStore((s) => s.setPage);
  const [applied, setApplied] = useState(chosen);
  const typing = applied !== chosen && onlyTyped(applied, chosen);
  if (applied !== chosen && !typing) setApplied(chosen);
  const asked = typing ? applied : chosen;

  useEffect(() => {
    if (!typing) return;
    const timer = setTimeout(() => setApplied(chosen), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [typing, chosen]);

  const key = JSON.stringify(queryOf(asked));
  const fetch = useMemo(
    () => () => api.call('enterprise.list', queryOf(asked)),
    // `key` says what is asked.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );
  const { data, error, loading, reload } = useLiveQuery(fetch, isRegistryTable);
  const [shown, setShown] = useState<EnterprisePage | undefined>(undefined);
  if (data !== undefined && data !== shown) setShown(data);

  useEffect(() => {
    if (!data) return;
    const lastPage = Math.max(1, Math.ceil(data.total / asked.pageSize));
    // The page emptied (a delete, another device's sync): show the last one that has rows.
    if (data.items.length === 0 && asked.page > lastPage) setPage(lastPage, asked.pageSize);
    // Only a new answer can empty the page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);

  const page = data ?? shown;
  return {
    items: page?.items ?? [],
    total: page?.total ?? 0,
    totalCapped: page?.totalCapped === true,
    loading,
    loaded: page !== undefined,
    error,
    reload,
  };
}

/** The tables an application's list, detail and materials are read from. */
function isReviewTable(table: string): boolean {
  return (
    table === 'grade_applications' ||
    table === 'review_steps' ||
    table === 'grade_events' ||
    table === 'attachment_uses' ||
    table === 'enterprises'
  );
}

const fetchReviewAccount = () => api.call('review.account', {});

/** What this device's account may do in 审核评定, while `enabled`. */
export function useReviewAccount(enabled = true) {
  return useLiveQuery(enabled ? fetchReviewAccount : null, isReviewTable);
}

/**
 * 审核评定: one page of applications of a status (or all), only the account's queue when `mine`;
 * nothing is asked until `enabled` (the page waits for the account to know which list it opens on).
 */
export function useApplications(query: {
  status: ApplicationStatus | 'all';
  mine: boolean;
  page: number;
  pageSize: number;
  enabled: boolean;
}) {
  const { status, mine, page, pageSize, enabled } = query;
  const fetch = useMemo(
    () =>
      enabled
        ? () =>
            api.call('review.list', {
              ...(status === 'all' ? {} : { status }),
              ...(mine ? { mine: true } : {}),
              offset: (page - 1) * pageSize,
              limit: pageSize,
            })
        : null,
    [status, mine, page, pageSize, enabled],
  );
  return useLiveQuery(fetch, isReviewTable);
}

/** One application with its materials, steps and the actions open to this account (null: none). */
export function useApplication(id: string | null) {
  const fetch = useMemo(() => (id === null ? null : () => api.call('review.get', { id })), [id]);
  return useLiveQuery(fetch, isReviewTable);
}

/** The finalized visits and the plans of an enterprise, for a 申报 (null: none asked). */
export function useApplicationSources(enterpriseId: string | null) {
  const fetch = useMemo(
    () =>
      enterpriseId === null
        ? null
        : () =>
            Promise.all([
              api.call('inspection.list', { enterpriseId, status: 'finalized' }),
              api.call('plan.list', { enterpriseId }),
            ]),
    [enterpriseId],
  );
  return useLiveQuery(fetch, (t) => isVisitTable(t) || isPlanTable(t));
}

/** The tables the published results list is made from (信息公开's preview watches them). */
function isPublicationSource(table: string): boolean {
  return (
    table === 'grade_events' ||
    table === 'publications' ||
    table === 'enterprises' ||
    table === 'enterprise_processes'
  );
}

/**
 * 信息公开: the list as it would be published now for a scope (undefined: the account's own),
 * and whether this device's account may publish it.
 */
export function usePublicationPreview(scope: string | undefined) {
  const fetch = useMemo(
    () => () => api.call('publication.preview', scope === undefined ? {} : { scope }),
    [scope],
  );
  return useLiveQuery(fetch, isPublicationSource);
}

/** 信息公开: the published editions of a scope, newest first (null: none asked yet). */
export function usePublications(scope: string | null) {
  const fetch = useMemo(
    () => (scope === null ? null : () => api.call('publication.list', { scope })),
    [scope],
  );
  return useLiveQuery(fetch, (t) => t === 'publications');
}
