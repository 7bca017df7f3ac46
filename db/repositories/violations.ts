import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';

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
  /** A withdrawal (撤销): when, who, the sync account if logged in, why; null while in force. */
  withdrawnAt: number | null;
  withdrawnBy: string | null;
  withdrawnAccount: string | null;
  withdrawReason: string | null;
  createdAt: number;
}

export interface ViolationValues {
  enterpriseId: string;
  date: string;
  kind: string;
  note: string | null;
  inspectionId: string | null;
}

const columns = {
  id: violations.id,
  enterpriseId: violations.enterpriseId,
  date: violations.date,
  kind: violations.kind,
  note: violations.note,
  inspectionId: violations.inspectionId,
  withdrawnAt: violations.withdrawnAt,
  withdrawnBy: violations.withdrawnBy,
  withdrawnAccount: violations.withdrawnAccount,
  withdrawReason: violations.withdrawReason,
  createdAt: violations.createdAt,
};

export function insertViolation(
  changes: ChangeSet,
  id: string,
  values: ViolationValues,
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

/** The violations in force of an enterprise (live, not withdrawn), oldest first: what grades. */
export function listViolations(db: Db, enterpriseId: string): ViolationRow[] {
  return ofEnterprise(db)
    .all({ enterpriseId })
    .filter((v) => v.withdrawnAt === null);
}

/** Every live violation of an enterprise, withdrawn ones too (they stay listed), oldest first. */
export function listViolationRecords(db: Db, enterpriseId: string): ViolationRow[] {
  return ofEnterprise(db).all({ enterpriseId });
}

/** The violations in force of several enterprises (a page of the registry), oldest first. */
export function listViolationsOf(db: Db, enterpriseIds: readonly string[]): ViolationRow[] {
  if (enterpriseIds.length === 0) return [];
  return db.orm
    .select(columns)
    .from(violations)
    .where(
      and(
        inArray(violations.enterpriseId, [...enterpriseIds]),
        eq(violations.deleted, false),
        isNull(violations.withdrawnAt),
      ),
    )
    .orderBy(asc(violations.date), asc(violations.createdAt), asc(violations.id))
    .all();
}

/** Withdraws a violation recorded in error: it stays, marked with when, who and why. */
export function withdrawViolation(
  changes: ChangeSet,
  id: string,
  withdrawal: {
    withdrawnAt: number;
    withdrawnBy: string;
    withdrawnAccount: string | null;
    withdrawReason: string;
  },
): void {
  changes.update('violations', id, withdrawal);
}
