import { and, eq, inArray, sql } from 'drizzle-orm';

import type { SyncOp } from '../../../shared/sync/protocol';
import { rows } from '../../db/schema';
import type { ServerDb } from '../../db/store';
import { serverTable, type ServerTable } from '../tables';

/**
 * The working set of a push: the stored rows its ops read and write, loaded in batches (targets,
 * then their parents, before the ops are checked), changed in memory as ops apply, and written
 * back at the end (write-back.ts). Also where a row hangs: its parent field and the id it names.
 */

export interface WorkRow {
  table: string;
  rowId: string;
  values: Record<string, unknown>;
  clocks: Record<string, string>;
  fieldSeqs: Record<string, number>;
  enterpriseId: string | null;
  cityCode: string | null;
  /** As stored before this push (null: a new row). */
  storedCity: string | null;
  stored: boolean;
  dirty: boolean;
  /** Fields written by this push: they get the row's new server_seq. */
  written: Set<string>;
}

const key = (table: string, rowId: string) => `${table}\u0001${rowId}`;

export class WorkingSet {
  readonly #db: ServerDb;
  readonly #rows = new Map<string, WorkRow | null>();
  /** Rows in the order they first changed. */
  readonly changed: WorkRow[] = [];
  /**
   * Enterprises whose city changed in this push, with the city they had before it: the rows under
   * them move with them, and the devices of the old city are told they left (scope_exits).
   */
  readonly moved = new Map<string, string>();
  /**
   * Enterprises under which a row came back from the 回收站 in this push: everything under them
   * is pulled again, so a device that purged them (30 days on) gets them back whole.
   */
  readonly restored = new Set<string>();

  constructor(db: ServerDb) {
    this.#db = db;
  }

  async load(keys: Iterable<[string, string]>): Promise<void> {
    const byTable = new Map<string, Set<string>>();
    for (const [table, rowId] of keys) {
      if (this.#rows.has(key(table, rowId))) continue;
      let ids = byTable.get(table);
      if (!ids) byTable.set(table, (ids = new Set()));
      ids.add(rowId);
    }
    for (const [table, idSet] of byTable) {
      const ids = [...idSet];
      for (let i = 0; i < ids.length; i += 1000) {
        const slice = ids.slice(i, i + 1000);
        const found = await this.#db
          .select()
          .from(rows)
          .where(and(eq(rows.tableName, table), inArray(rows.rowId, slice)));
        for (const id of slice) this.#rows.set(key(table, id), null);
        for (const r of found) {
          this.#rows.set(key(table, r.rowId), {
            table,
            rowId: r.rowId,
            values: r.values,
            clocks: r.clocks,
            fieldSeqs: r.fieldSeqs,
            enterpriseId: r.enterpriseId,
            cityCode: r.cityCode,
            storedCity: r.cityCode,
            stored: true,
            dirty: false,
            written: new Set(),
          });
        }
      }
    }
  }

  /**
   * How many live finalized visits an enterprise has, as the store holds them with this push's
   * changes so far (a visit finalized earlier in the same push counts).
   */
  async finalizedVisitsOf(enterpriseId: string): Promise<number> {
    const found = await this.#db
      .select({ rowId: rows.rowId })
      .from(rows)
      .where(and(eq(rows.tableName, 'inspections'), eq(rows.enterpriseId, enterpriseId)));
    await this.load(found.map((r): [string, string] => ['inspections', r.rowId]));
    let count = 0;
    for (const row of this.#rows.values()) {
      if (row?.table !== 'inspections' || row.values.enterpriseId !== enterpriseId) continue;
      if (row.values.status === 'finalized' && row.values.deleted !== true) count++;
    }
    return count;
  }

  /**
   * The live rows of a table under an enterprise, as the store holds them with this push's changes
   * so far (a review step recorded earlier in the same push is among them). `match` narrows them.
   */
  async rowsUnder(
    table: string,
    enterpriseId: string,
    match: (values: Readonly<Record<string, unknown>>) => boolean = () => true,
  ): Promise<WorkRow[]> {
    const found = await this.#db
      .select({ rowId: rows.rowId })
      .from(rows)
      .where(and(eq(rows.tableName, table), eq(rows.enterpriseId, enterpriseId)));
    await this.load(found.map((r): [string, string] => [table, r.rowId]));
    return this.#live(table, (row) => row.enterpriseId === enterpriseId && match(row.values));
  }

  /** The review steps of an application (its rows in review_steps), this push's included. */
  async stepsOf(applicationId: string, enterpriseId: string): Promise<WorkRow[]> {
    return this.rowsUnder('review_steps', enterpriseId, (v) => v.applicationId === applicationId);
  }

  /** The grade events of an enterprise (grade_events), this push's included. */
  async gradeEventsOf(enterpriseId: string): Promise<WorkRow[]> {
    return this.rowsUnder('grade_events', enterpriseId);
  }

  /** The published editions of a results list's scope (a city code or 'region'). */
  async publicationsOf(scope: string): Promise<WorkRow[]> {
    const found = await this.#db
      .select({ rowId: rows.rowId })
      .from(rows)
      .where(and(eq(rows.tableName, 'publications'), sql`${rows.values} ->> 'scope' = ${scope}`));
    await this.load(found.map((r): [string, string] => ['publications', r.rowId]));
    return this.#live('publications', (row) => row.values.scope === scope);
  }

  #live(table: string, keep: (row: WorkRow) => boolean): WorkRow[] {
    const out: WorkRow[] = [];
    for (const row of this.#rows.values()) {
      if (row?.table === table && row.values.deleted !== true && keep(row)) out.push(row);
    }
    return out;
  }

  peek(table: string, rowId: string): WorkRow | null | undefined {
    return this.#rows.get(key(table, rowId));
  }

  async get(table: string, rowId: string): Promise<WorkRow | null> {
    if (!this.#rows.has(key(table, rowId))) await this.load([[table, rowId]]);
    return this.#rows.get(key(table, rowId)) ?? null;
  }

  add(row: WorkRow): void {
    this.#rows.set(key(row.table, row.rowId), row);
  }

  markChanged(row: WorkRow): void {
    if (!row.dirty) {
      row.dirty = true;
      this.changed.push(row);
    }
  }
}

/** The parent field in effect and the id it names, for a row under an enterprise. */
export function parentOf(
  table: ServerTable,
  values: Record<string, unknown>,
): { field: string; table: string; id: string } | null {
  if (table.scope.kind !== 'child') return null;
  for (const field of table.scope.parents) {
    const id = values[field];
    if (typeof id === 'string') return { field, table: table.references.get(field) as string, id };
  }
  return null;
}

/** Keys worth loading before the ops are checked one by one: targets, then their parents. */
export async function prefetch(ws: WorkingSet, ops: SyncOp[]): Promise<void> {
  const first: [string, string][] = [];
  for (const op of ops) {
    const table = serverTable(op.table);
    if (!table) continue;
    first.push([op.table, op.rowId]);
    for (const [field, target] of table.references) {
      const id = op.values[field];
      if (typeof id === 'string') first.push([target, id]);
    }
  }
  await ws.load(first);
  const second: [string, string][] = [];
  for (const op of ops) {
    const table = serverTable(op.table);
    const row = ws.peek(op.table, op.rowId);
    if (!table || !row) continue;
    const parent = parentOf(table, row.values);
    if (parent) second.push([parent.table, parent.id]);
    if (table.inspectionChild && typeof row.values.inspectionId === 'string') {
      second.push(['inspections', row.values.inspectionId]);
    }
  }
  await ws.load(second);
}
