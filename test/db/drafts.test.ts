import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { DRAFT_MAX_AGE_MS, openDraftStore, type DraftStore } from '../../db/drafts';
import { tempDir } from '../helpers/context';

const VISIT = '0190a0b0-0000-7000-8000-000000000001';
const OTHER = '0190a0b0-0000-7000-8000-000000000002';
/** When the typing happened: recent, as drafts older than half a year are dropped on open. */
const T = Date.now();

const open: DraftStore[] = [];
function store(file: string, now?: () => number): DraftStore {
  const s = openDraftStore(file, now);
  open.push(s);
  return s;
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

function draft(key: string, value: unknown, writtenAt: number, base: string | null = null) {
  return { scope: 'inspection' as const, recordId: VISIT, key, value, base, writtenAt };
}

describe('the device-local draft store', () => {
  it('keeps a typed value with its base and gives it back after the file is opened again', () => {
    const file = path.join(tempDir('uplift-drafts-'), 'drafts.db');
    store(file).write([draft('answer:p:i', { note: '窑尾布袋除尘器' }, T, 'stamp-1')], []);
    open.pop()?.close();

    expect(store(file).list('inspection', VISIT)).toEqual([
      {
        scope: 'inspection',
        recordId: VISIT,
        key: 'answer:p:i',
        value: { note: '窑尾布袋除尘器' },
        base: 'stamp-1',
        writtenAt: T,
      },
    ]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('never replaces a draft with one typed earlier', () => {
    const s = store(path.join(tempDir('uplift-drafts-'), 'drafts.db'));
    s.write([draft('k', '新的', 2000)], []);
    s.write([draft('k', '旧的', 1000)], []);

    expect(s.list('inspection', VISIT).map((d) => d.value)).toEqual(['新的']);
  });

  it('clears a draft only up to the typing a save carried, keeping what was typed after it', () => {
    const s = store(path.join(tempDir('uplift-drafts-'), 'drafts.db'));
    s.write([draft('a', '已保存', 1000), draft('b', '保存后又输入', 3000)], []);

    s.write(
      [],
      [
        { scope: 'inspection', recordId: VISIT, key: 'a', upTo: 1000 },
        { scope: 'inspection', recordId: VISIT, key: 'b', upTo: 2000 },
      ],
    );

    expect(s.list('inspection', VISIT).map((d) => d.key)).toEqual(['b']);
  });

  it('lists only the asked record and scope', () => {
    const s = store(path.join(tempDir('uplift-drafts-'), 'drafts.db'));
    s.write(
      [
        draft('a', 1, 1),
        { ...draft('a', 2, 1), recordId: OTHER },
        { ...draft('a', 3, 1), scope: 'plan' },
      ],
      [],
    );

    expect(s.list('inspection', VISIT).map((d) => d.value)).toEqual([1]);
    expect(s.list('plan', VISIT).map((d) => d.value)).toEqual([3]);
  });

  it('drops drafts nobody came back to for half a year when it opens', () => {
    const file = path.join(tempDir('uplift-drafts-'), 'drafts.db');
    const now = 10 * DRAFT_MAX_AGE_MS;
    store(file, () => now).write(
      [draft('old', '半年前', now - DRAFT_MAX_AGE_MS - 1), draft('recent', '昨天', now - 1)],
      [],
    );
    open.pop()?.close();

    expect(
      store(file, () => now)
        .list('inspection', VISIT)
        .map((d) => d.key),
    ).toEqual(['recent']);
  });

  it('keeps what was written when the process is killed right after the write', () => {
    const file = path.join(tempDir('uplift-drafts-'), 'drafts.db');
    const script = `
      import { openDraftStore } from './db/drafts.ts';
      const s = openDraftStore(${JSON.stringify(file)});
      s.write([{ scope: 'inspection', recordId: ${JSON.stringify(VISIT)}, key: 'note',
        value: '最后一秒输入的字', base: null, writtenAt: ${T} }], []);
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
      },
    );
    expect(child.signal).toBe('SIGKILL');

    expect(
      store(file)
        .list('inspection', VISIT)
        .map((d) => d.value),
    ).toEqual(['最后一秒输入的字']);
  });
});
