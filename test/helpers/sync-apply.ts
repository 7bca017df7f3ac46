/**
 * Helpers of the tests of db/sync-apply (test/db/sync-apply/): the remote changes and pages they
 * apply, a row as stored, acknowledging every op, and the devices a test opens (closed after each).
 */

import { afterEach } from 'vitest';

import { listOutbox } from '../../db/repositories/device';
import { recordPushOutcome } from '../../db/repositories/sync';
import type { PullPage } from '../../db/sync-apply';
import type { AppContext } from '../../electron/services/context';
import type { SyncChange } from '../../shared/sync/protocol';

import { closeAppContext, createDevice, SharedClock } from './sync';

export const T = Date.UTC(2026, 10, 28, 3, 0, 0);
export const REMOTE = '0190ffff-0000-7000-8000-000000000001';
export const E1 = '0190ffff-0000-7000-8000-0000000000e1';
export const E2 = '0190ffff-0000-7000-8000-0000000000e2';

export function enterprise(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '宁夏瑞泰水泥有限公司',
    cityCode: '6401',
    countyCode: '640104',
    createdAt: T,
    ...over,
  };
}

/** A change with every field under one clock. */
export function change(
  table: string,
  rowId: string,
  values: Record<string, unknown>,
  clock: string,
): SyncChange {
  return {
    table,
    rowId,
    values,
    clocks: Object.fromEntries(Object.keys(values).map((k) => [k, clock])),
  };
}

export function page(changes: SyncChange[], cursor = '1', more = false): PullPage {
  return { changes, cursor, more };
}

export function row(
  ctx: AppContext,
  table: string,
  id: string,
): Record<string, unknown> | undefined {
  return ctx.db.sqlite.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as
    Record<string, unknown> | undefined;
}

/** The server acknowledged every op so far. */
export function acknowledgeAll(ctx: AppContext): void {
  const sent = listOutbox(ctx.db, 0, 1_000_000);
  recordPushOutcome(
    ctx.db,
    { sent, accepted: sent.map((o) => o.opId), parked: [], lastSeq: sent.at(-1)?.seq ?? 0 },
    T,
  );
}

/** Opens devices for the tests of a describe, and closes them after each test. */
export function deviceOpener(): {
  device: (n?: number, clock?: SharedClock) => AppContext;
  opened: AppContext[];
} {
  const opened: AppContext[] = [];
  const device = (n = 1, clock = new SharedClock()) => {
    const ctx = createDevice(n, clock);
    opened.push(ctx);
    return ctx;
  };
  afterEach(() => {
    for (const c of opened.splice(0)) closeAppContext(c);
  });
  return { device, opened };
}
