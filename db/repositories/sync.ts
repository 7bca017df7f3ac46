import type Database from 'better-sqlite3';

import {
  DEFER_REASONS,
  type DeferredPage,
  type DeferredRowInfo,
  type DeferredValueInfo,
  type RelayCounts,
  type SyncConflictInfo,
} from '../../shared/sync/status';
import { appendOps, prepare, type Device, type Op, type RequeuedOp } from '../changes';
import type { Db } from '../client';
import { isSyncedTable, tableInfo } from '../synced-tables';

import type { OutboxEntry } from './device';

/**
 * The device's sync bookkeeping: settings and cursors (keys of sync_state), what the central
 * store acknowledged, parked ops, conflicts, deferred remote values and files on their way.
 * The rule throughout: nothing of the user's data is deleted here. The outbox keeps every op
 * until the server has acknowledged it, and compaction only removes acknowledged, unparked ops.
 */

// ---------------------------------------------------------------------------------------------
// Settings and cursors (sync_state keys).
// ---------------------------------------------------------------------------------------------

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
  const rows = prepare(
    sqlite,
    "SELECT key, value FROM sync_state WHERE key LIKE 'sync.%'",
  ).all() as {
    key: string;
    value: string;
  }[];
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

// ---------------------------------------------------------------------------------------------
// The outbox: what is pending, acknowledging, compaction.
// ---------------------------------------------------------------------------------------------

interface OutboxRow {
  seq: number;
  op_id: string;
  device_id: string;
  table_name: string;
  row_id: string;
  values: string;
  hlc: string;
  base_clocks?: string | null;
}

function toEntry(r: OutboxRow): OutboxEntry {
  return {
    seq: r.seq,
    opId: r.op_id,
    deviceId: r.device_id,
    table: r.table_name,
    rowId: r.row_id,
    values: JSON.parse(r.values) as Record<string, unknown>,
    hlc: r.hlc,
  };
}

/** Ops the central store has not processed yet, in seq order. */
export function listUnsentOps(db: Db, limit = 1_000_000): OutboxEntry[] {
  const { pushedSeq } = readSyncSettings(db);
  return (
    prepare(
      db.sqlite,
      'SELECT seq, op_id, device_id, table_name, row_id, "values", hlc FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?',
    ).all(pushedSeq, limit) as OutboxRow[]
  ).map(toEntry);
}

/** Ops after `afterSeq`, in seq order, at most `limit` of them. */
export function listOpsAfter(db: Db, afterSeq: number, limit: number): OutboxEntry[] {
  return (
    prepare(
      db.sqlite,
      'SELECT seq, op_id, device_id, table_name, row_id, "values", hlc FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?',
    ).all(afterSeq, limit) as OutboxRow[]
  ).map(toEntry);
}

/** How many ops wait for the central store (not yet processed by it). */
export function countUnsentOps(db: Db): number {
  const { pushedSeq } = readSyncSettings(db);
  return (
    prepare(db.sqlite, 'SELECT count(*) AS n FROM outbox WHERE seq > ?').get(pushedSeq) as {
      n: number;
    }
  ).n;
}

/** The lowest seq still in the outbox (null: empty). */
export function oldestOutboxSeq(db: Db): number | null {
  return (prepare(db.sqlite, 'SELECT min(seq) AS s FROM outbox').get() as { s: number | null }).s;
}

export interface PushOutcome {
  /** The ops sent, in seq order. */
  sent: readonly OutboxEntry[];
  accepted: readonly string[];
  parked: readonly { opId: string; seq: number; reason: string }[];
  lastSeq: number;
}

/**
 * Records a push's answer in one transaction: parked ops listed, retries settled, and the
 * acknowledged seq moved forward (never back: a late answer of an older push changes nothing).
 * Returns how many of the sent ops were newly parked.
 */
export function recordPushOutcome(db: Db, outcome: PushOutcome, now: number): number {
  return db.sqlite
    .transaction(() => {
      const settings = readSyncSettings(db);
      const bySeq = new Map(outcome.sent.map((o) => [o.seq, o]));
      const byOpId = new Map(outcome.sent.map((o) => [o.opId, o]));
      const insertParked = prepare(
        db.sqlite,
        `INSERT INTO sync_parked (op_id, seq, table_name, row_id, reason, parked_at, status, retry_seq, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'parked', NULL, ?) ON CONFLICT(op_id) DO NOTHING`,
      );
      const settleRetry = prepare(
        db.sqlite,
        `UPDATE sync_parked SET status = ?, updated_at = ? WHERE retry_seq = ? AND status = 'retrying'`,
      );
      let parked = 0;
      for (const p of outcome.parked) {
        const op = bySeq.get(p.seq) ?? byOpId.get(p.opId);
        if (!op) continue;
        parked += insertParked.run(op.opId, op.seq, op.table, op.rowId, p.reason, now, now).changes;
        settleRetry.run('replaced', now, op.seq);
      }
      // A stored file whose row the server took: its bytes go up next (sync.ts, step 4).
      const queueUpload = prepare(
        db.sqlite,
        `INSERT INTO sync_files (sha256, direction, size, done_bytes, status, error, updated_at)
         SELECT id, 'up', size, 0, 'pending', NULL, ? FROM attachments WHERE id = ?
         ON CONFLICT DO NOTHING`,
      );
      for (const opId of outcome.accepted) {
        const op = byOpId.get(opId);
        if (!op) continue;
        settleRetry.run('accepted', now, op.seq);
        if (op.table === 'attachments') queueUpload.run(now, op.rowId);
      }
      if (outcome.lastSeq > settings.pushedSeq) {
        let hlc = settings.pushedHlc ?? '';
        for (const o of outcome.sent) if (o.seq <= outcome.lastSeq && o.hlc > hlc) hlc = o.hlc;
        writeSyncSettings(db, { pushedSeq: outcome.lastSeq, pushedHlc: hlc || null });
      }
      return parked;
    })
    .immediate();
}

