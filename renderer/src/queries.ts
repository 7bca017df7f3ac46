/**
 * The renderer's reads: one named hook per list or record a view shows, each owning its api call
 * and the tables whose data.changed makes it ask again (through useLiveQuery). Components call
 * these and keep only UI state (filters, pages, open drawers) themselves; writes stay api.call in
 * their event handlers.
 */
import { useCallback, useMemo } from 'react';

import type { InspectionStatus } from '../../shared/domain/inspection';
import type { PlanStatus } from '../../shared/plan/schema';
import { api } from './api';
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
