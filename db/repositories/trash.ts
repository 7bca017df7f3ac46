import type { ChangeSet } from '../changes';
import type { Db } from '../client';
import { prepare } from '../prepared';

import { enterpriseSubtree, type SubtreeRow } from './sync';

/**
 * The 回收站 (migration 0017): what a deleted enterprise, visit or plan takes with it, the rows
 * deleted with a time (and so restorable), and the subtrees to purge once their time is up.
 */

export type TrashTable = 'enterprises' | 'inspections' | 'plans';

export interface TrashMark {
  deletedAt: number;
  deletedBy: string;
  deleteReason: string | null;
}

/**
 * The tables whose lists a delete or restore changes without touching their rows: a deleted
 * enterprise's processes, visits and plans leave every list with it.
 */
export const TRASH_AFFECTS = [
  'enterprises',
  'enterprise_processes',
  'inspections',
  'plans',
  'plan_versions',
] as const;

/** Moves a row to the 回收站: one op carries the tombstone with who, when and why. */
export function markTrashed(changes: ChangeSet, table: TrashTable, id: string, mark: TrashMark) {
  changes.affects(...TRASH_AFFECTS);
  changes.update(table, id, {
    deleted: true,
    deletedAt: mark.deletedAt,
    deletedBy: mark.deletedBy,
    deleteReason: mark.deleteReason,
  });
}

/**
 * Brings a row back. The delete's who and why stay on the row (a finalized visit's reason is part
 * of its record); `deletedAt` is cleared, which is what the 回收站 lists by.
 */
export function markRestored(changes: ChangeSet, table: TrashTable, id: string) {
  changes.affects(...TRASH_AFFECTS);
  changes.update(table, id, { deleted: false, deletedAt: null });
}

export interface EnterpriseContents {
  processes: number;
  visits: number;
  finalizedVisits: number;
  plans: number;
  photos: number;
  violations: number;
}

const CONTENTS_SQL = `
  SELECT
    (SELECT count(*) FROM enterprise_processes WHERE enterprise_id = :e AND deleted = 0) AS processes,
    (SELECT count(*) FROM inspections WHERE enterprise_id = :e AND deleted = 0) AS visits,
    (SELECT count(*) FROM inspections WHERE enterprise_id = :e AND deleted = 0
       AND status = 'finalized') AS finalizedVisits,
    (SELECT count(*) FROM plans WHERE enterprise_id = :e AND deleted = 0) AS plans,
    (SELECT count(*) FROM attachment_uses u WHERE u.deleted = 0 AND (
       u.inspection_id IN (SELECT id FROM inspections WHERE enterprise_id = :e AND deleted = 0)
       OR u.violation_id IN (SELECT id FROM violations WHERE enterprise_id = :e AND deleted = 0))
    ) AS photos,
    (SELECT count(*) FROM violations WHERE enterprise_id = :e AND deleted = 0) AS violations`;

/** The live records under an enterprise: what deleting it would move to the 回收站 with it. */
export function enterpriseContents(db: Db, enterpriseId: string): EnterpriseContents {
  return prepare(db.sqlite, CONTENTS_SQL).get({ e: enterpriseId }) as EnterpriseContents;
}

export interface TrashedRow {
  table: TrashTable;
  id: string;
  /** The enterprise's name (of the row's enterprise for a visit or plan). */
  enterpriseName: string;
  enterpriseId: string;
  number: string | null;
  /** A visit's date and type; null otherwise. */
  date: string | null;
  visitType: string | null;
  status: string | null;
  deletedAt: number;
  deletedBy: string | null;
  deleteReason: string | null;
}

/**
 * What the 回收站 lists: enterprises deleted since `since`, and visits and plans deleted since then
 * whose enterprise is live (under a deleted enterprise they come back with it). Newest first.
 */
export function listTrashed(db: Db, since: number): TrashedRow[] {
  return prepare(
    db.sqlite,
    `SELECT 'enterprises' AS "table", e.id, e.name AS enterpriseName, e.id AS enterpriseId,
            NULL AS number, NULL AS date, NULL AS visitType, NULL AS status,
            e.deleted_at AS deletedAt, e.deleted_by AS deletedBy, e.delete_reason AS deleteReason
       FROM enterprises e WHERE e.deleted = 1 AND e.deleted_at >= :since
     UNION ALL
     SELECT 'inspections', i.id, e.name, e.id, i.number, i.date, i.type, i.status,
            i.deleted_at, i.deleted_by, i.delete_reason
       FROM inspections i JOIN enterprises e ON e.id = i.enterprise_id
      WHERE i.deleted = 1 AND i.deleted_at >= :since AND e.deleted = 0
     UNION ALL
     SELECT 'plans', p.id, e.name, e.id, p.number, NULL, NULL, p.status,
            p.deleted_at, p.deleted_by, p.delete_reason
       FROM plans p JOIN enterprises e ON e.id = p.enterprise_id
      WHERE p.deleted = 1 AND p.deleted_at >= :since AND e.deleted = 0
     ORDER BY deletedAt DESC, id`,
  ).all({ since }) as TrashedRow[];
}

