import { create } from 'zustand';

import type {
  AnswerSaveInput,
  InspectionAnswer,
  InspectionDetail,
  InspectionGrading,
  Reading,
} from '../../../shared/domain/inspection';
import type { FactValue } from '../../../shared/grading/types';
import { api, ApiError } from '../api';

/**
 * The visit open on the 现场检查 screen, and its autosave.
 *
 * Every answer saves as it is given: choices at once, typed values after a short pause in typing
 * (`TYPING_PAUSE_MS`), and anything still waiting is sent when the window hides or closes, so a
 * crash or a power cut loses at most the field being typed. Saves of one answer go one after the
 * other, so an older value never lands after a newer one; the live grading shown is the one the
 * most recently *started* save returned, which includes every save before it.
 */

export const TYPING_PAUSE_MS = 400;

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving'; pending: number }
  | { kind: 'saved'; at: number }
  | { kind: 'failed'; message: string };

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
};

interface Waiting {
  input: AnswerSaveInput;
  timer: ReturnType<typeof setTimeout> | null;
}

/** Saves not yet sent, by answer key (typed changes wait here for a pause). */
const waiting = new Map<string, Waiting>();
/** The chain of saves of each answer: the next waits for the previous. */
const chains = new Map<string, Promise<void>>();
let inFlight = 0;
let started = 0;
let appliedGrading = 0;
let latestOpen = 0;

function message(e: unknown): string {
  return e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e);
}

function mergeAnswer(
  answers: readonly InspectionAnswer[],
  change: AnswerChange,
): InspectionAnswer[] {
  const index = answers.findIndex(
    (a) => a.processId === change.processId && a.indicatorId === change.indicatorId,
  );
  const current: InspectionAnswer =
    index >= 0
      ? answers[index]!
      : {
          id: `local:${answerKey(change.processId, change.indicatorId)}`,
          processId: change.processId,
          indicatorId: change.indicatorId,
          fact: null,
          note: null,
          problems: [],
          readings: [],
          updatedAt: '',
        };
  const next: InspectionAnswer = {
    ...current,
    ...(change.fact !== undefined ? { fact: change.fact } : {}),
    ...(change.note !== undefined ? { note: change.note } : {}),
    ...(change.problems !== undefined ? { problems: change.problems } : {}),
    ...(change.readings !== undefined ? { readings: change.readings } : {}),
  };
  return upsertAnswer(answers, next);
}

function upsertAnswer(
  answers: readonly InspectionAnswer[],
  answer: InspectionAnswer,
): InspectionAnswer[] {
  const index = answers.findIndex(
    (a) => a.processId === answer.processId && a.indicatorId === answer.indicatorId,
  );
  return index >= 0 ? answers.map((a, i) => (i === index ? answer : a)) : [...answers, answer];
}