/**
 * The server has processed fewer of this device's ops than the device believed (a server
 * restored from a backup, or a new server): send again from its lastSeq. Refused (false) when
 * the ops it lacks are no longer in the outbox.
 */
export function rewindPushed(db: Db, serverLastSeq: number): boolean {
  return db.sqlite
    .transaction(() => {
      const settings = readSyncSettings(db);
      if (serverLastSeq >= settings.pushedSeq) return true;
      const oldest = oldestOutboxSeq(db);
      const hasAll = oldest !== null && oldest <= serverLastSeq + 1;
      const none =
        oldest === null ||
        (
          prepare(db.sqlite, 'SELECT count(*) AS n FROM outbox WHERE seq > ?').get(
            serverLastSeq,
          ) as {
            n: number;
          }
        ).n === 0;
      if (!hasAll && !none) return false;
      const hlc = (
        prepare(db.sqlite, 'SELECT max(hlc) AS h FROM outbox WHERE seq <= ?').get(
          serverLastSeq,
        ) as {
          h: string | null;
        }
      ).h;
      writeSyncSettings(db, { pushedSeq: serverLastSeq, pushedHlc: hlc });
      return true;
    })
    .immediate();
}

/**
 * Removes acknowledged ops older than `beforeWallMs` (by their clock) from the outbox. Never an
 * op the server has not processed, and never a parked op (its values are the user's, shown and
 * retried from there). Returns how many were removed.
 */
export function compactOutbox(db: Db, beforeWallMs: number): number {
  return db.sqlite
    .transaction(() => {
      const { pushedSeq } = readSyncSettings(db);
      const cutoff = `${String(Math.max(0, beforeWallMs)).padStart(15, '0')}-`;
      // Only a prefix of the outbox can be old enough: the first op (in seq order) stamped
      // after the cutoff bounds it, so this reads a few rows rather than every acknowledged one.
      // (A retried op keeps its old stamp at a new seq: it sits past the bound and is kept.)
      // The bound is read first and given as ONE range: with two upper bounds in the DELETE,
      // SQLite ranged over `seq <= pushedSeq` and read every acknowledged op (25 ms at 110,000).
      const young = prepare(
        db.sqlite,
        'SELECT seq FROM outbox WHERE hlc >= ? ORDER BY seq LIMIT 1',
      ).get(cutoff) as { seq: number } | undefined;
      const end = Math.min(young?.seq ?? Number.MAX_SAFE_INTEGER, pushedSeq + 1);
      return prepare(
        db.sqlite,
        `DELETE FROM outbox
          WHERE seq < ? AND hlc < ?
            AND seq NOT IN (SELECT seq FROM sync_parked WHERE status IN ('parked', 'retrying'))`,
      ).run(end, cutoff).changes;
    })
    .immediate();
}

/**
 * What sync needs to tell a conflict from a plain update, for the local values the central store
 * does not hold yet: any stamp of this device after the acknowledged ones, and the stamps of
 * parked ops, are unsent; for each field they wrote, `base` is the clock the first unsent edit
 * replaced. A remote value meets an unsent local one with another clock than that base: both
 * sides changed the field — a conflict. With the base's own clock it is the value this device
 * had already seen: no conflict.
 */
export interface UnsentClocks {
  deviceId: string;
  after: string;
  parked: ReadonlySet<string>;
  /** `table \u0001 rowId \u0001 field` → the replaced clock (null: the field had none). */
  base: ReadonlyMap<string, string | null>;
}

interface TailCache {
  pushedSeq: number;
  parkedKey: string;
  scannedTo: number;
  base: Map<string, string | null>;
}

const tails = new WeakMap<Db, TailCache>();

export function baseKey(table: string, rowId: string, field: string): string {
  return `${table}\u0001${rowId}\u0001${field}`;
}

function addBases(base: Map<string, string | null>, rows: OutboxRow[]): void {
  for (const r of rows) {
    const clocks =
      r.base_clocks == null ? null : (JSON.parse(r.base_clocks) as Record<string, string | null>);
    const fields = Object.keys(JSON.parse(r.values) as Record<string, unknown>);
    for (const field of fields) {
      const key = baseKey(r.table_name, r.row_id, field);
      if (base.has(key)) continue; // the first unsent edit's base is what the server had
      if (clocks === null) {
        // An insert replaced nothing; an op of an older version did not say.
        base.set(key, null);
      } else if (field in clocks) {
        base.set(key, clocks[field] ?? null);
      }
    }
  }
}

