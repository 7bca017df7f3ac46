import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { Draft } from '../../shared/drafts';
import { createDraftWriter, DRAFT_WRITE_MS } from '../../renderer/src/drafts';

const VISIT = '00000000-0000-4000-8000-000000000001';

describe('the draft writer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    localStorage.clear();
  });
  afterEach(() => vi.useRealTimers());

  it('sends the first keystroke at once and coalesces the ones typed meanwhile', async () => {
    const batches: Draft[][] = [];
    const writer = createDraftWriter(
      (put) => {
        batches.push(put);
        return new Promise((resolve) => setTimeout(resolve, 30));
      },
      () => Promise.resolve([]),
    );
    // A keystroke every 10 ms.
    for (const text of ['厂', '厂区', '厂区东', '厂区东侧']) {
      writer.put('inspection', VISIT, 'info:note', text, null);
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(batches.map((b) => b.map((d) => d.value))).toEqual([['厂']]);

    await vi.advanceTimersByTimeAsync(DRAFT_WRITE_MS);

    expect(batches.map((b) => b.map((d) => d.value))).toEqual([['厂'], ['厂区东侧']]);
  });

  it('keeps a draft the app could not take and writes it once the app is back', async () => {
    let up = false;
    const written: unknown[] = [];
    const writer = createDraftWriter(
      (put) => {
        if (!up) return Promise.reject(new Error('down'));
        written.push(...put.map((d) => d.value));
        return Promise.resolve();
      },
      () => Promise.resolve([]),
    );
    writer.put('inspection', VISIT, 'info:note', '料场未封闭', null);
    await vi.advanceTimersByTimeAsync(0);
    expect(writer.pendingCount()).toBe(1);

    up = true;
    await vi.advanceTimersByTimeAsync(5000);

    expect(written).toEqual(['料场未封闭']);
    expect(writer.pendingCount()).toBe(0);
  });

  it("lists the tab's own copy when the app cannot be asked, newest of each field", async () => {
    const writer = createDraftWriter(
      () => Promise.reject(new Error('down')),
      () => Promise.reject(new Error('down')),
    );
    writer.put('plan', VISIT, 'edit', { notes: '旧' }, '1');
    writer.put('plan', VISIT, 'edit', { notes: '新' }, '1');
    writer.reset();

    const listed = await writer.list('plan', VISIT);

    expect(listed.map((d) => d.value)).toEqual([{ notes: '新' }]);
  });
});
