/**
 * Deferred remote values: values this version cannot apply yet (an unknown column, a row whose
 * parent has not arrived…), counted and listed with labels for the user.
 */

import {
  DEFER_REASONS,
  type DeferredPage,
  type DeferredRowInfo,
  type DeferredValueInfo,
} from '../../../shared/sync/status';
import { prepare } from '../../prepared';
import type { Db } from '../../client';
import { isSyncedTable, tableInfo } from '../../synced-tables';

import { num, oneRow, rowOf, rowsOf, text, type SqlRow } from './rows';

export interface DeferredCounts {
  total: number;
  byReason: Record<string, number>;
}

export function countDeferred(db: Db): DeferredCounts {
  const rows = rowsOf(
    prepare(db.sqlite, 'SELECT reason, count(*) AS n FROM sync_deferred GROUP BY reason').all(),
    (r) => ({ reason: text(r, 'reason'), n: num(r, 'n') }),
  );
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

function deferredSql(r: SqlRow): DeferredSql {
  return {
    field: text(r, 'field'),
    value: text(r, 'value'),
    clock: text(r, 'clock'),
    reason: text(r, 'reason'),
    source: text(r, 'source'),
    created_at: num(r, 'created_at'),
  };
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
      const r = rowOf(
        prepare(db.sqlite, `SELECT "${column.name}" AS v FROM "${info.sqlName}" WHERE id = ?`).get(
          rowId,
        ),
        (row) => ({ v: row.v }),
      );
      if (r && r.v !== null) return r.v;
    }
  }
  const d = rowOf(
    prepare(
      db.sqlite,
      'SELECT value FROM sync_deferred WHERE table_name = ? AND row_id = ? AND field = ?',
    ).get(table, rowId, field),
    (row) => ({ value: text(row, 'value') }),
  );
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
  const counts = oneRow(
    prepare(
      db.sqlite,
      `SELECT count(*) AS rows, coalesce(sum(n), 0) AS "values"
       FROM (SELECT count(*) AS n FROM sync_deferred GROUP BY table_name, row_id)`,
    ).get(),
    (r) => ({ rows: num(r, 'rows'), values: num(r, 'values') }),
  );
  const keys = rowsOf(
    prepare(
      db.sqlite,
      `SELECT table_name, row_id, max(created_at) AS created_at, max(clock) AS clock
       FROM sync_deferred GROUP BY table_name, row_id
      ORDER BY created_at DESC, clock DESC, table_name, row_id LIMIT ? OFFSET ?`,
    ).all(query.limit, query.offset),
    (r) => ({
      table_name: text(r, 'table_name'),
      row_id: text(r, 'row_id'),
      created_at: num(r, 'created_at'),
      clock: text(r, 'clock'),
    }),
  );
  const fieldsOf = prepare(
    db.sqlite,
    `SELECT field, value, clock, reason, source, created_at FROM sync_deferred
      WHERE table_name = ? AND row_id = ? ORDER BY field`,
  );
  const rows = keys.map((k): DeferredRowInfo => {
    const fields = rowsOf(fieldsOf.all(k.table_name, k.row_id), deferredSql).map(
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
