/**
 * Saving a plan: every save is a new version made current (versions never change), and the plan
 * goes back to 草稿; deleting moves it to the 回收站.
 */

import type { z } from 'zod';
import { type ChangeSet, writeChanges } from '../../../db/changes';
import {
  getPlan as getPlanRow,
  getPlanVersion,
  insertPlanVersion,
  listPlanVersions,
  type PlanRow,
  updatePlan,
} from '../../../db/repositories/plans';
import { AppError } from '../../../shared/api/errors';
import { type PlanDetail, type PlanEdit, PlanSaveSchema } from '../../../shared/plan';
import type { AppContext } from '../context';
import { trashPlan } from '../trash';
import { checkAgainstPlan, notFound, parseContent, parseOrRefuse, sameContent } from './checks';
import { planDetail, requirePlan } from './list';

/** Adds the next version of a plan and makes it current; the plan goes back to 草稿. */
export function addVersion(
  ctx: AppContext,
  changes: ChangeSet,
  plan: PlanRow,
  content: PlanEdit,
  comment: string | null,
): number {
  const highest = listPlanVersions(ctx.db, plan.id).reduce(
    (n, v) => Math.max(n, v.version),
    plan.currentVersion,
  );
  const version = highest + 1;
  insertPlanVersion(
    changes,
    ctx.device.newId(),
    { planId: plan.id, version, content: JSON.stringify(content), comment },
    ctx.device.now(),
  );
  updatePlan(changes, plan.id, { currentVersion: version, status: '草稿' });
  return version;
}

export function currentContent(ctx: AppContext, plan: PlanRow): PlanEdit | null {
  const row = getPlanVersion(ctx.db, plan.id, plan.currentVersion);
  return row ? parseContent(row.content) : null;
}

/**
 * Saves the expert's edit as a new version (the plan back to 草稿). Refused, with nothing written,
 * when the edit started from a version that is no longer current, or when the content is not valid
 * (every problem named) or belongs to another enterprise or visit. Saving the current content
 * again writes nothing.
 */
export function savePlan(ctx: AppContext, input: z.input<typeof PlanSaveSchema>): PlanDetail {
  const save = parseOrRefuse(PlanSaveSchema, input);
  writeChanges(ctx.db, ctx.device, (changes) => {
    const plan = getPlanRow(ctx.db, save.id);
    if (!plan) throw notFound(save.id);
    if (save.baseVersion !== plan.currentVersion) {
      throw new AppError(
        'conflict',
        `方案已有更新的版本（当前为第 ${plan.currentVersion} 版），您的修改基于第 ${save.baseVersion} 版，未保存；请重新打开方案，在最新版本上修改`,
      );
    }
    const current = currentContent(ctx, plan);
    checkAgainstPlan(ctx, plan, current, save.content);
    if (current && sameContent(current, save.content)) return false;
    addVersion(ctx, changes, plan, save.content, save.comment ?? null);
    return true;
  });
  return planDetail(ctx, requirePlan(ctx, save.id));
}

/**
 * Moves a plan to the 回收站 (electron/services/trash.ts); drafting again starts a new one, and
 * restoring it brings it back beside that one.
 */
export function deletePlan(ctx: AppContext, id: string): { id: string } {
  if (!getPlanRow(ctx.db, id)) throw notFound(id);
  return trashPlan(ctx, { id });
}
