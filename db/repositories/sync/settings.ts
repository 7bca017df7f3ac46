/**
 * Settings and cursors: the keys of sync_state this module keeps (server, token, account, cursor,
 * what was pushed, the run state), the claim of a sync run, and the WAL checkpoint setting of a
 * bulk pull.
 */

import type Database from 'better-sqlite3';

import { prepare } from '../../prepared';
import type { Db } from '../../client';

import { rowsOf, text } from './rows';

/**
 * The keys this module keeps in sync_state. When adding one: name it `sync.<name>`, add it to
 * SyncSettings and to readSyncSettings below.
 */
const KEYS = {
  server: 'sync.server',
  token: 'sync.token',
  user: 'sync.user',
  cursor: 'sync.cursor',
  /** The highest seq of this device the server has processed (accepted or parked). */
  pushedSeq: 'sync.pushedSeq',
  /** The newest clock among the ops up to pushedSeq: local values stamped later are unsent. */
  pushedHlc: 'sync.pushedHlc',
  lastSuccessAt: 'sync.lastSuccessAt',
  lastAttemptAt: 'sync.lastAttemptAt',
  state: 'sync.state',
  stateAt: 'sync.stateAt',
  lastError: 'sync.lastError',
} as const;

export type SyncRunState = 'idle' | 'syncing' | 'offline' | 'error';

export interface SyncUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  scope: string;
}

export interface SyncSettings {
  server: string | null;
  /**
   * The bearer token as stored: sealed (`os:v1:…`) or plain. Never send it as is: the sync
   * service opens it with the context's SecretBox (electron/services/secrets.ts).
   */
  token: string | null;
  user: SyncUser | null;
  cursor: string | null;
  pushedSeq: number;
  pushedHlc: string | null;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  state: SyncRunState;
  /** When state was last written (a heartbeat while syncing). */
  stateAt: number | null;
  lastError: string | null;
}

function readKeys(sqlite: Database.Database): Map<string, string> {
  const rows = rowsOf(
    prepare(sqlite, "SELECT key, value FROM sync_state WHERE key LIKE 'sync.%'").all(),
    (r) => ({ key: text(r, 'key'), value: text(r, 'value') }),
  );
  return new Map(rows.map((r) => [r.key, r.value]));
}

function num(v: string | undefined): number | null {
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function readSyncSettings(db: Db): SyncSettings {
  const m = readKeys(db.sqlite);
  const state = m.get(KEYS.state);
  let user: SyncUser | null = null;
  const userJson = m.get(KEYS.user);
  if (userJson) {
    try {
      user = JSON.parse(userJson) as SyncUser;
    } catch {
      user = null;
    }
  }
  return {
    server: m.get(KEYS.server) || null,
    token: m.get(KEYS.token) || null,
    user,
    cursor: m.get(KEYS.cursor) || null,
    pushedSeq: num(m.get(KEYS.pushedSeq)) ?? 0,
    pushedHlc: m.get(KEYS.pushedHlc) || null,
    lastSuccessAt: num(m.get(KEYS.lastSuccessAt)),
    lastAttemptAt: num(m.get(KEYS.lastAttemptAt)),
    state:
      state === 'syncing' || state === 'offline' || state === 'error' || state === 'idle'
        ? state
        : 'idle',
    stateAt: num(m.get(KEYS.stateAt)),
    lastError: m.get(KEYS.lastError) || null,
  };
}

type SettingsPatch = {
  [K in keyof SyncSettings]?: SyncSettings[K];
};

function encode(key: keyof SyncSettings, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (key === 'user' || typeof value === 'object') return JSON.stringify(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Writes some settings (null removes one); runs in the caller's transaction if there is one. */
export function writeSyncSettings(db: Db, patch: SettingsPatch): void {
  const set = prepare(
    db.sqlite,
    'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const del = prepare(db.sqlite, 'DELETE FROM sync_state WHERE key = ?');
  const run = () => {
    for (const [k, v] of Object.entries(patch) as [keyof SyncSettings, unknown][]) {
      const key = KEYS[k];
      const value = encode(k, v);
      if (value === null) del.run(key);
      else set.run(key, value);
    }
  };
  if (db.sqlite.inTransaction) run();
  else db.sqlite.transaction(run).immediate();
}

/**
 * Marks a sync run as started, unless another one (this process or another on the same data
 * folder) is running and alive: its heartbeat is younger than `staleMs`. Returns false then.
 */
export function claimSyncRun(db: Db, now: number, staleMs: number): boolean {
  return db.sqlite
    .transaction(() => {
      const s = readSyncSettings(db);
      if (s.state === 'syncing' && s.stateAt !== null && now - s.stateAt < staleMs) return false;
      writeSyncSettings(db, { state: 'syncing', stateAt: now, lastAttemptAt: now });
      return true;
    })
    .immediate();
}

/**
 * While a pull writes page after page, the WAL is checkpointed every 64 MB instead of every
 * 4 MB (each checkpoint costs an fsync: 3 s of a first pull of 50,000 enterprises); `false`
 * puts SQLite's default back.
 */
export function bulkCheckpoints(db: Db, on: boolean): void {
  db.sqlite.pragma(`wal_autocheckpoint = ${on ? 16384 : 1000}`);
}
