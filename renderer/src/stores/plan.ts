import { create } from 'zustand';

import type { PlanDetail, PlanEdit } from '../../../shared/plan/api';
import { api } from '../api';
import { drafts } from '../drafts';
import { errorText } from '../errors';

/**
 * The plan open on the 提升方案 screen and the expert's edits to it. A plan is saved as versions
 * (plan.save), so edits are kept here until 保存; on every change they are also kept as a draft
 * on the device (`../drafts`: drafts.db and localStorage), so a killed app, a power cut or a
 * closed window loses nothing typed: reopening the plan brings them back while its current
 * version is still the one they were typed over (a newer version, saved here or synced from
 * elsewhere, is never overwritten by them).
 */

/** The draft key of a plan's edit; its base is the version it was typed over. */
const EDIT_KEY = 'edit';

/** How many leaves (texts, numbers…) two values differ in: what a person typed in N places. */
export function changedPlaces(a: unknown, b: unknown): number {
  if (Array.isArray(a) || Array.isArray(b)) {
    const x = Array.isArray(a) ? a : [];
    const y = Array.isArray(b) ? b : [];
    let n = 0;
    for (let i = 0; i < Math.max(x.length, y.length); i++) n += changedPlaces(x[i], y[i]);
    return n;
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    let n = 0;
    for (const k of keys) {
      n += changedPlaces((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
    }
    return n;
  }
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null) ? 0 : 1;
}

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
  /** Places recovered from an earlier session's unsaved edits (0: none). */
  recovered: number;
  /** Unsaved edits typed over a version that has since been replaced (not applied). */
  superseded: boolean;
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
  recovered: 0,
  superseded: false,
};

/** When the plan's edit was last kept as a draft (what clearing it names). */
let lastWritten = 0;

function forgetDraft(detail: PlanDetail): void {
  drafts.clear('plan', detail.plan.id, EDIT_KEY, Math.max(lastWritten, Date.now()));
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
      let edit: PlanEdit | null = null;
      let recovered = 0;
      let superseded = false;
      if (detail.version === detail.plan.currentVersion) {
        const kept = (await drafts.list('plan', detail.plan.id)).find((d) => d.key === EDIT_KEY);
        if (request !== latest) return;
        if (kept && kept.base === String(detail.plan.currentVersion)) {
          recovered = changedPlaces(kept.value, detail.content);
          if (recovered > 0) {
            edit = kept.value as PlanEdit;
            lastWritten = kept.writtenAt;
          } else drafts.clear('plan', detail.plan.id, EDIT_KEY, kept.writtenAt);
        } else if (kept) {
          superseded = changedPlaces(kept.value, detail.content) > 0;
          drafts.clear('plan', detail.plan.id, EDIT_KEY, kept.writtenAt);
        }
      }
      set({ detail, loading: false, edit, recovered, superseded });
    } catch (e) {
      if (request !== latest) return;
      set({ loading: false, error: errorText(e) });
    }
  },

  setEdit(edit) {
    const { detail } = get();
    if (!detail) return;
    lastWritten = drafts.put(
      'plan',
      detail.plan.id,
      EDIT_KEY,
      edit,
      String(detail.plan.currentVersion),
    );
    set({ edit });
  },

  discard() {
    const { detail } = get();
    if (detail) forgetDraft(detail);
    set({ edit: null, recovered: 0, superseded: false });
  },

  show(detail) {
    const previous = get().detail;
    if (previous) forgetDraft(previous);
    set({
      detail,
      edit: null,
      recovered: 0,
      superseded: false,
      missing: false,
      error: null,
      ref: { id: detail.plan.id },
    });
  },
}));
