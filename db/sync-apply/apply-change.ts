/**
 * Applying one remote change (one row's fields with their clocks): each field checked, set aside
 * when it cannot apply, the rest planned and written; a visit's finalization held back until the
 * pull is complete.
 */

import { isHlc } from '../../shared/sync/hlc';
import { EVERY_FIELD, type SyncChange } from '../../shared/sync/protocol';
import type { DeferReason } from '../../shared/sync/status';
import { textProblem, valueTextProblem } from '../../shared/text';

import { INSERT_CLOCK } from '../changes';
import { prepare } from '../prepared';
import { insertConflict } from '../repositories/sync';
import { isSyncedTable, tableInfo, type TableInfo } from '../synced-tables';

import { planRow, type FieldChange, type Row } from './plan';
import { defer, type Session } from './session';
import { RESERVED } from './tables';
import { contentProblem, own, validValue } from './values';

const SQLITE_REASONS: Record<string, DeferReason> = {
  SQLITE_CONSTRAINT_FOREIGNKEY: 'parent_missing',
  SQLITE_CONSTRAINT_NOTNULL: 'incomplete',
  SQLITE_CONSTRAINT_TRIGGER: 'immutable',
  SQLITE_CONSTRAINT_UNIQUE: 'duplicate',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'duplicate',
  SQLITE_CONSTRAINT_CHECK: 'invalid',
};

/**
 * A field's clock in a change: its own, or the one of every field when that is all the clocks
 * hold (compact clocks, the only form the store sends); undefined when it has none, or one that
 * is not text.
 */
function clocksOf(change: SyncChange): (field: string) => string | undefined {
  const clocks = change.clocks as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const keys = Object.keys(clocks);
  const every =
    keys.length === 1 && keys[0] === EVERY_FIELD ? text(clocks[EVERY_FIELD]) : undefined;
  return (field) => (own(clocks, field) ? text(clocks[field]) : every);
}

/** Applies one remote change (one row's fields with their clocks). */
export function applyChange(s: Session, change: SyncChange): void {
  const fields = Object.entries(change.values);
  const clockOf = clocksOf(change);
  // Each field's clock checked once: a first pull checks a million of them.
  const valid = new Set<string>();
  for (const [field] of fields) {
    const clock = clockOf(field);
    if (clock !== undefined && (clock === s.validClock || isHlc(clock))) {
      s.validClock = clock;
      valid.add(field);
      if (clock > s.maxClock) s.maxClock = clock;
    }
  }
  if (!isSyncedTable(change.table)) {
    for (const [field, value] of fields) {
      const clock = clockOf(field);
      defer(
        s,
        change.table,
        change.rowId,
        field,
        value,
        clock !== undefined && isHlc(clock) ? clock : '',
        'unknown_table',
      );
    }
    return;
  }
  const info = tableInfo(change.table);
  // A row id that is not well-formed text, or a ruleset that is not what its id names: nothing
  // of the change is applied.
  const refused =
    textProblem(change.rowId) !== null
      ? 'bad_text'
      : contentProblem(info.name, change.rowId, change.values) !== null
        ? 'forged'
        : null;
  const known: FieldChange[] = [];
  let offered = 0;
  for (const [field, value] of fields) {
    if (RESERVED.has(field)) continue;
    offered++;
    const clock = clockOf(field);
    if (!valid.has(field) || clock === undefined) {
      defer(s, info.name, change.rowId, field, value, clock ?? '', 'invalid');
      continue;
    }
    if (refused !== null) {
      defer(s, info.name, change.rowId, field, value, clock, refused);
      continue;
    }
    const column = info.syncedFieldSet.has(field) ? info.columns.get(field) : undefined;
    if (textProblem(field) !== null) {
      defer(s, info.name, change.rowId, field, value, clock, 'bad_text');
    } else if (!column) {
      defer(s, info.name, change.rowId, field, value, clock, 'unknown_field');
    } else if (!validValue(column, value)) {
      defer(s, info.name, change.rowId, field, value, clock, 'invalid');
    } else if (valueTextProblem(info.name, field, value) !== null) {
      defer(s, info.name, change.rowId, field, value, clock, 'bad_text');
    } else {
      known.push({ field, column, value, clock });
    }
  }
  if (known.length === 0) return;

  const placeholders: Row = {};
  const apply = holdFinalization(s, info, change.rowId, known, placeholders);
  if (apply.length === 0) return;

  const whole = apply.length === offered;
  const plan = planRow(s, info, change.rowId, apply, placeholders, whole);
  if (!plan) return;
  try {
    const write = plan.write;
    if (plan.conflicts.length === 0) {
      // One statement: SQLite undoes all of it when it is refused.
      write?.run(...plan.args);
    } else {
      // A savepoint: a refused write leaves nothing of itself, not even its conflict records.
      s.sqlite.transaction(() => {
        write?.run(...plan.args);
        let fresh = 0;
        for (const c of plan.conflicts) {
          if (insertConflict(s.sqlite, s.device.newId(), c, s.now)) fresh++;
        }
        s.conflicts += fresh;
      })();
    }
  } catch (e) {
    const reason = SQLITE_REASONS[(e as { code?: string }).code ?? ''];
    if (!reason) throw e;
    // A refused write that would have changed no value (only clocks) loses nothing.
    if (reason === 'immutable' && plan.valueFields.length === 0) return;
    const kept = reason === 'immutable' ? plan.valueFields : apply;
    for (const f of kept) defer(s, info.name, change.rowId, f.field, f.value, f.clock, reason);
    return;
  }
  if (plan.kind === 'insert' || plan.valueFields.length > 0) {
    s.rows++;
    s.tables.add(info.name);
  }
}

/**
 * While a pull is not finished, a visit's finalization (status → finalized, and its time) is
 * set aside; the rest of the change applies now. Returns the fields to apply now.
 */
function holdFinalization(
  s: Session,
  info: TableInfo,
  rowId: string,
  known: FieldChange[],
  placeholders: Row,
): FieldChange[] {
  if (!s.holdFinalize || info.name !== 'inspections') return known;
  const status = known.find((f) => f.field === 'status');
  if (!status || status.value !== 'finalized') return known;
  const current = prepare(
    s.sqlite,
    'SELECT status, field_clocks FROM inspections WHERE id = ?',
  ).get(rowId) as { status: string; field_clocks: string } | undefined;
  if (current?.status === 'finalized') return known;
  if (current) {
    const clocks = JSON.parse(current.field_clocks) as Record<string, string>;
    const local = clocks.status ?? clocks[INSERT_CLOCK] ?? null;
    if (local !== null && status.clock <= local) return known;
  } else {
    placeholders.status = 'draft';
  }
  const held = new Set(['status', 'finalizedAt']);
  for (const f of known) {
    if (held.has(f.field)) defer(s, info.name, rowId, f.field, f.value, f.clock, 'finalize');
  }
  return known.filter((f) => !held.has(f.field));
}
