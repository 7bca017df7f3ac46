import { create } from 'zustand';

import type {
  AnswerSaveInput,
  InspectionAnswer,
  InspectionGrading,
  Reading,
} from '../../../shared/domain/inspection';
import type { FactValue } from '../../../shared/grading/types';
import { api, ApiError, UNREACHABLE_MESSAGE } from '../api';
import { drafts } from '../drafts';

import { errorText } from '../errors';

import {
  ANSWER_FIELDS,
  draftKeyOf,
  draftText,
  emptyOf,
  inspectionOf,
  mergeAnswer,
  ownDeviceId,
  unconfirmedKey,
  upsertAnswer,
  type AnswerField,
  type Waiting,
} from './visit-answers';
import {
  answerDraftKey,
  answerKey,
  draftApplies,
  initialVisitData,
  NOTE_KEY,
  parseAnswerDraftKey,
  RETRY_SAVE_MS,
  TYPING_PAUSE_MS,
  type AnswerChange,
  type SaveState,
  type VisitState,
} from './visit-data';

export * from './visit-data';

/**
 * The visit open on the 现场检查 screen, and its autosave.
 *
 * Every answer (and the visit's 备注) saves as it is given: choices at once, typed values after a
 * short pause in typing (`TYPING_PAUSE_MS`), and anything still waiting is sent when the window
 * hides or closes. Saves of one answer go one after the other, so an older value never lands
 * after a newer one; the live grading shown is the one the most recently *started* save
 * returned, which includes every save before it.
 *
 * Each change is also kept as a draft on the device at once (`../drafts`), until the save that
 * carried it lands: a killed app or a power cut loses nothing typed. Opening a visit applies the
 * drafts newer than what is saved and saves them the normal way (`restore`); a draft typed over a
 * value that another device has since changed (brought by sync) is not applied but shown.
 * A save that cannot reach the app (it is restarting) is tried again; one it refuses stays shown.
 */

/** Saves not yet sent, by answer key or NOTE_KEY (typed changes wait here for a pause). */
const waiting = new Map<string, Waiting>();
/** Per visit and key, the draft typed and not yet carried by a save that landed. */
const unconfirmed = new Map<string, { value: unknown; writtenAt: number }>();
/** Keys whose last save was refused (shown until a save of that key lands). */
const refused = new Map<string, string>();
/** Why waiting saves could not be sent (the app could not be reached), until one lands. */
let unreachable: string | null = null;
/** The chain of saves of each answer: the next waits for the previous. */
const chains = new Map<string, Promise<void>>();
let inFlight = 0;
let started = 0;
let appliedGrading = 0;
let latestOpen = 0;

