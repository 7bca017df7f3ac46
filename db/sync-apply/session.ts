/**
 * One application of remote changes (a pull page, a bundle, a replay): its session (its counts, the tables it changed), the result it returns and announces once
 * committed, and setting a value aside in sync_deferred.
 */

import type Database from 'better-sqlite3';

import { formatHlc, parseHlc } from '../../shared/sync/hlc';
import type { DeferReason } from '../../shared/sync/status';

import { announceChanged, observeClock, type Device } from '../changes';
import { prepare } from '../prepared';
import type { Db } from '../client';
import { unsentClocks, type UnsentClocks } from '../repositories/sync';

export interface ApplyResult {
  /** Rows inserted or whose values changed. */
  rows: number;
  /** Enterprises removed from this device because they left the account's city. */
  removed: number;
  /** New conflict records. */
  conflicts: number;
  /** Field values set aside in sync_deferred by this call. */
  deferred: number;
  /** Deferred values that could be applied now. */
  replayed: number;
  /** Tables whose rows changed (for data.changed). */
  tables: string[];
}

/** Announces the tables an applied page, bundle or replay changed, once it has committed. */
export function announced<T extends ApplyResult>(db: Db, result: T): T {
  announceChanged(db, result.tables);
  return result;
}

export function nodeOf(s: Session, stamp: string): string {
  if (s.node.stamp !== stamp) s.node = { stamp, node: parseHlc(stamp).node };
  return s.node.node;
}

export interface Session {
  readonly sqlite: Database.Database;
  readonly device: Device;
  readonly now: number;
  readonly unsent: UnsentClocks;
  source: string;
  holdFinalize: boolean;
  maxClock: string;
  /** The last stamp found well-formed, and its node: a row's fields mostly share one stamp. */
  validClock: string | null;
  node: { stamp: string; node: string };
  /** Whether sync_deferred may hold anything (false: a row's waiting fields need no lookup). */
  anyDeferred: boolean;
  rows: number;
  removed: number;
  conflicts: number;
  deferred: number;
  replayed: number;
  readonly tables: Set<string>;
}

export function openSession(
  db: Db,
  device: Device,
  source: string,
  holdFinalize: boolean,
): Session {
  return {
    sqlite: db.sqlite,
    device,
    now: device.now(),
    unsent: unsentClocks(db, device.deviceId),
    source,
    holdFinalize,
    maxClock: '',
    validClock: null,
    node: { stamp: '', node: '' },
    anyDeferred: prepare(db.sqlite, 'SELECT 1 FROM sync_deferred LIMIT 1').get() !== undefined,
    rows: 0,
    removed: 0,
    conflicts: 0,
    deferred: 0,
    replayed: 0,
    tables: new Set(),
  };
}

export function defer(
  s: Session,
  table: string,
  rowId: string,
  field: string,
  value: unknown,
  clock: string,
  reason: DeferReason,
): void {
  // One value per field, the newest; an equal clock is the same value seen again (its reason
  // may have changed: a missing parent that arrived, a column an upgrade added…).
  const changes = prepare(
    s.sqlite,
    `INSERT INTO sync_deferred (table_name, row_id, field, value, clock, reason, source, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(table_name, row_id, field) DO UPDATE SET value = excluded.value, clock = excluded.clock,
       reason = excluded.reason, source = excluded.source, created_at = excluded.created_at
     WHERE excluded.clock >= sync_deferred.clock`,
  ).run(table, rowId, field, JSON.stringify(value ?? null), clock, reason, s.source, s.now).changes;
  s.deferred += changes;
  s.anyDeferred = true;
}

export function finish(db: Db, s: Session, observeLimit: number | null): ApplyResult {
  if (s.maxClock) {
    let stamp = s.maxClock;
    if (observeLimit !== null && parseHlc(stamp).wallMs > observeLimit) {
      stamp = formatHlc({ wallMs: observeLimit, counter: 0, node: s.device.deviceId });
    }
    observeClock(db.sqlite, s.device.deviceId, stamp);
  }
  return {
    rows: s.rows,
    removed: s.removed,
    conflicts: s.conflicts,
    deferred: s.deferred,
    replayed: s.replayed,
    tables: [...s.tables].sort(),
  };
}
