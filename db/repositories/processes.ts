import { and, asc, eq, ne, sql } from 'drizzle-orm';

import type { Process, ProcessDraft } from '../../shared/domain/process';
import type { ChangeSet } from '../changes';
import type { Db } from '../client';
import { enterpriseProcesses as t } from '../schema';

const columns = {
  id: t.id,
  enterpriseId: t.enterpriseId,
  industryCode: t.industryCode,
  branch: t.branch,
  name: t.name,
  rulesetId: t.rulesetId,
  currentGrade: t.currentGrade,
  targetGrade: t.targetGrade,
  differentiators: t.differentiators,
  problems: t.problems,
  improvements: t.improvements,
  dueDate: t.dueDate,
  remark: t.remark,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
};

const live = eq(t.deleted, false);

export function insertProcess(
  changes: ChangeSet,
  id: string,
  draft: ProcessDraft,
  createdAt: number,
): void {
  changes.insert('enterprise_processes', id, { ...draft, createdAt });
}

export function updateProcess(changes: ChangeSet, id: string, draft: ProcessDraft): string[] {
  return changes.update('enterprise_processes', id, draft);
}

/** The 附件2 columns an improvement plan fills (差异化指标, 存在问题, 改进措施, 拟完成时间). */
export type PlanColumns = Pick<
  ProcessDraft,
  'differentiators' | 'problems' | 'improvements' | 'dueDate'
>;

/** Writes those of the plan's columns that differ; returns their names. */
export function updateProcessPlanColumns(
  changes: ChangeSet,
  id: string,
  values: Partial<PlanColumns>,
): string[] {
  return changes.update('enterprise_processes', id, values);
}

export function deleteProcess(changes: ChangeSet, id: string): boolean {
  return changes.markDeleted('enterprise_processes', id);
}

export function getProcess(db: Db, id: string): Process | undefined {
  return db.orm
    .select(columns)
    .from(t)
    .where(and(live, eq(t.id, id)))
    .get();
}

/** The live processes of one enterprise, in the order they were added. */
export function listProcesses(db: Db, enterpriseId: string): Process[] {
  return db.orm
    .select(columns)
    .from(t)
    .where(
      and(
        live,
        eq(t.enterpriseId, enterpriseId),
        // Under an enterprise in the 回收站 nothing is listed; it comes back with it.
        sql`EXISTS (SELECT 1 FROM enterprises e WHERE e.id = ${t.enterpriseId} AND e.deleted = 0)`,
      ),
    )
    .orderBy(asc(t.createdAt), asc(t.id))
    .all();
}

/** The live process of this enterprise in this industry and branch, other than `exceptId`. */
export function findProcessByBranch(
  db: Db,
  enterpriseId: string,
  industryCode: string,
  branch: string,
  exceptId?: string,
): Process | undefined {
  const conditions = [
    live,
    eq(t.enterpriseId, enterpriseId),
    eq(t.industryCode, industryCode),
    eq(t.branch, branch),
  ];
  if (exceptId) conditions.push(ne(t.id, exceptId));
  return db.orm
    .select(columns)
    .from(t)
    .where(and(...conditions))
    .get();
}
