import { useEffect } from 'react';
import { create } from 'zustand';

import type { RulesetSummary } from '../../../shared/api/contract';
import type { Catalog } from '../../../shared/domain/catalog';
import type { RulesetBrief } from '../../../shared/domain/process';
import { api } from '../api';
import { errorText } from '../errors';

/**
 * The industry catalogue and the ruleset library's list: read once, shared by 分级指标库 and the
 * process form, and read again when data.changed says the rulesets (or anything) changed.
 */
export interface LibraryData {
  catalog: Catalog | null;
  rulesets: RulesetSummary[];
  loading: boolean;
  /** True once both have arrived. */
  loaded: boolean;
  error: string | null;
}

export interface LibraryActions {
  /** Fetches the catalogue and the list unless they are here or on their way. */
  load: () => Promise<void>;
  /** Fetches both again. */
  refresh: () => Promise<void>;
  /** Fetches the ruleset list again (an import here or on another device). */
  refreshRulesets: () => Promise<void>;
}

export type LibraryState = LibraryData & LibraryActions;

export const initialLibraryData: LibraryData = {
  catalog: null,
  rulesets: [],
  loading: false,
  loaded: false,
  error: null,
};

let inFlight: Promise<void> | null = null;
/** Only the newest request may write its answer. */
let latestCatalog = 0;
let latestRulesets = 0;

export const useLibraryStore = create<LibraryState>()((set, get) => {
  async function fetchCatalog(): Promise<void> {
    const request = ++latestCatalog;
    const catalog = await api.call('catalog.get', {});
    if (request === latestCatalog) set({ catalog });
  }

  async function fetchRulesets(): Promise<void> {
    const request = ++latestRulesets;
    const rulesets = await api.call('ruleset.list', {});
    if (request === latestRulesets) set({ rulesets });
  }

  async function run(parts: (() => Promise<void>)[]): Promise<void> {
    set({ loading: true });
    try {
      await Promise.all(parts.map((p) => p()));
      set({ loading: false, loaded: get().catalog !== null, error: null });
    } catch (e) {
      set({ loading: false, error: errorText(e) });
    }
  }

  return {
    ...initialLibraryData,

    load() {
      if (get().loaded) return Promise.resolve();
      inFlight ??= run([fetchCatalog, fetchRulesets]).finally(() => {
        inFlight = null;
      });
      return inFlight;
    },

    refresh() {
      return run([fetchCatalog, fetchRulesets]);
    },

    refreshRulesets() {
      return run([fetchRulesets]);
    },
  };
});

/** Puts the store back to its first state (tests). */
export function resetLibraryStore(): void {
  inFlight = null;
  latestCatalog++;
  latestRulesets++;
  useLibraryStore.setState(initialLibraryData);
}

/**
 * Loads the library while `enabled` and keeps it current: data.changed with 'rulesets' refetches
 * the list, an empty table list ("anything may have changed") both.
 */
export function useLibrary(enabled = true): void {
  const load = useLibraryStore((s) => s.load);
  const refresh = useLibraryStore((s) => s.refresh);
  const refreshRulesets = useLibraryStore((s) => s.refreshRulesets);
  useEffect(() => {
    if (!enabled) return;
    void load();
    return api.on('data.changed', ({ tables }) => {
      if (tables.length === 0) void refresh();
      else if (tables.includes('rulesets')) void refreshRulesets();
    });
  }, [enabled, load, refresh, refreshRulesets]);
}

/** The latest edition of each ruleset id (the one a process's rulesetId names). */
export function latestEditions(rulesets: readonly RulesetSummary[]): RulesetSummary[] {
  const byId = new Map<string, RulesetSummary>();
  for (const r of rulesets) {
    const seen = byId.get(r.id);
    if (!seen || seen.edition < r.edition) byId.set(r.id, r);
  }
  return [...byId.values()];
}

/** Describes a ruleset id for checkProcessAgainstCatalog. */
export function rulesetBriefs(
  rulesets: readonly RulesetSummary[],
): (id: string) => RulesetBrief | undefined {
  const latest = new Map(latestEditions(rulesets).map((r) => [r.id, r]));
  return (id) => {
    const r = latest.get(id);
    if (!r) return undefined;
    return { industry: r.industry, ...(r.branch ? { branch: r.branch } : {}), grades: r.grades };
  };
}

/** Rulesets usable for a process of this industry (by name) and branch. */
export function rulesetsFor(
  rulesets: readonly RulesetSummary[],
  industryName: string | undefined,
  branch: string | undefined,
): RulesetSummary[] {
  if (!industryName) return [];
  return latestEditions(rulesets).filter(
    (r) => r.industry === industryName && (r.branch === null || r.branch === branch),
  );
}
