/**
 * What every write to an inspection checks first, inside its writing transaction: the record is a
 * live draft, the process is one it visits, its pinned ruleset is on this device and holds the
 * indicator; and the rule that any change clears every confirmation and signature.
 */

import type { ChangeSet } from '../../../db/changes';
import { deleteUse, listUsesOfInspections } from '../../../db/repositories/attachments';
import {
  getInspection,
  type InspectionRow,
  listMembers,
  listInspectionProcesses,
  updateMember,
  type InspectionProcessRow,
} from '../../../db/repositories/inspections';
import { AppError } from '../../../shared/api/errors';
import type { Indicator, Ruleset } from '../../../shared/grading';
import type { AppContext } from '../context';
import { isSignature } from '../signatures';
import { pinnedRuleset } from './pins';

const FINALIZED_MESSAGE = '检查记录已确认，不能修改；如需更正，请创建修订版本';

export function notFound(id: string): AppError {
  return new AppError('not_found', `检查记录不存在或已删除（编号 ${id}）`);
}

/** The visit, which must be a live draft; call inside the writing transaction. */
export function requireDraft(ctx: AppContext, id: string): InspectionRow {
  const row = getInspection(ctx.db, id);
  if (!row) throw notFound(id);
  if (row.status !== 'draft') throw new AppError('conflict', FINALIZED_MESSAGE);
  return row;
}

/**
 * A confirmation is of the visit as it stood; after any change every member confirms again, and
 * every signature (members' and the enterprise representative's) is signed again.
 */
export function clearConfirmations(
  changes: ChangeSet,
  ctx: AppContext,
  inspectionId: string,
): void {
  for (const m of listMembers(ctx.db, [inspectionId])) {
    if (m.confirmedAt !== null) updateMember(changes, m.id, { confirmedAt: null });
  }
  for (const u of listUsesOfInspections(ctx.db, [inspectionId])) {
    if (isSignature(u)) deleteUse(changes, u.id);
  }
}

export function liveInspectionProcess(
  ctx: AppContext,
  inspectionId: string,
  processId: string,
  live: readonly InspectionProcessRow[] = listInspectionProcesses(ctx.db, [inspectionId]),
): InspectionProcessRow {
  const vp = live.find((p) => p.processId === processId);
  if (!vp) {
    throw new AppError('not_found', `此次检查不包括编号为 ${processId} 的行业或工序`);
  }
  return vp;
}

export function pinnedOrFail(ctx: AppContext, vp: InspectionProcessRow): Ruleset {
  const ruleset = pinnedRuleset(ctx, vp.rulesetHash);
  if (!ruleset) {
    throw new AppError(
      'conflict',
      `本机没有此次检查所用的分级指标（${vp.rulesetEdition} 版），暂不能作答；同步后再填写`,
    );
  }
  return ruleset;
}

export function indicatorOf(ruleset: Ruleset, indicatorId: string): Indicator {
  const indicator = ruleset.indicators.find((i) => i.id === indicatorId);
  if (!indicator) {
    throw new AppError(
      'invalid_input',
      `指标体系 ${ruleset.id}（${ruleset.edition} 版）中没有指标 ${indicatorId}`,
      [{ path: 'indicatorId', message: `没有指标 ${indicatorId}` }],
    );
  }
  return indicator;
}
