/**
 * Scope exits: an enterprise that moved to another city leaves this device (migration 0010): its
 * subtree, the rows whose local changes still wait, and the exits kept until those are
 * acknowledged.
 */

import { prepare } from '../../prepared';
import type { Db } from '../../client';

import { rowsOf, text } from './rows';
import { readSyncSettings } from './settings';

/**
 * Every synced row of an enterprise's subtree, children before their parents: a revision of a
 * visit before the visit it corrects (revision_of), deepest first.
 */
const SUBTREE_SQL = `
  WITH RECURSIVE ins AS (SELECT id FROM inspections WHERE enterprise_id = :e),
       vio AS (SELECT id FROM violations WHERE enterprise_id = :e),
       pl AS (SELECT id FROM plans WHERE enterprise_id = :e),
       app AS (SELECT id FROM grade_applications WHERE enterprise_id = :e),
       ans AS (SELECT id FROM inspection_answers WHERE inspection_id IN ins),
       chain(id, depth) AS (
         SELECT id, 0 FROM inspections WHERE enterprise_id = :e
           AND (revision_of IS NULL OR revision_of NOT IN ins)
         UNION SELECT i.id, c.depth + 1 FROM inspections AS i JOIN chain AS c ON i.revision_of = c.id
           WHERE i.enterprise_id = :e AND c.depth < 1000)
  SELECT 1 AS step, 0 AS depth, 'attachment_uses' AS t, id FROM attachment_uses
    WHERE inspection_id IN ins OR violation_id IN vio OR answer_id IN ans OR application_id IN app
  UNION ALL SELECT 1, 0, 'review_steps', id FROM review_steps WHERE application_id IN app
  UNION ALL SELECT 1, 0, 'grade_events', id FROM grade_events WHERE enterprise_id = :e
  UNION ALL SELECT 5, 0, 'grade_applications', id FROM app
  UNION ALL SELECT 2, 0, 'inspection_answers', id FROM ans
  UNION ALL SELECT 3, 0, 'inspection_processes', id FROM inspection_processes WHERE inspection_id IN ins
  UNION ALL SELECT 4, 0, 'inspection_members', id FROM inspection_members WHERE inspection_id IN ins
  UNION ALL SELECT 5, 0, 'plan_versions', id FROM plan_versions WHERE plan_id IN pl
  UNION ALL SELECT 6, 0, 'violations', id FROM vio
  UNION ALL SELECT 7, max(depth), 'inspections', id FROM chain GROUP BY id
  UNION ALL SELECT 7, -1, 'inspections', id FROM ins WHERE id NOT IN (SELECT id FROM chain)
  UNION ALL SELECT 8, 0, 'plans', id FROM pl
  UNION ALL SELECT 9, 0, 'enterprise_processes', id FROM enterprise_processes WHERE enterprise_id = :e
  UNION ALL SELECT 10, 0, 'enterprises', id FROM enterprises WHERE id = :e
  ORDER BY step, depth DESC`;

export interface SubtreeRow {
  table: string;
  id: string;
}

export function enterpriseSubtree(db: Db, enterpriseId: string): SubtreeRow[] {
  return rowsOf(prepare(db.sqlite, SUBTREE_SQL).all({ e: enterpriseId }), (r) => ({
    table: text(r, 't'),
    id: text(r, 'id'),
  }));
}

/** Rows with a local change the central store has not acknowledged (unsent or parked). */
export function rowsWithUnsentOps(db: Db): Set<string> {
  const { pushedSeq } = readSyncSettings(db);
  const found = rowsOf(
    prepare(
      db.sqlite,
      `SELECT table_name, row_id FROM outbox WHERE seq > ?
     UNION SELECT o.table_name, o.row_id FROM sync_parked p CROSS JOIN outbox o ON o.op_id = p.op_id
      WHERE p.status IN ('parked', 'retrying')`,
    ).all(pushedSeq),
    (r) => ({ table_name: text(r, 'table_name'), row_id: text(r, 'row_id') }),
  );
  return new Set(found.map((r) => `${r.table_name}\u0001${r.row_id}`));
}

/**
 * Removes the rows (children first, as enterpriseSubtree lists them) and what sync kept aside
 * for them, letting the immutability triggers through for this transaction only.
 */
export function deleteSubtree(db: Db, subtree: readonly SubtreeRow[]): void {
  prepare(db.sqlite, 'INSERT OR IGNORE INTO sync_removing (id) VALUES (1)').run();
  for (const r of subtree) {
    prepare(db.sqlite, `DELETE FROM "${r.table}" WHERE id = ?`).run(r.id);
    prepare(db.sqlite, 'DELETE FROM sync_deferred WHERE table_name = ? AND row_id = ?').run(
      r.table,
      r.id,
    );
  }
  prepare(db.sqlite, 'DELETE FROM sync_removing').run();
}

export function keepScopeExit(db: Db, enterpriseId: string, now: number): void {
  prepare(
    db.sqlite,
    'INSERT OR IGNORE INTO sync_scope_exits (enterprise_id, created_at) VALUES (?, ?)',
  ).run(enterpriseId, now);
}

/**
 * The account now sees one city only (another account logged in on this device): every
 * enterprise of another city leaves as if it had moved there, through the same waiting exits
 * (its subtree goes on the next sync run, or waits while local changes to it are unsent).
 * Enterprises without a city are everyone's and stay. Returns how many were queued.
 */
export function keepScopeExitsOutside(db: Db, cityCode: string, now: number): number {
  return prepare(
    db.sqlite,
    `INSERT OR IGNORE INTO sync_scope_exits (enterprise_id, created_at)
     SELECT id, ? FROM enterprises WHERE city_code IS NOT NULL AND city_code <> ?`,
  ).run(now, cityCode).changes;
}

export function dropScopeExit(db: Db, enterpriseId: string): void {
  prepare(db.sqlite, 'DELETE FROM sync_scope_exits WHERE enterprise_id = ?').run(enterpriseId);
}

export function waitingScopeExits(db: Db): string[] {
  return rowsOf(
    prepare(db.sqlite, 'SELECT enterprise_id FROM sync_scope_exits ORDER BY created_at').all(),
    (r) => text(r, 'enterprise_id'),
  );
}