export function unsentClocks(db: Db, deviceId: string): UnsentClocks {
  const { pushedSeq, pushedHlc } = readSyncSettings(db);
  const parkedRows = prepare(
    db.sqlite,
    `SELECT o.seq, o.op_id, o.device_id, o.table_name, o.row_id, o."values", o.hlc, o.base_clocks
       FROM sync_parked p CROSS JOIN outbox o ON o.op_id = p.op_id
      WHERE p.status IN ('parked', 'retrying') ORDER BY o.seq`,
  ).all() as OutboxRow[];
  const parkedKey = parkedRows.map((r) => r.seq).join(',');
  let cache = tails.get(db);
  if (!cache || cache.pushedSeq !== pushedSeq || cache.parkedKey !== parkedKey) {
    const base = new Map<string, string | null>();
    addBases(base, parkedRows);
    cache = { pushedSeq, parkedKey, scannedTo: pushedSeq, base };
    tails.set(db, cache);
  }
  // Only the ops written since the last look: the tail grows while the app is used.
  const fresh = prepare(
    db.sqlite,
    'SELECT seq, op_id, device_id, table_name, row_id, "values", hlc, base_clocks FROM outbox WHERE seq > ? ORDER BY seq',
  ).all(cache.scannedTo) as OutboxRow[];
  addBases(cache.base, fresh);
  if (fresh.length > 0) cache.scannedTo = (fresh.at(-1) as OutboxRow).seq;
  return {
    deviceId,
    after: pushedHlc ?? '',
    parked: new Set(parkedRows.map((r) => r.hlc)),
    base: cache.base,
  };
}

export function isUnsentClock(u: UnsentClocks, clock: string): boolean {
  if (u.parked.has(clock)) return true;
  if (clock <= u.after) return false;
  // The node follows the second dash: WWW…-CCCCCC-node.
  return clock.slice(23) === u.deviceId;
}

/**
 * Whether a remote value (clock `remote`) and the local one (clock `local`) are edits both sides
 * made: the local value is unsent, and the remote clock is not the one that local edit replaced.
 */
export function bothChanged(
  u: UnsentClocks,
  table: string,
  rowId: string,
  field: string,
  local: string,
  remote: string,
): boolean {
  if (!isUnsentClock(u, local)) return false;
  const base = u.base.get(baseKey(table, rowId, field));
  return base === undefined || base !== remote;
}

// ---------------------------------------------------------------------------------------------
// Parked ops.
// ---------------------------------------------------------------------------------------------

export type ParkedStatus = 'parked' | 'retrying' | 'discarded' | 'accepted' | 'replaced';

export interface ParkedRow {
  opId: string;
  seq: number;
  table: string;
  rowId: string;
  reason: string;
  parkedAt: number;
  status: ParkedStatus;
  retrySeq: number | null;
  updatedAt: number;
  values: Record<string, unknown> | null;
  hlc: string | null;
  baseClocks: string | null;
}

interface ParkedSql {
  op_id: string;
  seq: number;
  table_name: string;
  row_id: string;
  reason: string;
  parked_at: number;
  status: ParkedStatus;
  retry_seq: number | null;
  updated_at: number;
  values: string | null;
  hlc: string | null;
  base_clocks: string | null;
}

const PARKED_SELECT = `SELECT p.op_id, p.seq, p.table_name, p.row_id, p.reason, p.parked_at, p.status,
  p.retry_seq, p.updated_at, o."values" AS "values", o.hlc AS hlc, o.base_clocks AS base_clocks
  FROM sync_parked p LEFT JOIN outbox o ON o.op_id = p.op_id`;

function toParked(r: ParkedSql): ParkedRow {
  return {
    opId: r.op_id,
    seq: r.seq,
    table: r.table_name,
    rowId: r.row_id,
    reason: r.reason,
    parkedAt: r.parked_at,
    status: r.status,
    retrySeq: r.retry_seq,
    updatedAt: r.updated_at,
    values: r.values === null ? null : (JSON.parse(r.values) as Record<string, unknown>),
    hlc: r.hlc,
    baseClocks: r.base_clocks,
  };
}

/** Parked ops that still need someone: parked, or sent again and not answered yet. */
export function listOpenParked(db: Db): ParkedRow[] {
  return (
    prepare(
      db.sqlite,
      `${PARKED_SELECT} WHERE p.status IN ('parked', 'retrying') ORDER BY p.seq`,
    ).all() as ParkedSql[]
  ).map(toParked);
}

export function listParked(db: Db, opIds: readonly string[]): ParkedRow[] {
  const stmt = prepare(db.sqlite, `${PARKED_SELECT} WHERE p.op_id = ?`);
  return opIds.flatMap((id) => {
    const r = stmt.get(id) as ParkedSql | undefined;
    return r ? [toParked(r)] : [];
  });
}

/**
 * Sends parked ops again: each becomes a new op at the end of the outbox with the same values
 * and clock, and the parked entry waits for its answer (retrying). Only `parked` entries whose op
 * is still in the outbox can be retried; returns the op ids retried.
 */
export function requeueParked(
  db: Db,
  device: Device,
  opIds: readonly string[],
  now: number,
): string[] {
  return db.sqlite
    .transaction(() => {
      const rows = listParked(db, opIds).filter(
        (r) => r.status === 'parked' && r.values !== null && r.hlc !== null,
      );
      const ops: RequeuedOp[] = [];
      const retried: ParkedRow[] = [];
      for (const r of rows) {
        if (!isSyncedTable(r.table)) continue;
        ops.push({
          table: r.table,
          rowId: r.rowId,
          values: r.values ?? {},
          hlc: r.hlc ?? '',
          baseClocks: r.baseClocks,
        });
        retried.push(r);
      }
      const appended: Op[] = appendOps(db, device, ops);
      const mark = prepare(
        db.sqlite,
        `UPDATE sync_parked SET status = 'retrying', retry_seq = ?, updated_at = ? WHERE op_id = ?`,
      );
      retried.forEach((r, i) => mark.run((appended[i] as Op).seq, now, r.opId));
      return retried.map((r) => r.opId);
    })
    .immediate();
}

