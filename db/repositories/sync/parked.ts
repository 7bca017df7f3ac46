/**
 * Parked ops: ops the central store refused to apply, listed with the reason until the user sends
 * them again (as new ops) or discards them.
 */

import { appendOps, type Device, type Op, type RequeuedOp } from '../../changes';
import { prepare } from '../../prepared';
import type { Db } from '../../client';

import { num, numOrNull, oneOf, rowOf, rowsOf, text, textOrNull, type SqlRow } from './rows';
import { isSyncedTable } from '../../synced-tables';

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

const PARKED_STATUSES: readonly ParkedStatus[] = [
  'parked',
  'retrying',
  'discarded',
  'accepted',
  'replaced',
];

function parkedSql(r: SqlRow): ParkedSql {
  return {
    op_id: text(r, 'op_id'),
    seq: num(r, 'seq'),
    table_name: text(r, 'table_name'),
    row_id: text(r, 'row_id'),
    reason: text(r, 'reason'),
    parked_at: num(r, 'parked_at'),
    status: oneOf(r, 'status', PARKED_STATUSES),
    retry_seq: numOrNull(r, 'retry_seq'),
    updated_at: num(r, 'updated_at'),
    values: textOrNull(r, 'values'),
    hlc: textOrNull(r, 'hlc'),
    base_clocks: textOrNull(r, 'base_clocks'),
  };
}

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
  return rowsOf(
    prepare(
      db.sqlite,
      `${PARKED_SELECT} WHERE p.status IN ('parked', 'retrying') ORDER BY p.seq`,
    ).all(),
    parkedSql,
  ).map(toParked);
}

export function listParked(db: Db, opIds: readonly string[]): ParkedRow[] {
  const stmt = prepare(db.sqlite, `${PARKED_SELECT} WHERE p.op_id = ?`);
  return opIds.flatMap((id) => {
    const r = rowOf(stmt.get(id), parkedSql);
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
