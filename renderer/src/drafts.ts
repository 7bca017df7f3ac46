import type { Input } from '../../shared/api/contract';
import type { Draft, DraftScope } from '../../shared/drafts';

import { api } from './api';

/**
 * Unsaved typing, kept as it is typed (issue #16 "nothing typed is lost"). Each field's pending
 * value goes two ways at once:
 * - to `localStorage` at once, synchronously (a second copy the tab keeps while the app is down);
 * - to the device's `drafts.db` through `draft.write`: the first change after a quiet moment at
 *   once, then at most every `DRAFT_WRITE_MS` while typing goes on (one write in flight, the
 *   changes meanwhile coalesced per field), and at once on blur, hiding and closing the page.
 * A write that fails (the app is restarting) is retried with backoff; nothing pending is dropped.
 * Clearing names the typing a save carried (`upTo`), so a field typed again since stays kept.
 */

export const DRAFT_WRITE_MS = 100;
const RETRY_MS = { initial: 500, max: 5000 };
const MIRROR_PREFIX = 'uplift.drafts.';

interface Clear {
  scope: DraftScope;
  recordId: string;
  key: string;
  upTo: number;
}

type Pending = { put: Draft } | { clear: Clear };

function id(scope: DraftScope, recordId: string, key: string): string {
  return `${scope}\u0000${recordId}\u0000${key}`;
}