/** Stops showing parked ops; they stay recorded (discarded), as does every value of them. */
export function discardParkedOps(db: Db, opIds: readonly string[], now: number): string[] {
  return db.sqlite
    .transaction(() => {
      const stmt = prepare(
        db.sqlite,
        `UPDATE sync_parked SET status = 'discarded', updated_at = ? WHERE op_id = ? AND status = 'parked'`,
      );
      return opIds.filter((id) => stmt.run(now, id).changes > 0);
    })
    .immediate();
}

// ---------------------------------------------------------------------------------------------
// Conflicts.
// ---------------------------------------------------------------------------------------------

/** A conflict as the repository holds it: what the status shows, and how it was resolved. */
export interface ConflictRow extends SyncConflictInfo {
  resolvedAt: number | null;
  resolution: string | null;
}

interface ConflictSql {
  id: string;
  table_name: string;
  row_id: string;
  field: string;
  local_value: string;
  local_clock: string;
  remote_value: string;
  remote_clock: string;
  winner: 'local' | 'remote';
  source: string;
  created_at: number;
  resolved_at: number | null;
  resolution: string | null;
}

function toConflict(r: ConflictSql): ConflictRow {
  return {
    id: r.id,
    table: r.table_name,
    rowId: r.row_id,
    field: r.field,
    localValue: JSON.parse(r.local_value) as unknown,
    localClock: r.local_clock,
    remoteValue: JSON.parse(r.remote_value) as unknown,
    remoteClock: r.remote_clock,
    winner: r.winner,
    source: r.source,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
    resolution: r.resolution,
  };
}

export type NewConflict = Omit<SyncConflictInfo, 'id' | 'createdAt'>;

