import type Database from 'better-sqlite3';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

import type { Clock, IdGenerator } from '../shared/ids';
import { formatHlc, nextHlc, parseHlc, type Hlc } from '../shared/sync/hlc';

import type { Db } from './client';
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

type SqlValue = string | number | bigint | null | Buffer;
type Row = Record<string, unknown>;

const STATE_SEQ = 'lastSeq';
const STATE_HLC = 'lastHlc';
/** In `fieldClocks`, the clock of every field not written since the row was inserted. */
const INSERT_CLOCK = '*';

const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function prepare(sqlite: Database.Database, sql: string): Database.Statement {
  let cache = statementCache.get(sqlite);
  if (!cache) {
    cache = new Map();
    statementCache.set(sqlite, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = sqlite.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

function isBoolean(column: SQLiteColumn): boolean {
  return column.columnType === 'SQLiteBoolean';
}

function toSql(column: SQLiteColumn, value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (isBoolean(column)) return value ? 1 : 0;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    return value;
  }
  throw new TypeError(`cannot store ${typeof value} in ${column.name}`);
}

function fromSql(column: SQLiteColumn, value: unknown): unknown {
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

  constructor(sqlite: Database.Database, device: Device, lastSeq: number, lastHlc: string | null) {
    this.#sqlite = sqlite;
    this.#device = device;
    this.#seq = lastSeq;
    this.#hlc = lastHlc === null ? null : parseHlc(lastHlc);
  }

  #record(table: SyncedTableName, rowId: string, values: Record<string, unknown>): string {
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
      'INSERT INTO outbox (seq, op_id, device_id, table_name, row_id, "values", hlc) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(op.seq, op.opId, op.deviceId, table, rowId, JSON.stringify(values), hlc);
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
    const hlc = this.#record(table, id, opValues);
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
    const hlc = this.#record(table, id, changed);
    const stored = typeof current.field_clocks === 'string' ? current.field_clocks : '{}';
    const clocks = JSON.parse(stored) as Record<string, string>;
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
 * Runs `fn` in one IMMEDIATE transaction with a ChangeSet that records every write as an op.
 * `fn` must be synchronous: never await inside a transaction.
 */
export function writeChanges<T>(db: Db, device: Device, fn: (changes: ChangeSet) => T): T {
  const tx = db.sqlite.transaction(() => {
    const state = readState(db.sqlite);
    const changes = new ChangeSet(db.sqlite, device, state.seq, state.hlc);
    const result = fn(changes);
    if (result instanceof Promise) {
      throw new Error('writeChanges callback returned a Promise: transactions must be synchronous');
    }
    changes.finish();
    return result;
  });
  return tx.immediate();
}

/** The field clocks of a row (`*` = the insert's clock, for fields not written since). */
export function fieldClock(fieldClocks: string, field: string): string | null {
  const clocks = JSON.parse(fieldClocks) as Record<string, string>;
  return clocks[field] ?? clocks[INSERT_CLOCK] ?? null;
}
