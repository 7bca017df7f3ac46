/**
 * Relay: other devices' ops from USB bundles, sent on to the central store (migration 0011).
 */

import { type RelayCounts } from '../../../shared/sync/status';
import { prepare } from '../../prepared';
import type { Db } from '../../client';
import type { OutboxEntry } from '../device';

import { num, oneOf, oneRow, rowOf, rowsOf, text } from './rows';

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
  const row = rowOf(
    prepare(db.sqlite, `SELECT value FROM sync_state WHERE key = ?`).get(RELAY_SECRET + deviceId),
    (r) => ({ value: text(r, 'value') }),
  );
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
  const first = rowOf(
    prepare(
      db.sqlite,
      `SELECT device_id FROM sync_relay WHERE status = 'pending' ORDER BY device_id, seq LIMIT 1`,
    ).get(),
    (r) => ({ device_id: text(r, 'device_id') }),
  );
  if (!first) return [];
  const rows = rowsOf(
    prepare(
      db.sqlite,
      `SELECT seq, op FROM sync_relay WHERE device_id = ? AND status = 'pending' ORDER BY seq LIMIT ?`,
    ).all(first.device_id, limit),
    (r) => ({ seq: num(r, 'seq'), op: text(r, 'op') }),
  );
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
  const pending = oneRow(
    prepare(db.sqlite, `SELECT count(*) AS n FROM sync_relay WHERE status = 'pending'`).get(),
    (r) => num(r, 'n'),
  );
  const problems = rowsOf(
    prepare(
      db.sqlite,
      `SELECT device_id, status, coalesce(reason, '') AS reason, count(*) AS n FROM sync_relay
        WHERE status IN ('parked', 'blocked') GROUP BY device_id, status, reason
        ORDER BY device_id, status, reason`,
    ).all(),
    (r) => ({
      deviceId: text(r, 'device_id'),
      status: oneOf(r, 'status', ['parked', 'blocked']),
      reason: text(r, 'reason'),
      ops: num(r, 'n'),
    }),
  );
  return { pending, problems };
}