function mirrorKey(scope: DraftScope, recordId: string): string {
  return `${MIRROR_PREFIX}${scope}.${recordId}`;
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function readMirror(scope: DraftScope, recordId: string): Record<string, Draft> {
  try {
    const raw = storage()?.getItem(mirrorKey(scope, recordId));
    return raw ? (JSON.parse(raw) as Record<string, Draft>) : {};
  } catch {
    return {};
  }
}

function writeMirror(scope: DraftScope, recordId: string, drafts: Record<string, Draft>): void {
  try {
    const s = storage();
    if (!s) return;
    if (Object.keys(drafts).length === 0) s.removeItem(mirrorKey(scope, recordId));
    else s.setItem(mirrorKey(scope, recordId), JSON.stringify(drafts));
  } catch {
    // Storage full or refused: drafts.db still has it.
  }
}

export interface DraftWriter {
  /** Keeps a field's pending value; returns when it was typed (what a later clear names). */
  put(
    scope: DraftScope,
    recordId: string,
    key: string,
    value: unknown,
    base: string | null,
  ): number;
  /** Forgets a field's draft typed at or before `upTo` (a save carried it). */
  clear(scope: DraftScope, recordId: string, key: string, upTo: number): void;
  /** Sends what is pending now; resolves once it is written (or failed and was kept). */
  flush(): Promise<void>;
  /** A record's drafts: the device's and this tab's copies, the newer of each field. */
  list(scope: DraftScope, recordId: string): Promise<Draft[]>;
  /** Fields not yet written to the device (tests, the save indicator). */
  pendingCount(): number;
  /** Forgets what is pending in this tab (tests). */
  reset(): void;
}

export function createDraftWriter(
  write: (put: Draft[], clear: Clear[]) => Promise<unknown> = (put, clear) =>
    // Values are what the stores built from typed fields: JSON by construction.
    api.call('draft.write', { put: put as Input<'draft.write'>['put'], clear }),
  read: (scope: DraftScope, recordId: string) => Promise<Draft[]> = (scope, recordId) =>
    api.call('draft.list', { scope, recordId }),
  now: () => number = () => Date.now(),
): DraftWriter {
  const pending = new Map<string, Pending>();
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  let lastStart = 0;
  let retry = RETRY_MS.initial;

  function stamp(): number {
    last = Math.max(now(), last + 1);
    return last;
  }

  function schedule(delay: number): void {
    if (timer !== null || running) return;
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, delay);
  }

  async function run(): Promise<void> {
    if (running) return running;
    if (pending.size === 0) return;
    const batch = [...pending.entries()];
    pending.clear();
    lastStart = now();
    running = (async () => {
      try {
        await write(
          batch.flatMap(([, p]) => ('put' in p ? [p.put] : [])),
          batch.flatMap(([, p]) => ('clear' in p ? [p.clear] : [])),
        );
        retry = RETRY_MS.initial;
      } catch {
        // Put back what nothing newer replaced meanwhile, and try again later.
        for (const [k, p] of batch) if (!pending.has(k)) pending.set(k, p);
        running = null;
        const wait = retry;
        retry = Math.min(retry * 2, RETRY_MS.max);
        schedule(wait);
        return;
      }
      running = null;
      if (pending.size > 0) schedule(Math.max(0, DRAFT_WRITE_MS - (now() - lastStart)));
    })();
    return running;
  }

  return {
    put(scope, recordId, key, value, base) {
      const writtenAt = stamp();
      const draft: Draft = { scope, recordId, key, value, base, writtenAt };
      const mirror = readMirror(scope, recordId);
      mirror[key] = draft;
      writeMirror(scope, recordId, mirror);
      pending.set(id(scope, recordId, key), { put: draft });
      // The first change after a quiet moment goes at once; then at most every DRAFT_WRITE_MS.
      schedule(Math.max(0, DRAFT_WRITE_MS - (now() - lastStart)));
      return writtenAt;
    },

    clear(scope, recordId, key, upTo) {
      const mirror = readMirror(scope, recordId);
      const kept = mirror[key];
      if (kept && kept.writtenAt <= upTo) {
        delete mirror[key];
        writeMirror(scope, recordId, mirror);
      }
      const k = id(scope, recordId, key);
      const waiting = pending.get(k);
      // A put typed after what the save carried stays; an older one is replaced by the clear.
      if (waiting && 'put' in waiting && waiting.put.writtenAt > upTo) return;
      pending.set(k, { clear: { scope, recordId, key, upTo } });
      schedule(Math.max(0, DRAFT_WRITE_MS - (now() - lastStart)));
    },

    async flush() {
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      if (running) await running;
      await run();
    },

    async list(scope, recordId) {
      const byKey = new Map<string, Draft>();
      try {
        for (const d of await read(scope, recordId)) byKey.set(d.key, d);
      } catch {
        // The device cannot be asked now: this tab's copy is all there is.
      }
      for (const d of Object.values(readMirror(scope, recordId))) {
        const other = byKey.get(d.key);
        if (!other || d.writtenAt > other.writtenAt) byKey.set(d.key, d);
      }
      // What is still waiting to be written is the newest of all.
      for (const p of pending.values()) {
        if ('put' in p && p.put.scope === scope && p.put.recordId === recordId) {
          byKey.set(p.put.key, p.put);
        } else if ('clear' in p && p.clear.scope === scope && p.clear.recordId === recordId) {
          const kept = byKey.get(p.clear.key);
          if (kept && kept.writtenAt <= p.clear.upTo) byKey.delete(p.clear.key);
        }
      }
      return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
    },

    pendingCount() {
      return pending.size;
    },

    reset() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      pending.clear();
      running = null;
      lastStart = 0;
      retry = RETRY_MS.initial;
    },
  };
}

/** The writer the stores use. */
export const drafts: DraftWriter = createDraftWriter();

/** Writes pending drafts when the page loses focus, hides or closes. */
export function installDraftFlush(target: Window = window): () => void {
  const flush = () => void drafts.flush();
  const onVisibility = () => {
    if (target.document.visibilityState === 'hidden') flush();
  };
  target.addEventListener('pagehide', flush);
  target.addEventListener('blur', flush);
  target.addEventListener('focusout', flush);
  target.document.addEventListener('visibilitychange', onVisibility);
  return () => {
    target.removeEventListener('pagehide', flush);
    target.removeEventListener('blur', flush);
    target.removeEventListener('focusout', flush);
    target.document.removeEventListener('visibilitychange', onVisibility);
  };
}
