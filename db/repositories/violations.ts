import { and, asc, eq, inArray, sql } from 'drizzle-orm';

import type { ChangeSet } from '../changes';
import type { Db } from '../client';
import { perConnection } from '../prepared';
import { violations } from '../schema';

/** Findings of 超标排放, 偷排偷放, 治理设施不正常运行 or 弄虚作假 against an enterprise. */

export interface ViolationRow {
  id: string;
  enterpriseId: string;
  date: string;
  kind: string;
  note: string | null;
  inspectionId: string | null;
  createdAt: number;
}

const columns = {
  id: violations.id,
  enterpriseId: violations.enterpriseId,
  date: violations.date,
  kind: violations.kind,
  note: violations.note,
  inspectionId: violations.inspectionId,
  createdAt: violations.createdAt,
};

export function insertViolation(
  changes: ChangeSet,
  id: string,
  values: Omit<ViolationRow, 'id' | 'createdAt'>,
  createdAt: number,
): void {
  changes.insert('violations', id, { ...values, createdAt });
}

const byId = perConnection((db) =>
  db.orm
    .select(columns)
    .from(violations)
    .where(and(eq(violations.id, sql.placeholder('id')), eq(violations.deleted, false)))
    .prepare(),
);

export function getViolation(db: Db, id: string): ViolationRow | undefined {
  return byId(db).get({ id });
}

/** Prepared once per connection: every autosave of a visit regrades with these. */
const ofEnterprise = perConnection((db) =>
  db.orm
    .select(columns)
    .from(violations)
    .where(
      and(
        eq(violations.enterpriseId, sql.placeholder('enterpriseId')),
        eq(violations.deleted, false),
      ),
    )
    .orderBy(asc(violations.date), asc(violations.createdAt), asc(violations.id))
    .prepare(),
);

/** The live violations of an enterprise, oldest first. */
export function listViolations(db: Db, enterpriseId: string): ViolationRow[] {
  return ofEnterprise(db).all({ enterpriseId });
}

/** The live violations of several enterprises (a page of the registry), oldest first. */
export function listViolationsOf(db: Db, enterpriseIds: readonly string[]): ViolationRow[] {
  if (enterpriseIds.length === 0) return [];
  return db.orm
    .select(columns)
    .from(violations)
    .where(and(inArray(violations.enterpriseId, [...enterpriseIds]), eq(violations.deleted, false)))
    .orderBy(asc(violations.date), asc(violations.createdAt), asc(violations.id))
    .all();
}

/** Withdraws a violation recorded in error: its note keeps why, and the row becomes a tombstone. */
export function withdrawViolation(changes: ChangeSet, id: string, note: string): boolean {
  changes.update('violations', id, { note });
  return changes.markDeleted('violations', id);
}
