import crypto from 'node:crypto';

import type Database from 'better-sqlite3';
import { getTableName } from 'drizzle-orm';
import { getTableConfig, type SQLiteColumn } from 'drizzle-orm/sqlite-core';

import { pinnedRulesetProblem } from '../shared/canonical-json';
import { formatHlc, isHlc, parseHlc } from '../shared/sync/hlc';
import {
  EVERY_FIELD,
  type ServerConflict,
  type SyncChange,
  type SyncOp,
} from '../shared/sync/protocol';
import { DEFER_REASONS, type DeferReason } from '../shared/sync/status';
import { textProblem, valueTextProblem } from '../shared/text';

import {
  announceChanged,
  fromSql,
  INSERT_CLOCK,
  isBoolean,
  observeClock,
  prepare,
  toSql,
  type Device,
  type SqlValue,
} from './changes';
import type { Db } from './client';
import { pauseSearchIndex, resumeSearchIndex } from './repositories/enterprises';
import {
  deleteSubtree,
  dropScopeExit,
  enterpriseSubtree,
  keepScopeExit,
  rowsWithUnsentOps,
  waitingScopeExits,
  importedOpIds,
  insertConflict,
  bothChanged,
  recordImportedOp,
  unsentClocks,
  writeSyncSettings,
  type NewConflict,
  type UnsentClocks,
} from './repositories/sync';
import {
  isSyncedTable,
  syncedTables,
  tableInfo,
  type SyncedTableName,
  type TableInfo,
} from './synced-tables';

/**
 * Applying remote changes (pulled from the central store, or read from another device's USB
 * bundle) to the local rows — the one place that writes synced tables outside db/changes.ts.
 *
 * - Field by field, last writer by hybrid clock wins against the row's fieldClocks. Stamps end
 *   with their device id, so equal wall time and counter still order deterministically (and an
 *   equal stamp is the same write, seen again).
 * - A remote change is not a local edit: it writes no op to the outbox. It updates the row's
 *   fieldClocks, updatedAt and updatedBy, through plain INSERT/UPDATE, so the search-index
 *   triggers follow as for any write; the device's clock moves past every stamp it saw.
 * - When both sides changed a field (the local value's op is not yet acknowledged by the central
 *   store, or was parked by it) and the values differ, the losing value goes to sync_conflicts.
 * - Nothing is dropped. What cannot be applied yet goes to sync_deferred, one value per field
 *   (the newest): fields and tables this version does not have (replayed once an upgrade adds
 *   them), rows whose parent has not arrived, new rows missing a required field, changes the
 *   immutability triggers refuse (a finalized visit), rows a unique index refuses.
 * - Nor is what must never be applied: text that is not well-formed (shared/text.ts), and a
 *   content-addressed ruleset whose content is not what its id (SHA-256) names. Those are set
 *   aside too ('bad_text', 'forged'), never replayed, and the 同步 screen says why.
 * - A visit's finalization is held back until the last page of a pull: the rows of the visit
 *   may arrive after it (pages follow the server's order, not the order they were written), and
 *   the triggers of migration 0003 would refuse them under a finalized visit.
 * - The caller runs everything of one page (or one bundle) in ONE transaction, with the cursor.
 */

export type { DeferReason };

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
function announced<T extends ApplyResult>(db: Db, result: T): T {
  announceChanged(db, result.tables);
  return result;
}

/** Columns an op never carries: the row id and the sync bookkeeping. */
const RESERVED = new Set(['id', 'updatedAt', 'updatedBy', 'fieldClocks']);

/**
 * Content-addressed rows: two devices writing the same file or ruleset write the same content;
 * the only fields that can differ (createdAt, importedAt) are not worth a conflict record.
 */
const QUIET_TABLES: ReadonlySet<string> = new Set(['rulesets', 'pinned_rulesets', 'attachments']);

/** Synced tables ordered parents first (by their foreign keys), so a page applies in order. */
let order: Map<string, number> | null = null;