export const useVisitStore = create<VisitState>()((set, get) => {
  function pendingCount(): number {
    return inFlight + waiting.size;
  }

  /** The save indicator, from what is waiting, in flight, refused or unreachable. */
  function saveState(): SaveState {
    const lastRefused = [...refused.values()].at(-1);
    if (lastRefused !== undefined) return { kind: 'failed', message: lastRefused };
    if (inFlight > 0) return { kind: 'saving', pending: pendingCount() };
    if (waiting.size > 0) {
      return {
        kind: 'unsaved',
        pending: waiting.size,
        ...(unreachable ? { reason: unreachable } : {}),
      };
    }
    return get().save.kind === 'idle' && started === 0
      ? { kind: 'idle' }
      : { kind: 'saved', at: Date.now() };
  }

  /** Keeps a change as a draft on the device at once; returns when it was typed. */
  function keepDraft(
    inspectionId: string,
    key: string,
    draftKey: string,
    fields: unknown,
    base: string | null,
  ): number {
    const uk = unconfirmedKey(inspectionId, key);
    const previous = unconfirmed.get(uk)?.value;
    const value =
      typeof fields === 'object' && fields !== null && !Array.isArray(fields)
        ? { ...(previous as Record<string, unknown> | undefined), ...fields }
        : fields;
    const writtenAt = drafts.put('inspection', inspectionId, draftKey, value, base || null);
    unconfirmed.set(uk, { value, writtenAt });
    return writtenAt;
  }

  /** A save carried the draft typed at `writtenAt`: forget it (and nothing typed after it). */
  function confirmDraft(key: string, entry: Waiting): void {
    const inspectionId = inspectionOf(entry);
    const uk = unconfirmedKey(inspectionId, key);
    const kept = unconfirmed.get(uk);
    if (kept && kept.writtenAt <= entry.writtenAt) unconfirmed.delete(uk);
    drafts.clear('inspection', inspectionId, draftKeyOf(entry), entry.writtenAt);
  }

  /** Puts a save that could not reach the app back in line (under anything typed since). */
  function retryLater(key: string, entry: Waiting): void {
    const newer = waiting.get(key);
    let merged: Waiting = entry;
    if (newer && newer.kind === 'answer' && entry.kind === 'answer') {
      if (newer.timer) clearTimeout(newer.timer);
      merged = { ...newer, input: { ...entry.input, ...newer.input } };
    } else if (newer) {
      if (newer.timer) clearTimeout(newer.timer);
      merged = newer;
    }
    merged.timer = setTimeout(() => send(key), RETRY_SAVE_MS);
    waiting.set(key, merged);
  }

  function send(key: string): void {
    const entry = waiting.get(key);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    waiting.delete(key);
    const request = ++started;
    inFlight++;
    set({ save: saveState() });
    const previous = chains.get(key) ?? Promise.resolve();
    const run = previous.then(async () => {
      if (entry.kind === 'note') {
        try {
          const saved = await api.call('inspection.update', {
            id: entry.inspectionId,
            note: entry.note,
          });
          const { detail } = get();
          if (detail && detail.inspection.id === entry.inspectionId) {
            set({
              detail: {
                ...detail,
                inspection: {
                  ...saved.inspection,
                  note:
                    waiting.get(key)?.kind === 'note'
                      ? detail.inspection.note
                      : saved.inspection.note,
                },
                members: saved.members,
              },
            });
          }
          landed(key, entry);
        } catch (e) {
          inFlight--;
          failed(key, entry, e);
        }
        return;
      }
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
        landed(key, entry);
      } catch (e) {
        inFlight--;
        failed(key, entry, e);
      }
    });
    chains.set(key, run);
    void run.finally(() => {
      if (chains.get(key) === run) chains.delete(key);
    });
  }

  /** A save the service accepted: the device can be reached, and the field's draft is done. */
  function landed(key: string, entry: Waiting): void {
    inFlight--;
    unreachable = null;
    refused.delete(key);
    confirmDraft(key, entry);
    set({ save: saveState() });
  }

  /**
   * A save failed. The app could not be reached (restarting): kept and tried again. Refused (a
   * value it does not accept): shown under the answer; the draft stays on the device either way.
   */
  function failed(key: string, entry: Waiting, e: unknown): void {
    const text = errorText(e);
    if (e instanceof ApiError && e.code === 'internal' && text === UNREACHABLE_MESSAGE) {
      unreachable = text;
      retryLater(key, entry);
      set({ save: saveState() });
      return;
    }
    refused.set(key, text);
    set({
      answerErrors:
        entry.kind === 'answer' ? { ...get().answerErrors, [key]: text } : get().answerErrors,
      save: saveState(),
    });
  }

  /**
   * Applies the device's drafts of the visit just opened: those newer than what is saved are
   * shown and saved the normal way; those typed over a value changed elsewhere are listed.
   */
  async function restore(id: string, request: number): Promise<void> {
    const kept = await drafts.list('inspection', id);
    if (kept.length === 0 || request !== latestOpen) return;
    const deviceId = await ownDeviceId();
    const detail = get().detail;
    if (request !== latestOpen || !detail || detail.inspection.id !== id) return;
    const editable = detail.inspection.status === 'draft';
    let restored = 0;
    const skipped: string[] = [];
    for (const d of kept) {
      const forget = () => drafts.clear('inspection', id, d.key, d.writtenAt);
      if (d.key === NOTE_KEY) {
        const note = typeof d.value === 'string' ? d.value : '';
        if (note === (detail.inspection.note ?? '')) {
          forget();
        } else if (!editable || !draftApplies(detail.inspection.updatedAt, d.base, deviceId)) {
          if (note.trim() !== '') skipped.push(note);
          forget();
        } else {
          restored++;
          get().typeNote(note, false);
        }
        continue;
      }
      const ids = parseAnswerDraftKey(d.key);
      if (!ids || !detail.processes.some((p) => p.processId === ids.processId)) {
        forget();
        continue;
      }
      const saved = detail.answers.find(
        (a) => a.processId === ids.processId && a.indicatorId === ids.indicatorId,
      );
      const value = (typeof d.value === 'object' && d.value !== null ? d.value : {}) as Record<
        string,
        unknown
      >;
      const differing: Partial<Record<AnswerField, unknown>> = {};
      for (const field of ANSWER_FIELDS) {
        if (!(field in value)) continue;
        const now = saved ? saved[field] : emptyOf(field);
        if (
          JSON.stringify(value[field] ?? emptyOf(field)) !== JSON.stringify(now ?? emptyOf(field))
        ) {
          differing[field] = value[field] ?? emptyOf(field);
        }
      }
      const count = Object.keys(differing).length;
      if (count === 0) {
        forget();
      } else if (!editable || !draftApplies(saved?.updatedAt || null, d.base, deviceId)) {
        const shown = draftText(differing);
        if (shown !== '') skipped.push(shown);
        forget();
      } else {
        restored += count;
        get().change({ ...ids, ...(differing as Partial<AnswerChange>) }, false);
      }
    }
    if (restored > 0 || skipped.length > 0) set({ restore: { restored, skipped } });
  }

  /** A value still waiting to be sent stays on screen over what an earlier save returned. */
  function pendingOverlay(key: string): Partial<InspectionAnswer> {
    const entry = waiting.get(key);
    if (!entry || entry.kind !== 'answer') return {};
    return {
      ...(entry.input.fact !== undefined ? { fact: entry.input.fact as FactValue | null } : {}),
      ...(entry.input.note !== undefined ? { note: entry.input.note ?? null } : {}),
      ...(entry.input.problems !== undefined ? { problems: entry.input.problems } : {}),
      ...(entry.input.readings !== undefined
        ? { readings: entry.input.readings as Reading[] }
        : {}),
    };
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
        restore: null,
      });
      try {
        const detail = await api.call('inspection.get', { id });
        if (request !== latestOpen) return;
        set({ detail, loading: false });
        await restore(id, request);
      } catch (e) {
        if (request !== latestOpen) return;
        set({ loading: false, error: errorText(e) });
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
        if (get().id === id) set({ error: errorText(e) });
      }
    },

    change(change, typing = false) {
      const { detail } = get();
      if (!detail) return;
      const key = answerKey(change.processId, change.indicatorId);
      const previous = waiting.get(key);
      if (previous?.timer) clearTimeout(previous.timer);
      const fields = {
        ...(change.fact !== undefined ? { fact: change.fact } : {}),
        ...(change.note !== undefined ? { note: change.note } : {}),
        ...(change.problems !== undefined ? { problems: change.problems } : {}),
        ...(change.readings !== undefined ? { readings: change.readings } : {}),
      };
      const input: AnswerSaveInput = {
        ...(previous?.kind === 'answer'
          ? previous.input
          : {
              inspectionId: detail.inspection.id,
              processId: change.processId,
              indicatorId: change.indicatorId,
            }),
        ...fields,
      };
      const saved = detail.answers.find(
        (a) => a.processId === change.processId && a.indicatorId === change.indicatorId,
      );
      const writtenAt = keepDraft(
        detail.inspection.id,
        key,
        answerDraftKey(change.processId, change.indicatorId),
        fields,
        saved?.updatedAt || null,
      );
      const entry: Waiting = { kind: 'answer', input, timer: null, writtenAt };
      waiting.set(key, entry);
      set({
        detail: { ...detail, answers: mergeAnswer(detail.answers, change) },
        save: saveState(),
      });
      if (typing) entry.timer = setTimeout(() => send(key), TYPING_PAUSE_MS);
      else send(key);
    },

    typeNote(note, typing = true) {
      const { detail } = get();
      if (!detail) return;
      const previous = waiting.get(NOTE_KEY);
      if (previous?.timer) clearTimeout(previous.timer);
      const writtenAt = keepDraft(
        detail.inspection.id,
        NOTE_KEY,
        NOTE_KEY,
        note,
        detail.inspection.updatedAt || null,
      );
      const entry: Waiting = {
        kind: 'note',
        inspectionId: detail.inspection.id,
        note,
        timer: null,
        writtenAt,
      };
      waiting.set(NOTE_KEY, entry);
      set({
        detail: {
          ...detail,
          inspection: { ...detail.inspection, note: note === '' ? null : note },
        },
        save: saveState(),
      });
      if (typing) entry.timer = setTimeout(() => send(NOTE_KEY), TYPING_PAUSE_MS);
      else send(NOTE_KEY);
    },

    dismissRestore() {
      set({ restore: null });
    },

    async flush() {
      for (const key of [...waiting.keys()]) send(key);
      await Promise.allSettled([...chains.values(), drafts.flush()]);
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
  const flush = () => {
    void drafts.flush();
    void useVisitStore.getState().flush();
  };
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
  unconfirmed.clear();
  refused.clear();
  unreachable = null;
  drafts.reset();
  inFlight = 0;
  started = 0;
  appliedGrading = 0;
  useVisitStore.setState({ ...initialVisitData });
}
