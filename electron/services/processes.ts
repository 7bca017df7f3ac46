import { writeChanges } from '../../db/changes';
import { getEnterprise } from '../../db/repositories/enterprises';
import {
  deleteProcess as deleteRow,
  findProcessByBranch,
  getProcess as getRow,
  insertProcess,
  listProcesses as listRows,
  updateProcess as updateRow,
} from '../../db/repositories/processes';
import { AppError } from '../../shared/api/errors';
import { findIndustry } from '../../shared/domain/catalog';
import {
  checkProcessAgainstCatalog,
  type Process,
  type ProcessDraft,
  type RulesetBrief,
} from '../../shared/domain/process';

import type { AppContext } from './context';
import { findRuleset } from './rulesets';

function notFound(id: string): AppError {
  return new AppError('not_found', `行业或工序不存在或已删除（编号 ${id}）`);
}

export function rulesetBrief(ctx: AppContext, id: string): RulesetBrief | undefined {
  const entry = findRuleset(ctx, id);
  if (!entry) return undefined;
  const { industry, branch, grades } = entry.ruleset;
  return { industry, ...(branch ? { branch } : {}), grades: grades.map((g) => g.grade) };
}

/** Normalizes the industry to its code and checks the draft against the catalogue. */
function checked(ctx: AppContext, draft: ProcessDraft, exceptId?: string): ProcessDraft {
  const issues = checkProcessAgainstCatalog(draft, ctx.catalog, (id) => rulesetBrief(ctx, id));
  if (issues.length > 0)
    throw new AppError('invalid_input', issues.map((i) => i.message).join('；'), issues);
  const industry = findIndustry(ctx.catalog, draft.industryCode);
  const normalized = { ...draft, industryCode: industry?.code ?? draft.industryCode };
  if (!getEnterprise(ctx.db, draft.enterpriseId)) {
    throw new AppError('not_found', `企业不存在或已删除（编号 ${draft.enterpriseId}）`);
  }
  const same = findProcessByBranch(
    ctx.db,
    draft.enterpriseId,
    normalized.industryCode,
    draft.branch,
    exceptId,
  );
  if (same) {
    throw new AppError('conflict', `该企业已有${industry?.name ?? ''}（${draft.branch}）`, [
      { path: 'branch', message: '该企业已登记此行业分支' },
    ]);
  }
  return normalized;
}

export function createProcess(ctx: AppContext, draft: ProcessDraft): Process {
  const id = ctx.device.newId();
  writeChanges(ctx.db, ctx.device, (changes) => {
    insertProcess(changes, id, checked(ctx, draft), ctx.device.now());
  });
  return getProcess(ctx, id);
}

export function updateProcess(ctx: AppContext, id: string, draft: ProcessDraft): Process {
  writeChanges(ctx.db, ctx.device, (changes) => {
    const current = getRow(ctx.db, id);
    if (!current) throw notFound(id);
    if (current.enterpriseId !== draft.enterpriseId) {
      throw new AppError('invalid_input', '不能把行业或工序移到另一家企业');
    }
    return updateRow(changes, id, checked(ctx, draft, id));
  });
  return getProcess(ctx, id);
}

export function deleteProcess(ctx: AppContext, id: string): { id: string } {
  writeChanges(ctx.db, ctx.device, (changes) => {
    if (!getRow(ctx.db, id)) throw notFound(id);
    deleteRow(changes, id);
  });
  return { id };
}

export function getProcess(ctx: AppContext, id: string): Process {
  const row = getRow(ctx.db, id);
  if (!row) throw notFound(id);
  return row;
}

export function listProcesses(ctx: AppContext, enterpriseId: string): Process[] {
  return listRows(ctx.db, enterpriseId);
}