/** One trashed row (deleted with a time), or undefined. */
export function getTrashed(
  db: Db,
  table: TrashTable,
  id: string,
): { deletedAt: number; enterpriseId: string; status: string | null } | undefined {
  const parent = table === 'enterprises' ? 'id' : 'enterprise_id';
  const status = table === 'enterprises' ? 'NULL' : 'status';
  return prepare(
    db.sqlite,
    `SELECT deleted_at AS deletedAt, ${parent} AS enterpriseId, ${status} AS status
       FROM "${table}" WHERE id = ? AND deleted = 1 AND deleted_at IS NOT NULL`,
  ).get(id) as { deletedAt: number; enterpriseId: string; status: string | null } | undefined;
}

/** Whether a live enterprise exists with this id. */
export function enterpriseIsLive(db: Db, id: string): boolean {
  return (
    prepare(db.sqlite, 'SELECT 1 FROM enterprises WHERE id = ? AND deleted = 0').get(id) !==
    undefined
  );
}

/** What tells an enterprise apart from another (its name in its county, its credit code). */
export function enterpriseKeys(
  db: Db,
  id: string,
):
  | { name: string; creditCode: string | null; cityCode: string; countyCode: string | null }
  | undefined {
  return prepare(
    db.sqlite,
    `SELECT name, credit_code AS creditCode, city_code AS cityCode, county_code AS countyCode
       FROM enterprises WHERE id = ?`,
  ).get(id) as
    | { name: string; creditCode: string | null; cityCode: string; countyCode: string | null }
    | undefined;
}

/** The rows deleted with a time at or before `before`: their subtrees are due to be purged. */
export function expiredTrash(db: Db, before: number): { table: TrashTable; id: string }[] {
  return prepare(
    db.sqlite,
    `SELECT 'enterprises' AS "table", id FROM enterprises WHERE deleted = 1 AND deleted_at <= :b
     UNION ALL SELECT 'inspections', id FROM inspections WHERE deleted = 1 AND deleted_at <= :b
     UNION ALL SELECT 'plans', id FROM plans WHERE deleted = 1 AND deleted_at <= :b`,
  ).all({ b: before }) as { table: TrashTable; id: string }[];
}

const VISIT_SUBTREE_SQL = `
  WITH ans AS (SELECT id FROM inspection_answers WHERE inspection_id = :v)
  SELECT 'attachment_uses' AS t, id FROM attachment_uses
    WHERE inspection_id = :v OR answer_id IN ans
  UNION ALL SELECT 'inspection_answers', id FROM ans
  UNION ALL SELECT 'inspection_processes', id FROM inspection_processes WHERE inspection_id = :v
  UNION ALL SELECT 'inspection_members', id FROM inspection_members WHERE inspection_id = :v
  UNION ALL SELECT 'inspections', id FROM inspections WHERE id = :v`;

const PLAN_SUBTREE_SQL = `
  SELECT 'plan_versions' AS t, id FROM plan_versions WHERE plan_id = :p
  UNION ALL SELECT 'plans', id FROM plans WHERE id = :p`;

/**
 * The rows a purge removes, children before their parents. A visit that a revision or a
 * violation still names is kept (a revision corrects it, a violation cites it): null.
 */
export function trashSubtree(db: Db, table: TrashTable, id: string): SubtreeRow[] | null {
  if (table === 'enterprises') return enterpriseSubtree(db, id);
  if (table === 'plans') {
    return (prepare(db.sqlite, PLAN_SUBTREE_SQL).all({ p: id }) as { t: string; id: string }[]).map(
      (r) => ({ table: r.t, id: r.id }),
    );
  }
  const named = prepare(
    db.sqlite,
    'SELECT 1 FROM inspections WHERE revision_of = :v UNION ALL SELECT 1 FROM violations WHERE inspection_id = :v',
  ).get({ v: id });
  if (named) return null;
  return (prepare(db.sqlite, VISIT_SUBTREE_SQL).all({ v: id }) as { t: string; id: string }[]).map(
    (r) => ({ table: r.t, id: r.id }),
  );
}
