import fs from 'node:fs';

import Database from 'better-sqlite3';

import type { Draft, DraftScope } from '../shared/drafts';

import { PRIVATE_FILE } from './client';

/**
 * Typing that is not saved yet, kept on this device as it is typed (issue #16 "nothing typed is
 * lost"). It lives in a file of its own beside the database (`drafts.db`): device-local by
 * construction (never synced, never in a snapshot or a USB bundle), and its schema needs no
 * migration of the synced database. Each draft is one field's pending value of one record:
 * (scope, recordId, key) → value, with the saved stamp it was typed over (`base`) and when it
 * was typed (`writtenAt`, the renderer's clock). A newer draft is never replaced by an older one,
 * and clearing names the draft it clears (`upTo`): typing that landed after it stays.
 *
 * Every write is a transaction with synchronous=FULL, so what was written survives a killed
 * process and a power cut.
 */

export const DRAFTS_FILE = 'drafts.db';

export type { Draft, DraftScope };

export interface DraftClear {
  scope: DraftScope;
  recordId: string;
  key: string;
  /** Clears the draft only if it was typed at or before this time (what the save carried). */
  upTo: number;
}

export interface DraftStore {
  readonly file: string;
  /** Keeps the given drafts and clears the named ones, in one transaction, in that order. */
  write(put: readonly Draft[], clear: readonly DraftClear[]): void;
  /** A record's drafts, oldest key first. */
  list(scope: DraftScope, recordId: string): Draft[];
  close(): void;
}

/** Drafts nobody came back to for this long are dropped when the store opens. */
export const DRAFT_MAX_AGE_MS = 180 * 24 * 60 * 60 * 1000;

interface Row {
  scope: DraftScope;
  record_id: string;
  key: string;
  value: string;
  base: string | null;
  written_at: number;
}

export function openDraftStore(file: string, now: () => number = Date.now): DraftStore {
  if (file !== ':memory:') {
    fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE));
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      try {
        if ((fs.statSync(f).mode & 0o077) !== 0) fs.chmodSync(f, PRIVATE_FILE);
      } catch {
        // Absent: nothing to tighten.
      }
    }
  }
  const sqlite = new Database(file);
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.exec(`
      CREATE TABLE IF NOT EXISTS typed_drafts (
        scope TEXT NOT NULL CHECK (scope IN ('inspection', 'plan')),
        record_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        base TEXT,
        written_at INTEGER NOT NULL,
        PRIMARY KEY (scope, record_id, key)
      ) WITHOUT ROWID;
    `);
    sqlite.prepare('DELETE FROM typed_drafts WHERE written_at < ?').run(now() - DRAFT_MAX_AGE_MS);
  } catch (e) {
    sqlite.close();
    throw e;
  }

  const upsert = sqlite.prepare(`
    INSERT INTO typed_drafts (scope, record_id, key, value, base, written_at)
    VALUES (@scope, @recordId, @key, @value, @base, @writtenAt)
    ON CONFLICT (scope, record_id, key) DO UPDATE SET
      value = excluded.value, base = excluded.base, written_at = excluded.written_at
    WHERE excluded.written_at >= typed_drafts.written_at
  `);
  const remove = sqlite.prepare(
    'DELETE FROM typed_drafts WHERE scope = ? AND record_id = ? AND key = ? AND written_at <= ?',
  );
  const select = sqlite.prepare(
    'SELECT * FROM typed_drafts WHERE scope = ? AND record_id = ? ORDER BY key',
  );
  const write = sqlite.transaction((put: readonly Draft[], clear: readonly DraftClear[]) => {
    for (const d of put) {
      upsert.run({
        scope: d.scope,
        recordId: d.recordId,
        key: d.key,
        value: JSON.stringify(d.value ?? null),
        base: d.base,
        writtenAt: d.writtenAt,
      });
    }
    for (const c of clear) remove.run(c.scope, c.recordId, c.key, c.upTo);
  });

  return {
    file,
    write(put, clear) {
      if (put.length === 0 && clear.length === 0) return;
      write(put, clear);
    },
    list(scope, recordId) {
      return (select.all(scope, recordId) as Row[]).map((r) => ({
        scope: r.scope,
        recordId: r.record_id,
        key: r.key,
        value: JSON.parse(r.value) as unknown,
        base: r.base,
        writtenAt: r.written_at,
      }));
    },
    close() {
      if (sqlite.open) sqlite.close();
    },
  };
}