function tableOrder(): Map<string, number> {
  if (order) return order;
  const bySqlName = new Map<string, SyncedTableName>();
  for (const name of Object.keys(syncedTables) as SyncedTableName[]) {
    bySqlName.set(getTableName(syncedTables[name]), name);
  }
  const result = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: SyncedTableName) => {
    if (result.has(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const fk of getTableConfig(syncedTables[name]).foreignKeys) {
      const target = bySqlName.get(getTableName(fk.reference().foreignTable));
      if (target && target !== name) visit(target);
    }
    visiting.delete(name);
    result.set(name, result.size);
  };
  for (const name of Object.keys(syncedTables) as SyncedTableName[]) visit(name);
  order = result;
  return result;
}

function byTableOrder<T extends { table: string }>(items: readonly T[]): T[] {
  const o = tableOrder();
  const rank = (t: string) => o.get(t) ?? o.size;
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item.table) - rank(b.item.table) || a.i - b.i)
    .map((x) => x.item);
}

const own = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** Content-addressed rulesets: the row id is the SHA-256 of `json`, checked on arrival. */
const CONTENT_ADDRESSED: ReadonlySet<string> = new Set(['rulesets', 'pinned_rulesets']);

function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

export { valueTextProblem };

/**
 * Why a change of a content-addressed ruleset (rulesets, pinned_rulesets) carries content that is
 * not what its id names, in Chinese, or null (other tables, or no content in the change).
 */
export function contentProblem(
  table: string,
  rowId: string,
  values: Record<string, unknown>,
): string | null {
  if (!CONTENT_ADDRESSED.has(table) || !own(values, 'json')) return null;
  return pinnedRulesetProblem(rowId, values.json, sha256Hex);
}

function validValue(column: SQLiteColumn, value: unknown): boolean {
  if (value === null) return true;
  if (isBoolean(column)) return typeof value === 'boolean' || value === 0 || value === 1;
  switch (column.columnType) {
    case 'SQLiteText':
      return typeof value === 'string';
    case 'SQLiteInteger':
    case 'SQLiteTimestamp':
      return typeof value === 'number' && Number.isSafeInteger(value);
    default:
      return typeof value === 'number' && Number.isFinite(value);
  }
}

/** The value as a synced row holds it (what fromSql gives back), for comparing. */
function normalized(column: SQLiteColumn, value: unknown): unknown {
  return fromSql(column, toSql(column, value));
}

/** A statement prepared once per session under a short key (its SQL built only then). */
function statement(s: Session, key: string, sql: () => string): Database.Statement {
  let stmt = s.statements.get(key);
  if (!stmt) {
    stmt = prepare(s.sqlite, sql());
    s.statements.set(key, stmt);
  }
  return stmt;
}

function nodeOf(s: Session, stamp: string): string {
  if (s.node.stamp !== stamp) s.node = { stamp, node: parseHlc(stamp).node };
  return s.node.node;
}

interface Session {
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
  /** Statements by a short key (a first pull prepares the same few 100,000 times). */
  readonly statements: Map<string, Database.Statement>;
  rows: number;
  removed: number;
  conflicts: number;
  deferred: number;
  replayed: number;
  readonly tables: Set<string>;
}

function openSession(db: Db, device: Device, source: string, holdFinalize: boolean): Session {
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
    statements: new Map(),
    rows: 0,
    removed: 0,
    conflicts: 0,
    deferred: 0,
    replayed: 0,
    tables: new Set(),
  };
}

