/**
 * Planning one row: what writing these remote field values means (an insert or an update, its
 * statement and arguments), and the conflicts to record where both sides changed a field.
 */

import type Database from 'better-sqlite3';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

import { fromSql, INSERT_CLOCK, toSql, type SqlValue } from '../changes';
import { prepare, prepareAs } from '../prepared';
import { bothChanged, type NewConflict } from '../repositories/sync';
import type { TableInfo } from '../synced-tables';

import { conflict } from './conflicts';
import { nodeOf, type Session } from './session';
import { QUIET_TABLES } from './tables';
import { normalized } from './values';

export interface FieldChange {
  field: string;
  column: SQLiteColumn;
  value: unknown;
  clock: string;
}

export type Row = Record<string, unknown>;

interface Plan {
  kind: 'insert' | 'update';
  /** The write; null: the row keeps every value (only conflicts to record). */
  write: Database.Statement | null;
  args: SqlValue[];
  /** Fields whose value the write changes. */
  valueFields: FieldChange[];
  conflicts: NewConflict[];
}

/**
 * What writing these field values to the row means: the statement, and the conflicts.
 * `whole`: the fields are all the change carried (none set aside or held back).
 */
export function planRow(
  s: Session,
  info: TableInfo,
  rowId: string,
  fields: FieldChange[],
  placeholders: Row,
  whole: boolean,
): Plan | null {
  // Statements by a short key, prepared once per connection (a first pull runs the same few
  // 100,000 times).
  const current = prepareAs(
    s.sqlite,
    `select\u0001${info.name}`,
    () => `SELECT * FROM "${info.sqlName}" WHERE id = ?`,
  ).get(rowId) as Row | undefined;
  const quiet = QUIET_TABLES.has(info.name);
  if (!current) {
    const clocks: Record<string, string> = {};
    let updatedAt = '';
    const cols: SQLiteColumn[] = [];
    const args: SqlValue[] = [rowId];
    let key = `insert\u0001${info.name}`;
    for (const f of fields) {
      cols.push(f.column);
      key += `\u0001${f.field}`;
      args.push(toSql(f.column, f.value));
      clocks[f.field] = f.clock;
      if (f.clock > updatedAt) updatedAt = f.clock;
    }
    // A placeholder holds a required column whose remote value is held back (a finalization):
    // it has no clock, so the held value wins when it is released.
    for (const [field, value] of Object.entries(placeholders)) {
      const column = info.columns.get(field) as SQLiteColumn;
      cols.push(column);
      key += `\u0002${field}`;
      args.push(toSql(column, value));
    }
    // A row written once (all of a first pull but its later edits) keeps its clock as the device
    // that made it does (db/changes.ts): one insert clock, not one copy per field — a third of
    // the bytes. Not when a field was set aside: replayed later under the same clock, it must
    // not lose to the insert clock.
    // Nor when a field of the row still waits (set aside by an earlier change, the rest of the
    // row arriving now through replay): it too comes back under this clock.
    const single =
      whole &&
      fields.every((f) => f.clock === updatedAt) &&
      (!s.anyDeferred ||
        prepare(
          s.sqlite,
          'SELECT 1 FROM sync_deferred WHERE table_name = ? AND row_id = ? LIMIT 1',
        ).get(info.name, rowId) === undefined);
    args.push(
      updatedAt,
      nodeOf(s, updatedAt),
      single ? `{"${INSERT_CLOCK}":${JSON.stringify(updatedAt)}}` : JSON.stringify(clocks),
    );
    const sql = () =>
      `INSERT INTO "${info.sqlName}" (id, ${cols.map((c) => `"${c.name}"`).join(', ')}, updated_at, updated_by, field_clocks) ` +
      `VALUES (?${', ?'.repeat(cols.length)}, ?, ?, ?)`;
    return {
      kind: 'insert',
      // Prepared once per connection for each set of columns.
      write: prepareAs(s.sqlite, key, sql),
      args,
      valueFields: fields,
      conflicts: [],
    };
  }
  const clocks = JSON.parse(
    typeof current.field_clocks === 'string' ? current.field_clocks : '{}',
  ) as Record<string, string>;
  const set: FieldChange[] = [];
  const conflicts: NewConflict[] = [];
  let clocksChanged = false;
  let updatedAt = typeof current.updated_at === 'string' ? current.updated_at : '';
  for (const f of fields) {
    const local = clocks[f.field] ?? clocks[INSERT_CLOCK] ?? null;
    const localValue = fromSql(f.column, current[f.column.name]);
    const remoteValue = normalized(f.column, f.value);
    const same = localValue === remoteValue;
    if (local !== null && f.clock <= local) {
      if (
        f.clock < local &&
        !same &&
        !quiet &&
        bothChanged(s.unsent, info.name, rowId, f.field, local, f.clock)
      ) {
        conflicts.push(conflict(info, rowId, f, localValue, local, remoteValue, 'local', s));
      }
      continue;
    }
    if (!same) {
      if (
        local !== null &&
        !quiet &&
        bothChanged(s.unsent, info.name, rowId, f.field, local, f.clock)
      ) {
        conflicts.push(conflict(info, rowId, f, localValue, local, remoteValue, 'remote', s));
      }
      set.push(f);
    }
    clocks[f.field] = f.clock;
    clocksChanged = true;
    if (f.clock > updatedAt) updatedAt = f.clock;
  }
  if (set.length === 0 && !clocksChanged) {
    return conflicts.length > 0
      ? { kind: 'update', write: null, args: [], valueFields: [], conflicts }
      : null;
  }
  const assignments = set.map((f) => `"${f.column.name}" = ?`);
  const args: SqlValue[] = set.map((f) => toSql(f.column, f.value));
  assignments.push('field_clocks = ?', 'updated_at = ?', 'updated_by = ?');
  args.push(JSON.stringify(clocks), updatedAt, nodeOf(s, updatedAt), rowId);
  return {
    kind: 'update',
    write: prepare(s.sqlite, `UPDATE "${info.sqlName}" SET ${assignments.join(', ')} WHERE id = ?`),
    args,
    valueFields: set,
    conflicts,
  };
}
