import type Database from 'better-sqlite3';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

import type { Clock, IdGenerator } from '../shared/ids';
import { formatHlc, nextHlc, parseHlc, type Hlc } from '../shared/sync/hlc';

import type { Db } from './client';
import { prepare } from './prepared';
import { tableInfo, type SyncedTableName, type TableInfo } from './synced-tables';

/**
 * THE chokepoint for writes to synced tables.
 *
 * Invariant: a row of a synced table changes only inside `writeChanges`, and every change is
 * recorded as an op in the outbox *in the same SQLite transaction*. A crash can lose a whole
 * write, never half of one, and never a write without its op — so sync can never miss a change.
 * The transaction is synchronous and IMMEDIATE: it takes the write lock first, so two processes
 * on one data folder (the app and the CLI) cannot hand out the same sequence number.
 */

/** One op: the new values of some fields of one row, stamped with one hybrid clock. */
export interface Op {
  opId: string;
  deviceId: string;
  seq: number;
  table: SyncedTableName;
  rowId: string;
  values: Record<string, unknown>;
  hlc: string;
}

export interface Device {
  readonly deviceId: string;
  readonly now: Clock;
  readonly newId: IdGenerator;
}

export type SqlValue = string | number | bigint | null | Buffer;
type Row = Record<string, unknown>;

const STATE_SEQ = 'lastSeq';
const STATE_HLC = 'lastHlc';
/** In `fieldClocks`, the clock of every field not written since the row was inserted. */
export const INSERT_CLOCK = '*';

export function isBoolean(column: SQLiteColumn): boolean {
  return column.columnType === 'SQLiteBoolean';
}

export function toSql(column: SQLiteColumn, value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (isBoolean(column)) return value ? 1 : 0;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    return value;
  }
  throw new TypeError(`cannot store ${typeof value} in ${column.name}`);
}

export function fromSql(column: SQLiteColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  return isBoolean(column) ? value === 1 || value === true : value;
}

function column(info: TableInfo, field: string): SQLiteColumn {
  const c = info.columns.get(field);
  if (!c || !info.syncedFieldSet.has(field)) {
    throw new TypeError(`${field} is not a synced field of ${info.name}`);
  }
  return c;
}

/** What one `writeChanges` call may do. It exists only for the duration of that call. */
export class ChangeSet {
  readonly #sqlite: Database.Database;
  readonly #device: Device;
  #seq: number;
  #hlc: Hlc | null;
  #open = true;
  readonly ops: Op[] = [];
  readonly #affected = new Set<string>();

  constructor(sqlite: Database.Database, device: Device, lastSeq: number, lastHlc: string | null) {
    this.#sqlite = sqlite;
    this.#device = device;
    this.#seq = lastSeq;
    this.#hlc = lastHlc === null ? null : parseHlc(lastHlc);
  }