function defer(
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

interface FieldChange {
  field: string;
  column: SQLiteColumn;
  value: unknown;
  clock: string;
}

type Row = Record<string, unknown>;

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
function planRow(
  s: Session,
  info: TableInfo,
  rowId: string,
  fields: FieldChange[],
  placeholders: Row,
  whole: boolean,
): Plan | null {
  const current = statement(
    s,
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
      // Prepared once per session for each set of columns.
      write: statement(s, key, sql),
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

function conflict(
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
function applyChange(s: Session, change: SyncChange): void {
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
 * An enterprise left the account's city: its copy here goes, with everything under it — unless
 * a local change to any of those rows still waits for the central store (unsent or parked): the
 * exit then waits too (sync_scope_exits) and is tried again after each sync run.
 */
function leaveScope(db: Db, s: Session, enterpriseId: string): void {
  const subtree = enterpriseSubtree(db, enterpriseId);
  if (subtree.length === 0) {
    dropScopeExit(db, enterpriseId);
    return;
  }
  const unsent = rowsWithUnsentOps(db);
  if (subtree.some((r) => unsent.has(`${r.table}\u0001${r.id}`))) {
    keepScopeExit(db, enterpriseId, s.now);
    return;
  }
  try {
    // A savepoint: a removal SQLite refuses (a row the subtree query did not foresee) leaves
    // everything as it was, and the exit waits instead of failing the page over and over.
    s.sqlite.transaction(() => deleteSubtree(db, subtree))();
  } catch (e) {
    if (!String((e as { code?: string }).code ?? '').startsWith('SQLITE_CONSTRAINT')) throw e;
    keepScopeExit(db, enterpriseId, s.now);
    return;
  }
  dropScopeExit(db, enterpriseId);
  s.removed++;
  for (const r of subtree) s.tables.add(r.table);
}

/** Exits that waited for local changes: done now for those whose changes the store has. */
export function retryScopeExits(db: Db, device: Device): ApplyResult {
  return announced(
    db,
    db.sqlite
      .transaction(() => {
        const s = openSession(db, device, 'server', false);
        for (const enterpriseId of waitingScopeExits(db)) leaveScope(db, s, enterpriseId);
        return finish(db, s, null);
      })
      .immediate(),
  );
}

/**
 * A value of this device that lost on the server: kept beside the value that won (the row's
 * current one here; the page's changes are applied first), as a conflict this device's user sees
 * and resolves. The same clash noticed here as well is the same record (same pair of clocks).
 */
function recordServerConflict(s: Session, lost: ServerConflict): void {
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

/**
 * Tries the deferred values of these reasons again, row by row, until a round makes no progress
 * (a row waiting for a parent that waits for its own parent needs several rounds).
 */
function replay(s: Session, reasons: readonly DeferReason[]): void {
  if (reasons.length === 0) return;
  const marks = reasons.map(() => '?').join(', ');
  const select = prepare(
    s.sqlite,
    `SELECT table_name, row_id, field, value, clock, source FROM sync_deferred WHERE reason IN (${marks})`,
  );
  const remove = prepare(
    s.sqlite,
    'DELETE FROM sync_deferred WHERE table_name = ? AND row_id = ? AND field = ?',
  );
  const count = prepare(
    s.sqlite,
    `SELECT count(*) AS n FROM sync_deferred WHERE reason IN (${marks})`,
  );
  const source = s.source;
  for (let round = 0; round < 20; round++) {
    const entries = select.all(...reasons) as {
      table_name: string;
      row_id: string;
      field: string;
      value: string;
      clock: string;
      source: string;
    }[];
    if (entries.length === 0) break;
    const groups = new Map<string, SyncChange & { source: string }>();
    for (const e of entries) {
      remove.run(e.table_name, e.row_id, e.field);
      const key = `${e.table_name}\u0001${e.row_id}`;
      let g = groups.get(key);
      if (!g) {
        // Without a prototype: a field named __proto__ (a hostile page) stays a field.
        g = {
          table: e.table_name,
          rowId: e.row_id,
          values: Object.create(null) as Record<string, unknown>,
          clocks: Object.create(null) as Record<string, string>,
          source: e.source,
        };
        groups.set(key, g);
      }
      g.values[e.field] = JSON.parse(e.value) as unknown;
      g.clocks[e.field] = e.clock;
    }
    const deferredBefore = s.deferred;
    for (const g of byTableOrder([...groups.values()])) {
      s.source = g.source;
      applyChange(s, g);
    }
    s.source = source;
    // Re-deferred entries are not new: they were counted when first set aside.
    s.deferred = deferredBefore;
    const left = (count.get(...reasons) as { n: number }).n;
    s.replayed += Math.max(0, entries.length - left);
    if (left >= entries.length) break;
  }
}

function finish(db: Db, s: Session, observeLimit: number | null): ApplyResult {
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

/** Reasons worth another try after each page: what a later page may bring. */
const WAITING: readonly DeferReason[] = ['parent_missing', 'incomplete'];
/** Values no later version or state makes right: malformed, ill-formed text, forged content. */
const NEVER_REPLAYED: ReadonlySet<DeferReason> = new Set(['invalid', 'bad_text', 'forged']);
/** Every reason a later version or state may resolve. */
const ALL_REPLAYABLE: readonly DeferReason[] = DEFER_REASONS.filter((r) => !NEVER_REPLAYED.has(r));

export interface PullPage {
  changes: readonly SyncChange[];
  leftScope?: readonly string[] | undefined;
  conflicts?: readonly ServerConflict[] | undefined;
  cursor: string;
  more: boolean;
}

export interface PageOptions {
  /**
   * Runs last inside the page's transaction, just before it commits (tests throw here to
   * simulate a crash mid-apply: the page and its cursor then roll back together).
   */
  beforeCommit?: () => void;
}

/**
 * Applies one pull page and saves its cursor, in ONE IMMEDIATE transaction: a crash leaves the
 * previous rows and the previous cursor, never half a page. On the last page (`more` false) the
 * held finalizations are released and the search index, paused for the whole pull, catches up.
 */
export function applyPullPage(
  db: Db,
  device: Device,
  page: PullPage,
  options: PageOptions = {},
): ApplyResult {
  return announced(
    db,
    db.sqlite
      .transaction(() => {
        const s = openSession(db, device, 'server', true);
        // The search index waits for the whole pull (see migration 0009).
        pauseSearchIndex(db);
        // Exits first: an enterprise that left and came back arrives after its exit.
        for (const enterpriseId of page.leftScope ?? []) leaveScope(db, s, enterpriseId);
        for (const change of page.changes) {
          if (change.table === 'enterprises') dropScopeExit(db, change.rowId);
        }
        for (const change of byTableOrder(page.changes)) applyChange(s, change);
        for (const lost of page.conflicts ?? []) recordServerConflict(s, lost);
        replay(s, WAITING);
        if (!page.more) {
          s.holdFinalize = false;
          replay(s, ['finalize', ...WAITING]);
          resumeSearchIndex(db);
        }
        writeSyncSettings(db, { cursor: page.cursor });
        const result = finish(db, s, null);
        options.beforeCommit?.();
        return result;
      })
      .immediate(),
  );
}

/**
 * Tries every deferred value again (after an upgrade added columns or tables, or once the rows
 * a value waited for are here), in one transaction.
 */
export function replayDeferred(db: Db, device: Device): ApplyResult {
  return announced(
    db,
    db.sqlite
      .transaction(() => {
        const s = openSession(db, device, 'server', false);
        replay(s, ALL_REPLAYABLE);
        return finish(db, s, null);
      })
      .immediate(),
  );
}

/** The change an op makes: its values, each under the op's clock. */
export function opAsChange(op: Pick<SyncOp, 'table' | 'rowId' | 'values' | 'hlc'>): SyncChange {
  const clocks: Record<string, string> = {};
  for (const field of Object.keys(op.values)) clocks[field] = op.hlc;
  return { table: op.table, rowId: op.rowId, values: op.values, clocks };
}

export interface BundleApplyResult extends ApplyResult {
  /** Ops applied now. */
  applied: number;
  /** Ops this device had imported before (from an earlier import of the same bundle or another). */
  skipped: number;
}

/**
 * Applies another device's ops (from a USB bundle) as remote changes, in ONE transaction, each
 * op once: the op ids applied are kept per source device, so importing again changes nothing.
 * The device's clock moves past the ops' stamps, but never beyond `clockLimitMs` (a device
 * with a clock far ahead must not drag this one along).
 */
export function applyBundleOps(
  db: Db,
  device: Device,
  sourceDeviceId: string,
  ops: readonly SyncOp[],
  clockLimitMs: number,
): BundleApplyResult {
  return announced(
    db,
    db.sqlite
      .transaction(() => {
        const s = openSession(db, device, `bundle:${sourceDeviceId}`, true);
        const done = importedOpIds(
          db,
          sourceDeviceId,
          ops.map((o) => o.opId),
        );
        const fresh = ops.filter((o) => !done.has(o.opId));
        for (const op of [...fresh].sort((a, b) => a.seq - b.seq)) {
          applyChange(s, opAsChange(op));
          recordImportedOp(db, sourceDeviceId, op.opId, op.seq, s.now);
        }
        replay(s, WAITING);
        s.holdFinalize = false;
        replay(s, ['finalize', ...WAITING]);
        return {
          ...finish(db, s, clockLimitMs),
          applied: fresh.length,
          skipped: ops.length - fresh.length,
        };
      })
      .immediate(),
  );
}
