import { create } from 'zustand';

import type { PlanDetail, PlanEdit } from '../../../shared/plan/api';
import { api, ApiError } from '../api';

/**
 * The plan open on the 提升方案 screen and the expert's edits to it. A plan is saved as versions
 * (plan.save), so edits are kept here until 保存; they are also kept in localStorage on every
 * change, so a crash or a closed window does not lose them: reopening the same version offers
 * them back.
 */

export interface PlanData {
  /** What was asked: a plan id or an enterprise id, and a version (null: the current one). */
  ref: { id?: string; enterpriseId?: string; version?: number } | null;
  detail: PlanDetail | null;
  /** The edited content (null: no edits since the version shown). */
  edit: PlanEdit | null;
  loading: boolean;
  /** Loaded and the enterprise has no plan. */
  missing: boolean;
  error: string | null;
  /** Edits recovered from an earlier session that were never saved. */
  recovered: boolean;
}

export interface PlanActions {
  open: (ref: PlanData['ref']) => Promise<void>;
  /** Replaces the edited content (the screen passes the whole edited plan). */
  setEdit: (edit: PlanEdit) => void;
  /** Drops unsaved edits. */
  discard: () => void;
  /** Shows a result the API returned (after save, status, draft). */
  show: (detail: PlanDetail) => void;
}

export type PlanState = PlanData & PlanActions;

export const initialPlanData: PlanData = {
  ref: null,
  detail: null,
  edit: null,
  loading: false,
  missing: false,
  error: null,
  recovered: false,
};

function storageKey(detail: PlanDetail): string {
  return `uplift.plan-edit.${detail.plan.id}.v${detail.version}`;
}

function readStored(detail: PlanDetail): PlanEdit | null {
  try {
    const raw = globalThis.localStorage?.getItem(storageKey(detail));
    return raw ? (JSON.parse(raw) as PlanEdit) : null;
  } catch {
    return null;
  }
}

function writeStored(detail: PlanDetail, edit: PlanEdit | null): void {
  try {
    if (edit === null) globalThis.localStorage?.removeItem(storageKey(detail));
    else globalThis.localStorage?.setItem(storageKey(detail), JSON.stringify(edit));
  } catch {
    // Storage full or unavailable: the edits stay in memory.
  }
}

let latest = 0;

export const usePlanStore = create<PlanState>()((set, get) => ({
  ...initialPlanData,

  async open(ref) {
    const request = ++latest;
    set({ ...initialPlanData, ref, loading: ref !== null });
    if (ref === null) return;
    try {
      const detail = await api.call('plan.get', ref);
      if (request !== latest) return;
      if (!detail) {
        set({ loading: false, missing: true });
        return;
      }
      const stored = detail.version === detail.plan.currentVersion ? readStored(detail) : null;
      set({ detail, loading: false, edit: stored, recovered: stored !== null });
    } catch (e) {
      if (request !== latest) return;
      set({ loading: false, error: e instanceof ApiError ? e.message : String(e) });
    }
  },

  setEdit(edit) {
    const { detail } = get();
    if (!detail) return;
    writeStored(detail, edit);
    set({ edit });
  },

  discard() {
    const { detail } = get();
    if (detail) writeStored(detail, null);
    set({ edit: null, recovered: false });
  },

  show(detail) {
    const previous = get().detail;
    if (previous) writeStored(previous, null);
    set({
      detail,
      edit: null,
      recovered: false,
      missing: false,
      error: null,
      ref: { id: detail.plan.id },
    });
  },
}));

export function resetPlanStore(): void {
  latest++;
  usePlanStore.setState({ ...initialPlanData });
}
