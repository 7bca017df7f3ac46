/**
 * The outbox: what is pending, what the central store acknowledged (accepted or parked), rewinding
 * when the store processed fewer, compaction; and the clocks of unsent local values a pulled value
 * is compared against.
 */

import { prepare } from '../../prepared';
import type { Db } from '../../client';
import type { OutboxEntry } from '../device';

import { num, numOrNull, oneRow, rowOf, rowsOf, text, textOrNull, type SqlRow } from './rows';

import { readSyncSettings, writeSyncSettings } from './settings';

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

function outboxRow(r: SqlRow): OutboxRow {
  return {
    seq: num(r, 'seq'),
    op_id: text(r, 'op_id'),
    device_id: text(r, 'device_id'),
    table_name: text(r, 'table_name'),
    row_id: text(r, 'row_id'),
    values: text(r, 'values'),
    hlc: text(r, 'hlc'),
    base_clocks: textOrNull(r, 'base_clocks'),
  };
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
  return rowsOf(
    prepare(
      db.sqlite,
      'SELECT seq, op_id, device_id, table_name, row_id, "values", hlc FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?',
    ).all(pushedSeq, limit),
    outboxRow,
  ).map(toEntry);
}

/** Ops after `afterSeq`, in seq order, at most `limit` of them. */
export function listOpsAfter(db: Db, afterSeq: number, limit: number): OutboxEntry[] {
  return rowsOf(
    prepare(
      db.sqlite,
      'SELECT seq, op_id, device_id, table_name, row_id, "values", hlc FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?',
    ).all(afterSeq, limit),
    outboxRow,
  ).map(toEntry);
}

/** How many ops wait for the central store (not yet processed by it). */
export function countUnsentOps(db: Db): number {
  const { pushedSeq } = readSyncSettings(db);
  return oneRow(
    prepare(db.sqlite, 'SELECT count(*) AS n FROM outbox WHERE seq > ?').get(pushedSeq),
    (r) => num(r, 'n'),
  );
}

/** The lowest seq still in the outbox (null: empty). */
export function oldestOutboxSeq(db: Db): number | null {
  return oneRow(prepare(db.sqlite, 'SELECT min(seq) AS s FROM outbox').get(), (r) =>
    numOrNull(r, 's'),
  );
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
        oneRow(
          prepare(db.sqlite, 'SELECT count(*) AS n FROM outbox WHERE seq > ?').get(serverLastSeq),
          (r) => num(r, 'n'),
        ) === 0;
      if (!hasAll && !none) return false;
      const hlc = oneRow(
        prepare(db.sqlite, 'SELECT max(hlc) AS h FROM outbox WHERE seq <= ?').get(serverLastSeq),
        (r) => textOrNull(r, 'h'),
      );
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
      const young = rowOf(
        prepare(db.sqlite, 'SELECT seq FROM outbox WHERE hlc >= ? ORDER BY seq LIMIT 1').get(
          cutoff,
        ),
        (r) => ({ seq: num(r, 'seq') }),
      );
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
  const parkedRows = rowsOf(
    prepare(
      db.sqlite,
      `SELECT o.seq, o.op_id, o.device_id, o.table_name, o.row_id, o."values", o.hlc, o.base_clocks
       FROM sync_parked p CROSS JOIN outbox o ON o.op_id = p.op_id
      WHERE p.status IN ('parked', 'retrying') ORDER BY o.seq`,
    ).all(),
    outboxRow,
  );
  const parkedKey = parkedRows.map((r) => r.seq).join(',');
  let cache = tails.get(db);
  if (!cache || cache.pushedSeq !== pushedSeq || cache.parkedKey !== parkedKey) {
    const base = new Map<string, string | null>();
    addBases(base, parkedRows);
    cache = { pushedSeq, parkedKey, scannedTo: pushedSeq, base };
    tails.set(db, cache);
  }
  // Only the ops written since the last look: the tail grows while the app is used.
  const fresh = rowsOf(
    prepare(
      db.sqlite,
      'SELECT seq, op_id, device_id, table_name, row_id, "values", hlc, base_clocks FROM outbox WHERE seq > ? ORDER BY seq',
    ).all(cache.scannedTo),
    outboxRow,
  );
  addBases(cache.base, fresh);
  const last = fresh.at(-1);
  if (last) cache.scannedTo = last.seq;
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
