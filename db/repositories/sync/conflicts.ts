/**
 * Conflicts: concurrent edits of the same field, recorded with both values until the user settles
 * them.
 */

import type Database from 'better-sqlite3';

import type { SyncConflictInfo } from '../../../shared/sync/status';
import { prepare } from '../../prepared';
import type { Db } from '../../client';
import { isSyncedTable, tableInfo } from '../../synced-tables';

import { num, numOrNull, oneOf, rowOf, rowsOf, text, textOrNull, type SqlRow } from './rows';

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

function conflictSql(r: SqlRow): ConflictSql {
  return {
    id: text(r, 'id'),
    table_name: text(r, 'table_name'),
    row_id: text(r, 'row_id'),
    field: text(r, 'field'),
    local_value: text(r, 'local_value'),
    local_clock: text(r, 'local_clock'),
    remote_value: text(r, 'remote_value'),
    remote_clock: text(r, 'remote_clock'),
    winner: oneOf(r, 'winner', ['local', 'remote']),
    source: text(r, 'source'),
    created_at: num(r, 'created_at'),
    resolved_at: numOrNull(r, 'resolved_at'),
    resolution: textOrNull(r, 'resolution'),
  };
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
  return rowsOf(
    prepare(
      db.sqlite,
      'SELECT * FROM sync_conflicts WHERE resolved_at IS NULL ORDER BY created_at, id',
    ).all(),
    conflictSql,
  ).map(toConflict);
}

export function listAllConflicts(db: Db): ConflictRow[] {
  return rowsOf(
    prepare(db.sqlite, 'SELECT * FROM sync_conflicts ORDER BY created_at, id').all(),
    conflictSql,
  ).map(toConflict);
}

export function getConflict(db: Db, id: string): ConflictRow | undefined {
  const r = rowOf(
    prepare(db.sqlite, 'SELECT * FROM sync_conflicts WHERE id = ?').get(id),
    conflictSql,
  );
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