export const useVisitStore = create<VisitState>()((set, get) => {
  function pendingCount(): number {
    return inFlight + waiting.size;
  }

  function send(key: string): void {
    const entry = waiting.get(key);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    waiting.delete(key);
    const request = ++started;
    inFlight++;
    set({ save: { kind: 'saving', pending: pendingCount() } });
    const previous = chains.get(key) ?? Promise.resolve();
    const run = previous.then(async () => {
      try {
        const saved = await api.call('inspection.saveAnswer', entry.input);
        const { detail } = get();
        if (detail && detail.inspection.id === entry.input.inspectionId) {
          const errors = { ...get().answerErrors };
          delete errors[key];
          const grading: InspectionGrading =
            request > appliedGrading ? saved.grading : detail.grading;
          if (request > appliedGrading) appliedGrading = request;
          set({
            detail: {
              ...detail,
              grading,
              // A change withdraws every confirmation (the server did the same).
              members: saved.changed
                ? detail.members.map((m) => ({ ...m, confirmedAt: null }))
                : detail.members,
              lastAnswer: {
                processId: entry.input.processId,
                indicatorId: entry.input.indicatorId,
              },
              answers: saved.answer
                ? upsertAnswer(detail.answers, { ...saved.answer, ...pendingOverlay(key) })
                : detail.answers,
            },
            answerErrors: errors,
          });
        }
        inFlight--;
        set({
          save: pendingCount() > 0 ? { kind: 'saving', pending: pendingCount() } : savedNow(),
        });
      } catch (e) {
        inFlight--;
        const text = message(e);
        set({
          answerErrors: { ...get().answerErrors, [key]: text },
          save: { kind: 'failed', message: text },
        });
      }
    });
    chains.set(key, run);
    void run.finally(() => {
      if (chains.get(key) === run) chains.delete(key);
    });
  }

  /** A value still waiting to be sent stays on screen over what an earlier save returned. */
  function pendingOverlay(key: string): Partial<InspectionAnswer> {
    const entry = waiting.get(key);
    if (!entry) return {};
    return {
      ...(entry.input.fact !== undefined ? { fact: entry.input.fact as FactValue | null } : {}),
      ...(entry.input.note !== undefined ? { note: entry.input.note ?? null } : {}),
      ...(entry.input.problems !== undefined ? { problems: entry.input.problems } : {}),
      ...(entry.input.readings !== undefined
        ? { readings: entry.input.readings as Reading[] }
        : {}),
    };
  }

  function savedNow(): SaveState {
    return get().save.kind === 'failed' ? get().save : { kind: 'saved', at: Date.now() };
  }

  return {
    ...initialVisitData,

    async open(id) {
      const request = ++latestOpen;
      await get().flush();
      if (id === null) {
        set({ ...initialVisitData });
        return;
      }
      set({
        id,
        loading: true,
        error: null,
        detail: get().id === id ? get().detail : null,
        save: { kind: 'idle' },
        answerErrors: {},
        focus: null,
      });
      try {
        const detail = await api.call('inspection.get', { id });
        if (request !== latestOpen) return;
        set({ detail, loading: false });
      } catch (e) {
        if (request !== latestOpen) return;
        set({ loading: false, error: message(e) });
      }
    },

    async reload() {
      const id = get().id;
      if (id === null) return;
      // Waiting saves go first, so the fetched visit includes them.
      await get().flush();
      try {
        const detail = await api.call('inspection.get', { id });
        if (get().id === id) set({ detail, error: null });
      } catch (e) {
        if (get().id === id) set({ error: message(e) });
      }
    },

    change(change, typing = false) {
      const { detail } = get();
      if (!detail) return;
      const key = answerKey(change.processId, change.indicatorId);
      const previous = waiting.get(key);
      if (previous?.timer) clearTimeout(previous.timer);
      const input: AnswerSaveInput = {
        ...(previous?.input ?? {
          inspectionId: detail.inspection.id,
          processId: change.processId,
          indicatorId: change.indicatorId,
        }),
        ...(change.fact !== undefined ? { fact: change.fact } : {}),
        ...(change.note !== undefined ? { note: change.note } : {}),
        ...(change.problems !== undefined ? { problems: change.problems } : {}),
        ...(change.readings !== undefined ? { readings: change.readings } : {}),
      };
      const entry: Waiting = { input, timer: null };
      waiting.set(key, entry);
      set({
        detail: { ...detail, answers: mergeAnswer(detail.answers, change) },
        save: { kind: 'saving', pending: pendingCount() },
      });
      if (typing) entry.timer = setTimeout(() => send(key), TYPING_PAUSE_MS);
      else send(key);
    },

    async flush() {
      for (const key of [...waiting.keys()]) send(key);
      await Promise.allSettled([...chains.values()]);
    },

    async apply(action) {
      await get().flush();
      const detail = await action();
      if (get().id === detail.inspection.id) set({ detail, error: null });
      return detail;
    },

    showIndicator(processId, indicatorId) {
      set({ focus: { processId, indicatorId, at: Date.now() } });
    },
  };
});

/** Sends waiting saves when the window hides or is closed (a laptop lid, the app quitting). */
export function installAutosaveFlush(target: Window = window): () => void {
  const flush = () => void useVisitStore.getState().flush();
  const onVisibility = () => {
    if (target.document.visibilityState === 'hidden') flush();
  };
  target.addEventListener('pagehide', flush);
  target.addEventListener('beforeunload', flush);
  target.document.addEventListener('visibilitychange', onVisibility);
  return () => {
    target.removeEventListener('pagehide', flush);
    target.removeEventListener('beforeunload', flush);
    target.document.removeEventListener('visibilitychange', onVisibility);
  };
}

/** Puts the store back to its first state (tests). */
export function resetVisitStore(): void {
  for (const entry of waiting.values()) if (entry.timer) clearTimeout(entry.timer);
  waiting.clear();
  chains.clear();
  inFlight = 0;
  started = 0;
  appliedGrading = 0;
  useVisitStore.setState({ ...initialVisitData });
}
