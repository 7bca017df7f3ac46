import crypto from 'node:crypto';

import { eq, gt, asc } from 'drizzle-orm';

import type { IdGenerator } from '../../shared/ids';
import type { SyncOp } from '../../shared/sync/protocol';
import type { Db } from '../client';
import { outbox, syncState } from '../schema';

import { countUnsentOps } from './sync';

const DEVICE_ID = 'deviceId';

/** This database's device id, made once when the data folder is first opened. */
export function ensureDeviceId(db: Db, newId: IdGenerator): string {
  return db.sqlite.transaction(() => {
    const row = db.orm.select().from(syncState).where(eq(syncState.key, DEVICE_ID)).get();
    if (row) return row.value;
    const id = newId();
    db.orm.insert(syncState).values({ key: DEVICE_ID, value: id }).run();
    return id;
  })();
}

const DEVICE_SECRET = 'deviceSecret';

/**
 * This device's secret, made once (32 random bytes, hex): sent at login to prove the login comes
 * from this very device (server/auth/devices.ts). It stays in sync_state, which a snapshot
 * adoption keeps as the device's own, and is never shown.
 */
export function ensureDeviceSecret(db: Db): string {
  return db.sqlite.transaction(() => {
    const row = db.orm.select().from(syncState).where(eq(syncState.key, DEVICE_SECRET)).get();
    if (row) return row.value;
    const secret = crypto.randomBytes(32).toString('hex');
    db.orm.insert(syncState).values({ key: DEVICE_SECRET, value: secret }).run();
    return secret;
  })();
}

/**
 * How many local ops wait for the central store: recorded and not yet acknowledged by it
 * (acknowledged ops may stay in the outbox until compaction; they are not pending).
 */
export function pendingOpCount(db: Db): number {
  return countUnsentOps(db);
}

export interface OutboxEntry {
  seq: number;
  opId: string;
  deviceId: string;
  table: string;
  rowId: string;
  values: Record<string, unknown>;
  hlc: string;
}

/** An outbox entry as the sync protocol sends it (a push, a relay, a USB bundle). */
export function toSyncOp(e: OutboxEntry): SyncOp {
  return {
    opId: e.opId,
    deviceId: e.deviceId,
    seq: e.seq,
    table: e.table,
    rowId: e.rowId,
    values: e.values,
    hlc: e.hlc,
  };
}

/** Ops in the order they were made, after `afterSeq`. */
export function listOutbox(db: Db, afterSeq = 0, limit = 1000): OutboxEntry[] {
  return db.orm
    .select()
    .from(outbox)
    .where(gt(outbox.seq, afterSeq))
    .orderBy(asc(outbox.seq))
    .limit(limit)
    .all()
    .map((r) => ({
      seq: r.seq,
      opId: r.opId,
      deviceId: r.deviceId,
      table: r.tableName,
      rowId: r.rowId,
      values: JSON.parse(r.values) as Record<string, unknown>,
      hlc: r.hlc,
    }));
}
