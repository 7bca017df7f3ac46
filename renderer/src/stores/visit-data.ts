/**
 * What the visit store holds and can do (its state and action types, initialVisitData), the
 * autosave timings, and the keys of a visit's answers and their drafts on the device.
 */

import type { InspectionDetail, Reading } from '../../../shared/domain/inspection';
import type { FactValue } from '../../../shared/grading/types';
import { isHlc, parseHlc } from '../../../shared/sync/hlc';

export const TYPING_PAUSE_MS = 400;
/** How soon a save that could not reach the app is tried again. */
export const RETRY_SAVE_MS = 2000;

export type SaveState =
  | { kind: 'idle' }
  /** Changes wait to be sent (typing, or the app cannot be reached: `reason`). */
  | { kind: 'unsaved'; pending: number; reason?: string }
  | { kind: 'saving'; pending: number }
  | { kind: 'saved'; at: number }
  | { kind: 'failed'; message: string };

/** What opening the visit brought back from the device's drafts. */
export interface RestoreNotice {
  /** Fields restored and saved again. */
  restored: number;
  /** Typed text not applied because the saved value changed elsewhere since (shown to copy). */
  skipped: string[];
}

/** The draft key of the visit's 备注 (an answer key never looks like this: it holds a NUL). */
export const NOTE_KEY = 'info:note';

/** The draft key of an answer (processId, indicatorId). */
export function answerDraftKey(processId: string, indicatorId: string): string {
  return `answer:${JSON.stringify([processId, indicatorId])}`;
}

export function parseAnswerDraftKey(
  key: string,
): { processId: string; indicatorId: string } | null {
  if (!key.startsWith('answer:')) return null;
  try {
    const ids = JSON.parse(key.slice('answer:'.length)) as unknown;
    if (Array.isArray(ids) && ids.length === 2 && ids.every((x) => typeof x === 'string')) {
      return { processId: ids[0] as string, indicatorId: ids[1] as string };
    }
  } catch {
    // Not ours.
  }
  return null;
}

/**
 * Whether a draft typed over `base` may be applied over the value saved now (`saved`): nothing
 * saved, nothing saved since the draft's base, or saved by this device (its own earlier save of
 * this typing). A value another device wrote since (sync) wins.
 */
export function draftApplies(
  saved: string | null,
  base: string | null,
  deviceId: string | null,
): boolean {
  if (!saved) return true;
  if (base && saved <= base) return true;
  return deviceId !== null && isHlc(saved) && parseHlc(saved).node === deviceId;
}

/** A key per answer: the visited process (enterprise_processes id) and the indicator. */
export function answerKey(processId: string, indicatorId: string): string {
  return `${processId}\u0000${indicatorId}`;
}

export interface VisitData {
  id: string | null;
  detail: InspectionDetail | null;
  loading: boolean;
  error: string | null;
  save: SaveState;
  /** Per answer, the message of the last refused save (the value stays on screen to correct). */
  answerErrors: Record<string, string>;
  /** The indicator a gap link asked to show; the checklist scrolls to it and highlights it. */
  focus: { processId: string; indicatorId: string; at: number } | null;
  /** Typing restored from the device's drafts when the visit opened (null: none). */
  restore: RestoreNotice | null;
}

export interface AnswerChange {
  processId: string;
  indicatorId: string;
  fact?: FactValue | null;
  note?: string | null;
  /** 存在问题 (the 通用帮扶检查表's problems), replacing the list. */
  problems?: string[];
  /** 实测读数, replacing the list. */
  readings?: Reading[];
}

export interface VisitActions {
  /** Opens a visit (fetching it afresh); null closes it. */
  open: (id: string | null) => Promise<void>;
  /** Fetches the open visit again (after a member, evidence or status change elsewhere). */
  reload: () => Promise<void>;
  /**
   * Records an answer change. `typing` waits for a pause before saving; otherwise it saves now.
   * The answer shown changes at once (optimistically).
   */
  change: (change: AnswerChange, typing?: boolean) => void;
  /** Records the visit's 备注 as typed (saved after a pause, like an answer). */
  typeNote: (note: string, typing?: boolean) => void;
  dismissRestore: () => void;
  /** Sends every waiting save now and resolves when all saves are done. */
  flush: () => Promise<void>;
  /** Runs an action that returns the visit (members, confirm, finalize…) and shows its result. */
  apply: (action: () => Promise<InspectionDetail>) => Promise<InspectionDetail>;
  showIndicator: (processId: string, indicatorId: string) => void;
}

export type VisitState = VisitData & VisitActions;

export const initialVisitData: VisitData = {
  id: null,
  detail: null,
  loading: false,
  error: null,
  save: { kind: 'idle' },
  answerErrors: {},
  focus: null,
  restore: null,
};