  #record(
    table: SyncedTableName,
    rowId: string,
    values: Record<string, unknown>,
    base: Record<string, string | null> | null,
  ): string {
    if (!this.#open) throw new Error('ChangeSet used after its transaction ended');
    this.#hlc = nextHlc(this.#hlc, this.#device.now(), this.#device.deviceId);
    const hlc = formatHlc(this.#hlc);
    this.#seq += 1;
    const op: Op = {
      opId: this.#device.newId(),
      deviceId: this.#device.deviceId,
      seq: this.#seq,
      table,
      rowId,
      values,
      hlc,
    };
    prepare(
      this.#sqlite,
      'INSERT INTO outbox (seq, op_id, device_id, table_name, row_id, "values", hlc, base_clocks) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      op.seq,
      op.opId,
      op.deviceId,
      table,
      rowId,
      JSON.stringify(values),
      hlc,
      base === null ? null : JSON.stringify(base),
    );
    this.ops.push(op);
    return hlc;
  }

  /** Inserts a new row with these field values and records the op. Returns the row's clock. */
  insert(table: SyncedTableName, id: string, values: Row): string {
    const info = tableInfo(table);
    const fields: string[] = [];
    const opValues: Record<string, unknown> = {};
    for (const f in values) {
      const v = values[f];
      if (v === undefined) continue;
      fields.push(f);
      opValues[f] = v;
    }
    const { cols, stmt } = this.#insertPlan(info, fields);
    const hlc = this.#record(table, id, opValues, null);
    const args: SqlValue[] = [id];
    for (let i = 0; i < cols.length; i++)
      args.push(toSql(cols[i] as SQLiteColumn, opValues[fields[i] as string]));
    stmt.run(...args, hlc, this.#device.deviceId, `{"${INSERT_CLOCK}":"${hlc}"}`);
    return hlc;
  }

  #insertPlan(
    info: TableInfo,
    fields: string[],
  ): { cols: SQLiteColumn[]; stmt: Database.Statement } {
    const cols = fields.map((f) => column(info, f));
    const sql =
      `INSERT INTO "${info.sqlName}" (id, ${cols.map((c) => `"${c.name}"`).join(', ')}, updated_at, updated_by, field_clocks) ` +
      `VALUES (?${', ?'.repeat(cols.length)}, ?, ?, ?)`;
    return { cols, stmt: prepare(this.#sqlite, sql) };
  }

  /**
   * Sets these fields of an existing row. Only fields whose value really changes are written
   * and recorded; returns the changed field names (empty: nothing was written).
   */
  update(table: SyncedTableName, id: string, values: Row): string[] {
    const info = tableInfo(table);
    const current = prepare(this.#sqlite, `SELECT * FROM "${info.sqlName}" WHERE id = ?`).get(
      id,
    ) as Row | undefined;
    if (!current) throw new Error(`${table} ${id} does not exist`);
    const changed: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const c = column(info, field);
      if (fromSql(c, current[c.name]) !== (value ?? null)) changed[field] = value ?? null;
    }
    const fields = Object.keys(changed);
    if (fields.length === 0) return [];
    const stored = typeof current.field_clocks === 'string' ? current.field_clocks : '{}';
    const clocks = JSON.parse(stored) as Record<string, string>;
    // The clocks the edit replaces: sync tells a remote value this device had already seen
    // (no conflict) from one written meanwhile elsewhere (a conflict) by them.
    const base: Record<string, string | null> = {};
    for (const f of fields) base[f] = clocks[f] ?? clocks[INSERT_CLOCK] ?? null;
    const hlc = this.#record(table, id, changed, base);
    for (const f of fields) clocks[f] = hlc;
    const cols = fields.map((f) => column(info, f));
    const sql =
      `UPDATE "${info.sqlName}" SET ${cols.map((c) => `"${c.name}" = ?`).join(', ')}, ` +
      `updated_at = ?, updated_by = ?, field_clocks = ? WHERE id = ?`;
    prepare(this.#sqlite, sql).run(
      ...cols.map((c, i) => toSql(c, changed[fields[i] as string])),
      hlc,
      this.#device.deviceId,
      JSON.stringify(clocks),
      id,
    );
    return fields;
  }

  /** Tombstones a row: it stays, marked deleted, until the central store has the delete. */
  markDeleted(table: SyncedTableName, id: string): boolean {
    return this.update(table, id, { deleted: true }).length > 0;
  }

  /**
   * Announces rows of other tables as changed too, when this write changes what they mean
   * without touching them (an enterprise's delete hides its visits and plans from every list).
   */
  affects(...tables: string[]): void {
    for (const t of tables) this.#affected.add(t);
  }

  /** The tables this write touched or affects: what `writeChanges` announces once it commits. */
  changedTables(): string[] {
    const tables = new Set<string>(this.#affected);
    for (const op of this.ops) tables.add(op.table);
    return [...tables];
  }

  /** Persists the device's sequence and clock; called once as the transaction ends. */
  finish(): void {
    this.#open = false;
    if (this.ops.length === 0) return;
    const stmt = prepare(
      this.#sqlite,
      'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    stmt.run(STATE_SEQ, String(this.#seq));
    if (this.#hlc) stmt.run(STATE_HLC, formatHlc(this.#hlc));
  }
}

function readState(sqlite: Database.Database): { seq: number; hlc: string | null } {
  const rows = prepare(sqlite, 'SELECT key, value FROM sync_state WHERE key IN (?, ?)').all(
    STATE_SEQ,
    STATE_HLC,
  ) as { key: string; value: string }[];
  const get = (k: string) => rows.find((r) => r.key === k)?.value;
  return { seq: Number(get(STATE_SEQ) ?? 0), hlc: get(STATE_HLC) ?? null };
}

/**
 * Runs `fn` in one IMMEDIATE transaction with a ChangeSet that records every write as an op,
 * and once it commits announces the tables it changed (`onTablesChanged`): no service announces
 * a change by hand. `fn` must be synchronous: never await inside a transaction.
 */
export function writeChanges<T>(db: Db, device: Device, fn: (changes: ChangeSet) => T): T {
  let changed: string[] = [];
  const tx = db.sqlite.transaction(() => {
    const state = readState(db.sqlite);
    const changes = new ChangeSet(db.sqlite, device, state.seq, state.hlc);
    const result = fn(changes);
    if (result instanceof Promise) {
      throw new Error('writeChanges callback returned a Promise: transactions must be synchronous');
    }
    changes.finish();
    changed = changes.changedTables();
    return result;
  });
  const result = tx.immediate();
  announceChanged(db, changed);
  return result;
}

type TablesListener = (tables: string[]) => void;

interface Announcer {
  readonly listeners: Set<TablesListener>;
  /** Tables changed inside a transaction still open: announced when the outermost commits. */
  readonly pending: Set<string>;
}

const announcers = new WeakMap<Database.Database, Announcer>();

function announcer(db: Db): Announcer {
  let a = announcers.get(db.sqlite);
  if (!a) {
    a = { listeners: new Set(), pending: new Set() };
    announcers.set(db.sqlite, a);
  }
  return a;
}

/**
 * Hears which tables' rows changed on this connection, after each write commits (the app
 * context turns it into the `data.changed` event). Returns the unsubscribe function.
 */
export function onTablesChanged(db: Db, listener: TablesListener): () => void {
  const a = announcer(db);
  a.listeners.add(listener);
  return () => a.listeners.delete(listener);
}

/**
 * Announces that rows of these tables changed. Called by the writers that own a transaction
 * (`writeChanges`; the sync apply, which writes pulled rows; the purge) after it commits. Inside
 * a transaction still open (a nested writer) the tables wait, and go with the next announcement
 * made once it has committed, so nobody hears of a change before it is visible.
 */
export function announceChanged(db: Db, tables: Iterable<string>): void {
  const a = announcer(db);
  for (const t of tables) a.pending.add(t);
  if (db.sqlite.inTransaction || a.pending.size === 0) return;
  const all = [...a.pending];
  a.pending.clear();
  for (const l of a.listeners) l(all);
}

/**
 * Moves this device's clock past a stamp received from another device (a pulled change, a
 * bundle's op), so the next local write is stamped after everything the device has seen: an
 * edit made after a pull wins over what was pulled, whatever the wall clocks say. Runs inside
 * the caller's transaction; a stamp behind the device's clock changes nothing.
 */
export function observeClock(sqlite: Database.Database, deviceId: string, stamp: string): void {
  const { wallMs, counter } = parseHlc(stamp);
  prepare(
    sqlite,
    'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE excluded.value > sync_state.value',
  ).run(STATE_HLC, formatHlc({ wallMs, counter, node: deviceId }));
}

/** An op to send again: its row, values and original clock (a retried parked op). */
export interface RequeuedOp {
  table: SyncedTableName;
  rowId: string;
  values: Record<string, unknown>;
  hlc: string;
  /** The original op's base clocks (JSON), if it had them. */
  baseClocks: string | null;
}

/**
 * Appends ops to the outbox again under new sequence numbers (and new op ids), keeping their
 * clocks: a retried op is the same edit delivered late, so it must not beat edits made after it.
 * Rows are not touched (they already hold these values, or newer ones). Call it inside an
 * IMMEDIATE transaction, like writeChanges, so no other writer takes the same numbers.
 */
export function appendOps(db: Db, device: Device, ops: readonly RequeuedOp[]): Op[] {
  const state = readState(db.sqlite);
  let seq = state.seq;
  const out: Op[] = [];
  for (const { baseClocks, ...o } of ops) {
    seq += 1;
    const op: Op = { opId: device.newId(), deviceId: device.deviceId, seq, ...o };
    prepare(
      db.sqlite,
      'INSERT INTO outbox (seq, op_id, device_id, table_name, row_id, "values", hlc, base_clocks) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      seq,
      op.opId,
      op.deviceId,
      op.table,
      op.rowId,
      JSON.stringify(op.values),
      op.hlc,
      baseClocks,
    );
    out.push(op);
  }
  if (out.length > 0) {
    prepare(
      db.sqlite,
      'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ).run(STATE_SEQ, String(seq));
  }
  return out;
}

/** The field clocks of a row (`*` = the insert's clock, for fields not written since). */
export function fieldClock(fieldClocks: string, field: string): string | null {
  const clocks = JSON.parse(fieldClocks) as Record<string, string>;
  return clocks[field] ?? clocks[INSERT_CLOCK] ?? null;
}