/** Records a conflict once (the same pair of clocks again is ignored); true when new. */
export function insertConflict(
  sqlite: Database.Database,
  id: string,
  c: NewConflict,
  now: number,
): boolean {
  return (
    prepare(
      sqlite,
      `INSERT INTO sync_conflicts (id, table_name, row_id, field, local_value, local_clock, remote_value,
         remote_clock, winner, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ).run(
      id,
      c.table,
      c.rowId,
      c.field,
      JSON.stringify(c.localValue ?? null),
      c.localClock,
      JSON.stringify(c.remoteValue ?? null),
      c.remoteClock,
      c.winner,
      c.source,
      now,
    ).changes > 0
  );
}

export function listOpenConflicts(db: Db): ConflictRow[] {
  return (
    prepare(
      db.sqlite,
      'SELECT * FROM sync_conflicts WHERE resolved_at IS NULL ORDER BY created_at, id',
    ).all() as ConflictSql[]
  ).map(toConflict);
}

export function listAllConflicts(db: Db): ConflictRow[] {
  return (
    prepare(
      db.sqlite,
      'SELECT * FROM sync_conflicts ORDER BY created_at, id',
    ).all() as ConflictSql[]
  ).map(toConflict);
}

export function getConflict(db: Db, id: string): ConflictRow | undefined {
  const r = prepare(db.sqlite, 'SELECT * FROM sync_conflicts WHERE id = ?').get(id) as
    ConflictSql | undefined;
  return r ? toConflict(r) : undefined;
}

/**
 * Marks a conflict resolved with the choice made, and the other open conflicts of the same field
 * as superseded (the choice settles the field). Runs in the caller's transaction.
 */
export function markConflictResolved(
  db: Db,
  conflict: ConflictRow,
  resolution: 'local' | 'remote',
  now: number,
): void {
  prepare(
    db.sqlite,
    'UPDATE sync_conflicts SET resolved_at = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL',
  ).run(now, resolution, conflict.id);
  prepare(
    db.sqlite,
    `UPDATE sync_conflicts SET resolved_at = ?, resolution = 'superseded'
      WHERE table_name = ? AND row_id = ? AND field = ? AND resolved_at IS NULL`,
  ).run(now, conflict.table, conflict.rowId, conflict.field);
}

/** Whether a synced row exists (deleted or not). */
export function rowExists(db: Db, table: string, rowId: string): boolean {
  if (!isSyncedTable(table)) return false;
  return (
    prepare(db.sqlite, `SELECT 1 FROM "${tableInfo(table).sqlName}" WHERE id = ?`).get(rowId) !==
    undefined
  );
}

// ---------------------------------------------------------------------------------------------
// Deferred remote values.
// ---------------------------------------------------------------------------------------------

export interface DeferredCounts {
  total: number;
  byReason: Record<string, number>;
}

export function countDeferred(db: Db): DeferredCounts {
  const rows = prepare(
    db.sqlite,
    'SELECT reason, count(*) AS n FROM sync_deferred GROUP BY reason',
  ).all() as { reason: string; n: number }[];
  const byReason: Record<string, number> = {};
  let total = 0;
  for (const r of rows) {
    byReason[r.reason] = r.n;
    total += r.n;
  }
  return { total, byReason };
}

export interface DeferredQuery {
  limit: number;
  offset: number;
}

interface DeferredSql {
  field: string;
  value: string;
  clock: string;
  reason: string;
  source: string;
  created_at: number;
}

/**
 * The links a row's label follows up to its enterprise: a field naming a parent row, and the
 * parent's table. Tried in this order, on every table (one this version does not know too).
 */
const LABEL_LINKS: readonly (readonly [field: string, table: string])[] = [
  ['enterpriseId', 'enterprises'],
  ['inspectionId', 'inspections'],
  ['violationId', 'violations'],
  ['planId', 'plans'],
];

/** A field of a row: this device's value if the row has one, else a value set aside for it. */
function knownValue(db: Db, table: string, rowId: string, field: string): unknown {
  if (isSyncedTable(table)) {
    const info = tableInfo(table);
    const column = info.columns.get(field);
    if (column) {
      const r = prepare(
        db.sqlite,
        `SELECT "${column.name}" AS v FROM "${info.sqlName}" WHERE id = ?`,
      ).get(rowId) as { v: unknown } | undefined;
      if (r && r.v !== null) return r.v;
    }
  }
  const d = prepare(
    db.sqlite,
    'SELECT value FROM sync_deferred WHERE table_name = ? AND row_id = ? AND field = ?',
  ).get(table, rowId, field) as { value: string } | undefined;
  return d ? (JSON.parse(d.value) as unknown) : null;
}

/** The enterprise's name of an enterprise row or a row under one (a few lookups by key). */
function rowLabel(db: Db, table: string, rowId: string, depth = 0): string | null {
  if (table === 'enterprises') {
    const name = knownValue(db, table, rowId, 'name');
    return typeof name === 'string' && name.trim() !== '' ? name : null;
  }
  if (depth >= 3) return null;
  for (const [field, parent] of LABEL_LINKS) {
    const parentId = knownValue(db, table, rowId, field);
    if (typeof parentId !== 'string' || parentId === '') continue;
    const label = rowLabel(db, parent, parentId, depth + 1);
    if (label !== null) return label;
  }
  return null;
}

function reasonRank(reason: string): number {
  const i = (DEFER_REASONS as readonly string[]).indexOf(reason);
  return i < 0 ? DEFER_REASONS.length : i;
}

/**
 * The remote values set aside, grouped by row, the rows most recently set aside first, a page
 * at a time; each row with its fields (values JSON-decoded) and, where cheap, the enterprise's
 * name as a label.
 */
export function listDeferred(db: Db, query: DeferredQuery): DeferredPage {
  const counts = prepare(
    db.sqlite,
    `SELECT count(*) AS rows, coalesce(sum(n), 0) AS "values"
       FROM (SELECT count(*) AS n FROM sync_deferred GROUP BY table_name, row_id)`,
  ).get() as { rows: number; values: number };
  const keys = prepare(
    db.sqlite,
    `SELECT table_name, row_id, max(created_at) AS created_at, max(clock) AS clock
       FROM sync_deferred GROUP BY table_name, row_id
      ORDER BY created_at DESC, clock DESC, table_name, row_id LIMIT ? OFFSET ?`,
  ).all(query.limit, query.offset) as {
    table_name: string;
    row_id: string;
    created_at: number;
    clock: string;
  }[];
  const fieldsOf = prepare(
    db.sqlite,
    `SELECT field, value, clock, reason, source, created_at FROM sync_deferred
      WHERE table_name = ? AND row_id = ? ORDER BY field`,
  );
  const rows = keys.map((k): DeferredRowInfo => {
    const fields = (fieldsOf.all(k.table_name, k.row_id) as DeferredSql[]).map(
      (f): DeferredValueInfo => ({
        field: f.field,
        value: JSON.parse(f.value) as unknown,
        clock: f.clock,
        reason: f.reason,
        source: f.source,
        createdAt: f.created_at,
      }),
    );
    return {
      table: k.table_name,
      rowId: k.row_id,
      label: rowLabel(db, k.table_name, k.row_id),
      fields,
      clock: k.clock,
      reasons: [...new Set(fields.map((f) => f.reason))].sort(
        (a, b) => reasonRank(a) - reasonRank(b) || (a < b ? -1 : a > b ? 1 : 0),
      ),
      sources: [...new Set(fields.map((f) => f.source))],
      createdAt: k.created_at,
    };
  });
  return { rows, total: counts.rows, values: counts.values };
}

// ---------------------------------------------------------------------------------------------
// Files on their way (attachments by SHA-256).
// ---------------------------------------------------------------------------------------------

export type FileDirection = 'up' | 'down';

export interface FileTransfer {
  sha256: string;
  direction: FileDirection;
  size: number;
  doneBytes: number;
  status: 'pending' | 'done' | 'failed';
  error: string | null;
}

/** Sets a transfer's state (creating it); runs in the caller's transaction if there is one. */
export function setFileTransfer(db: Db, t: FileTransfer, now: number): void {
  prepare(
    db.sqlite,
    `INSERT INTO sync_files (sha256, direction, size, done_bytes, status, error, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(sha256, direction) DO UPDATE SET size = excluded.size, done_bytes = excluded.done_bytes,
       status = excluded.status, error = excluded.error, updated_at = excluded.updated_at`,
  ).run(t.sha256, t.direction, t.size, t.doneBytes, t.status, t.error, now);
}

export function getFileTransfer(
  db: Db,
  sha256: string,
  direction: FileDirection,
): FileTransfer | undefined {
  const r = prepare(
    db.sqlite,
    'SELECT sha256, direction, size, done_bytes, status, error FROM sync_files WHERE sha256 = ? AND direction = ?',
  ).get(sha256, direction) as
    | {
        sha256: string;
        direction: FileDirection;
        size: number;
        done_bytes: number;
        status: FileTransfer['status'];
        error: string | null;
      }
    | undefined;
  return r
    ? {
        sha256: r.sha256,
        direction: r.direction,
        size: r.size,
        doneBytes: r.done_bytes,
        status: r.status,
        error: r.error,
      }
    : undefined;
}

/** Stored files (attachments rows) the central store is not known to hold whole yet. */
export function listUploadCandidates(db: Db): { sha256: string; size: number }[] {
  return prepare(
    db.sqlite,
    `SELECT a.id AS sha256, a.size AS size FROM attachments a
      WHERE a.deleted = 0
        AND NOT EXISTS (SELECT 1 FROM sync_files f WHERE f.sha256 = a.id AND f.direction = 'up' AND f.status = 'done')
      ORDER BY a.created_at, a.id`,
  ).all() as { sha256: string; size: number }[];
}

/**
 * Stored files this device needs the bytes of: those a live evidence use here refers to (rows of
 * files used only in another city's records are region-wide metadata, not worth downloading).
 * The caller checks which are missing on disk.
 */
export function listNeededFiles(db: Db): { sha256: string; size: number; mimeType: string }[] {
  return prepare(
    db.sqlite,
    `SELECT a.id AS sha256, a.size AS size, a.mime_type AS mimeType FROM attachments a
      WHERE a.deleted = 0
        AND EXISTS (SELECT 1 FROM attachment_uses u WHERE u.attachment_id = a.id AND u.deleted = 0)
      ORDER BY a.created_at, a.id`,
  ).all() as { sha256: string; size: number; mimeType: string }[];
}

export function listPendingDownloads(db: Db): { sha256: string; size: number }[] {
  return prepare(
    db.sqlite,
    `SELECT sha256, size FROM sync_files WHERE direction = 'down' AND status <> 'done' ORDER BY updated_at, sha256`,
  ).all() as { sha256: string; size: number }[];
}

export interface FileCounts {
  uploads: number;
  downloads: number;
  failed: number;
}

/** Files still to send or fetch (as the last run found them), and how many of those failed. */
export function countPendingFiles(db: Db): FileCounts {
  const rows = prepare(
    db.sqlite,
    `SELECT direction, count(*) AS n, sum(status = 'failed') AS failed FROM sync_files f
      WHERE status <> 'done'
        AND (direction = 'up' OR EXISTS (
          SELECT 1 FROM attachment_uses u WHERE u.attachment_id = f.sha256 AND u.deleted = 0))
      GROUP BY direction`,
  ).all() as { direction: FileDirection; n: number; failed: number | null }[];
  const up = rows.find((r) => r.direction === 'up');
  const down = rows.find((r) => r.direction === 'down');
  return {
    uploads: up?.n ?? 0,
    downloads: down?.n ?? 0,
    failed: (up?.failed ?? 0) + (down?.failed ?? 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Bundles: which ops of other devices were imported.
// ---------------------------------------------------------------------------------------------

export function importedOpIds(db: Db, deviceId: string, opIds: readonly string[]): Set<string> {
  const stmt = prepare(
    db.sqlite,
    'SELECT 1 FROM sync_bundle_ops WHERE device_id = ? AND op_id = ?',
  );
  return new Set(opIds.filter((id) => stmt.get(deviceId, id) !== undefined));
}

export function recordImportedOp(
  db: Db,
  deviceId: string,
  opId: string,
  seq: number,
  now: number,
): void {
  prepare(
    db.sqlite,
    'INSERT INTO sync_bundle_ops (device_id, op_id, seq, imported_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  ).run(deviceId, opId, seq, now);
}

// ---------------------------------------------------------------------------------------------
// Scope exits: an enterprise that moved to another city leaves this device (migration 0010).
// ---------------------------------------------------------------------------------------------

/**
 * Every synced row of an enterprise's subtree, children before their parents: a revision of a
 * visit before the visit it corrects (revision_of), deepest first.
 */
const SUBTREE_SQL = `
  WITH RECURSIVE ins AS (SELECT id FROM inspections WHERE enterprise_id = :e),
       vio AS (SELECT id FROM violations WHERE enterprise_id = :e),
       pl AS (SELECT id FROM plans WHERE enterprise_id = :e),
       ans AS (SELECT id FROM inspection_answers WHERE inspection_id IN ins),
       chain(id, depth) AS (
         SELECT id, 0 FROM inspections WHERE enterprise_id = :e
           AND (revision_of IS NULL OR revision_of NOT IN ins)
         UNION SELECT i.id, c.depth + 1 FROM inspections AS i JOIN chain AS c ON i.revision_of = c.id
           WHERE i.enterprise_id = :e AND c.depth < 1000)
  SELECT 1 AS step, 0 AS depth, 'attachment_uses' AS t, id FROM attachment_uses
    WHERE inspection_id IN ins OR violation_id IN vio OR answer_id IN ans
  UNION ALL SELECT 2, 0, 'inspection_answers', id FROM ans
  UNION ALL SELECT 3, 0, 'inspection_processes', id FROM inspection_processes WHERE inspection_id IN ins
  UNION ALL SELECT 4, 0, 'inspection_members', id FROM inspection_members WHERE inspection_id IN ins
  UNION ALL SELECT 5, 0, 'plan_versions', id FROM plan_versions WHERE plan_id IN pl
  UNION ALL SELECT 6, 0, 'violations', id FROM vio
  UNION ALL SELECT 7, max(depth), 'inspections', id FROM chain GROUP BY id
  UNION ALL SELECT 7, -1, 'inspections', id FROM ins WHERE id NOT IN (SELECT id FROM chain)
  UNION ALL SELECT 8, 0, 'plans', id FROM pl
  UNION ALL SELECT 9, 0, 'enterprise_processes', id FROM enterprise_processes WHERE enterprise_id = :e
  UNION ALL SELECT 10, 0, 'enterprises', id FROM enterprises WHERE id = :e
  ORDER BY step, depth DESC`;

export interface SubtreeRow {
  table: string;
  id: string;
}

export function enterpriseSubtree(db: Db, enterpriseId: string): SubtreeRow[] {
  return (
    prepare(db.sqlite, SUBTREE_SQL).all({ e: enterpriseId }) as { t: string; id: string }[]
  ).map((r) => ({ table: r.t, id: r.id }));
}

/** Rows with a local change the central store has not acknowledged (unsent or parked). */
export function rowsWithUnsentOps(db: Db): Set<string> {
  const { pushedSeq } = readSyncSettings(db);
  const found = prepare(
    db.sqlite,
    `SELECT table_name, row_id FROM outbox WHERE seq > ?
     UNION SELECT o.table_name, o.row_id FROM sync_parked p CROSS JOIN outbox o ON o.op_id = p.op_id
      WHERE p.status IN ('parked', 'retrying')`,
  ).all(pushedSeq) as { table_name: string; row_id: string }[];
  return new Set(found.map((r) => `${r.table_name}\u0001${r.row_id}`));
}

/**
 * Removes the rows (children first, as enterpriseSubtree lists them) and what sync kept aside
 * for them, letting the immutability triggers through for this transaction only.
 */
export function deleteSubtree(db: Db, subtree: readonly SubtreeRow[]): void {
  prepare(db.sqlite, 'INSERT OR IGNORE INTO sync_removing (id) VALUES (1)').run();
  for (const r of subtree) {
    prepare(db.sqlite, `DELETE FROM "${r.table}" WHERE id = ?`).run(r.id);
    prepare(db.sqlite, 'DELETE FROM sync_deferred WHERE table_name = ? AND row_id = ?').run(
      r.table,
      r.id,
    );
  }
  prepare(db.sqlite, 'DELETE FROM sync_removing').run();
}

export function keepScopeExit(db: Db, enterpriseId: string, now: number): void {
  prepare(
    db.sqlite,
    'INSERT OR IGNORE INTO sync_scope_exits (enterprise_id, created_at) VALUES (?, ?)',
  ).run(enterpriseId, now);
}

/**
 * The account now sees one city only (another account logged in on this device): every
 * enterprise of another city leaves as if it had moved there, through the same waiting exits
 * (its subtree goes on the next sync run, or waits while local changes to it are unsent).
 * Enterprises without a city are everyone's and stay. Returns how many were queued.
 */
export function keepScopeExitsOutside(db: Db, cityCode: string, now: number): number {
  return prepare(
    db.sqlite,
    `INSERT OR IGNORE INTO sync_scope_exits (enterprise_id, created_at)
     SELECT id, ? FROM enterprises WHERE city_code IS NOT NULL AND city_code <> ?`,
  ).run(now, cityCode).changes;
}

export function dropScopeExit(db: Db, enterpriseId: string): void {
  prepare(db.sqlite, 'DELETE FROM sync_scope_exits WHERE enterprise_id = ?').run(enterpriseId);
}

export function waitingScopeExits(db: Db): string[] {
  return (
    prepare(db.sqlite, 'SELECT enterprise_id FROM sync_scope_exits ORDER BY created_at').all() as {
      enterprise_id: string;
    }[]
  ).map((r) => r.enterprise_id);
}

// ---------------------------------------------------------------------------------------------
// Relay: other devices' ops from USB bundles, sent on to the central store (migration 0011).
// ---------------------------------------------------------------------------------------------

const RELAY_SECRET = 'relaySecretHash:';

/**
 * Notes the hash of a bundle's source device's secret (from its header), sent with that device's
 * relayed ops so the store lets only that device claim its id. The first one noted is kept: a
 * later bundle naming another hash under the same id is a copy, and the store judges it.
 */
export function noteRelaySecretHash(db: Db, deviceId: string, hash: string): void {
  prepare(
    db.sqlite,
    `INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING`,
  ).run(RELAY_SECRET + deviceId, hash);
}

/** The secret hash a bundle of this device named, if any (an older bundle names none). */
export function relaySecretHash(db: Db, deviceId: string): string | undefined {
  const row = prepare(db.sqlite, `SELECT value FROM sync_state WHERE key = ?`).get(
    RELAY_SECRET + deviceId,
  ) as { value: string } | undefined;
  return row?.value;
}

/**
 * Keeps a bundle's ops for relaying (each (device, seq) once). A bundle that brings ops of a
 * device whose relay was blocked (a missing bundle, another account) gives it another chance.
 */
export function queueRelay(db: Db, ops: readonly OutboxEntry[], now: number): void {
  const insert = prepare(
    db.sqlite,
    `INSERT INTO sync_relay (device_id, seq, op_id, op, status, imported_at, updated_at)
     VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (device_id, seq) DO NOTHING`,
  );
  const unblock = prepare(
    db.sqlite,
    `UPDATE sync_relay SET status = 'pending', reason = NULL, updated_at = ?
      WHERE device_id = ? AND status = 'blocked'`,
  );
  const devices = new Set<string>();
  for (const op of ops) {
    insert.run(op.deviceId, op.seq, op.opId, JSON.stringify(op), now, now);
    devices.add(op.deviceId);
  }
  for (const d of devices) unblock.run(now, d);
}

/**
 * The next ops to relay for one device: its first pending op and those following it without a
 * gap in seq (the store takes a device's ops only in order), at most `limit`.
 */
export function nextRelayBatch(db: Db, limit: number): OutboxEntry[] {
  const first = prepare(
    db.sqlite,
    `SELECT device_id FROM sync_relay WHERE status = 'pending' ORDER BY device_id, seq LIMIT 1`,
  ).get() as { device_id: string } | undefined;
  if (!first) return [];
  const rows = prepare(
    db.sqlite,
    `SELECT seq, op FROM sync_relay WHERE device_id = ? AND status = 'pending' ORDER BY seq LIMIT ?`,
  ).all(first.device_id, limit) as { seq: number; op: string }[];
  const batch: OutboxEntry[] = [];
  for (const r of rows) {
    const prev = batch.at(-1);
    if (prev && r.seq !== prev.seq + 1) break;
    batch.push(JSON.parse(r.op) as OutboxEntry);
  }
  return batch;
}

/** What the store answered for relayed ops of one device. */
export function settleRelay(
  db: Db,
  deviceId: string,
  outcome: { accepted: readonly string[]; parked: readonly { opId: string; reason: string }[] },
  now: number,
): void {
  db.sqlite.transaction(() => {
    const done = prepare(
      db.sqlite,
      `UPDATE sync_relay SET status = 'done', reason = NULL, updated_at = ? WHERE device_id = ? AND op_id = ?`,
    );
    const parked = prepare(
      db.sqlite,
      `UPDATE sync_relay SET status = 'parked', reason = ?, updated_at = ? WHERE device_id = ? AND op_id = ?`,
    );
    for (const opId of outcome.accepted) done.run(now, deviceId, opId);
    for (const p of outcome.parked) parked.run(p.reason, now, deviceId, p.opId);
  })();
}

/** The store will not take this device's pending ops now: kept, with why, until a new import. */
export function blockRelay(db: Db, deviceId: string, reason: string, now: number): void {
  prepare(
    db.sqlite,
    `UPDATE sync_relay SET status = 'blocked', reason = ?, updated_at = ? WHERE device_id = ? AND status = 'pending'`,
  ).run(reason, now, deviceId);
}

/**
 * Relays again, at the next run, a device's ops the store would not take from this account or
 * that waited for a missing bundle (another account may be logged in now). Returns how many.
 */
export function unblockRelay(db: Db, deviceId: string, now: number): number {
  return prepare(
    db.sqlite,
    `UPDATE sync_relay SET status = 'pending', reason = NULL, updated_at = ?
      WHERE device_id = ? AND status = 'blocked'`,
  ).run(now, deviceId).changes;
}

/**
 * Stops listing a device's relayed ops the store parked. Nothing is lost: the store keeps them
 * parked under that device's own numbers, and the device itself, which still holds them, is
 * told at its next sync and can retry or discard them there. Returns how many.
 */
export function dismissRelayParked(db: Db, deviceId: string, now: number): number {
  return prepare(
    db.sqlite,
    `UPDATE sync_relay SET status = 'done', reason = '已知悉：由原设备处理', updated_at = ?
      WHERE device_id = ? AND status = 'parked'`,
  ).run(now, deviceId).changes;
}

export function relayCounts(db: Db): RelayCounts {
  const pending = (
    prepare(db.sqlite, `SELECT count(*) AS n FROM sync_relay WHERE status = 'pending'`).get() as {
      n: number;
    }
  ).n;
  const problems = (
    prepare(
      db.sqlite,
      `SELECT device_id, status, coalesce(reason, '') AS reason, count(*) AS n FROM sync_relay
        WHERE status IN ('parked', 'blocked') GROUP BY device_id, status, reason
        ORDER BY device_id, status, reason`,
    ).all() as { device_id: string; status: 'parked' | 'blocked'; reason: string; n: number }[]
  ).map((r) => ({ deviceId: r.device_id, status: r.status, reason: r.reason, ops: r.n }));
  return { pending, problems };
}

/**
 * While a pull writes page after page, the WAL is checkpointed every 64 MB instead of every
 * 4 MB (each checkpoint costs an fsync: 3 s of a first pull of 50,000 enterprises); `false`
 * puts SQLite's default back.
 */
export function bulkCheckpoints(db: Db, on: boolean): void {
  db.sqlite.pragma(`wal_autocheckpoint = ${on ? 16384 : 1000}`);
}
