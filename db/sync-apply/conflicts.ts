/**
 * Conflict records: one noticed here while planning a row, and one the central store reports (a
 * value of this device that lost on the server).
 */

import { isHlc } from '../../shared/sync/hlc';
import type { ServerConflict } from '../../shared/sync/protocol';

import { fromSql } from '../changes';
import { prepare } from '../prepared';
import { insertConflict, type NewConflict } from '../repositories/sync';
import { isSyncedTable, tableInfo, type TableInfo } from '../synced-tables';

import type { FieldChange, Row } from './plan';
import type { Session } from './session';

export function conflict(
  info: TableInfo,
  rowId: string,
  f: FieldChange,
  localValue: unknown,
  localClock: string,
  remoteValue: unknown,
  winner: 'local' | 'remote',
  s: Session,
): NewConflict {
  return {
    table: info.name,
    rowId,
    field: f.field,
    localValue,
    localClock,
    remoteValue,
    remoteClock: f.clock,
    winner,
    source: s.source,
  };
}

/**
 * A value of this device that lost on the server: kept beside the value that won (the row's
 * current one here; the page's changes are applied first), as a conflict this device's user sees
 * and resolves. The same clash noticed here as well is the same record (same pair of clocks).
 */
export function recordServerConflict(s: Session, lost: ServerConflict): void {
  if (!isHlc(lost.losingClock) || !isHlc(lost.winningClock)) return;
  let winning: unknown = null;
  if (isSyncedTable(lost.table)) {
    const info = tableInfo(lost.table);
    const column = info.columns.get(lost.field);
    const current = column
      ? (prepare(s.sqlite, `SELECT * FROM "${info.sqlName}" WHERE id = ?`).get(lost.rowId) as
          Row | undefined)
      : undefined;
    if (column && current) winning = fromSql(column, current[column.name]);
  }
  const recorded = insertConflict(
    s.sqlite,
    s.device.newId(),
    {
      table: lost.table,
      rowId: lost.rowId,
      field: lost.field,
      localValue: lost.losingValue,
      localClock: lost.losingClock,
      remoteValue: winning,
      remoteClock: lost.winningClock,
      winner: 'remote',
      source: 'server',
    },
    s.now,
  );
  if (recorded) s.conflicts++;
}
