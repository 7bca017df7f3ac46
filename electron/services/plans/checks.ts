/**
 * What every plan write checks and shares: the not-found errors, a version's content as stored,
 * and the validation of input (zod, refused with each problem named) and against the database.
 */

import type { z } from 'zod';
import type { PlanRow } from '../../../db/repositories/plans';
import { listProcesses } from '../../../db/repositories/processes';
import { AppError, type Issue } from '../../../shared/api/errors';
import '../../../shared/api/zod-locale';
import { ASSISTANCE_DIRECTIONS, type PlanEdit, type PlanMeasure } from '../../../shared/plan';
import type { AppContext } from '../context';
import { canonicalJson } from '../rulesets';

/** Drafted measures carry `measureId(processId, indicatorId)` ids; every other id was added by hand. */
export const DRAFTED_PREFIX = 'gap:';

/** The 附件2 text columns hold at most this many characters (shared/domain/process.ts). */
export const ANNEX2_TEXT_MAX = 2000;

export function notFound(id: string): AppError {
  return new AppError('not_found', `一企一策方案不存在或已删除（编号 ${id}）`);
}

export function enterpriseNotFound(id: string): AppError {
  return new AppError('not_found', `企业不存在或已删除（编号 ${id}）`);
}

export function parseContent(json: string): PlanEdit {
  return JSON.parse(json) as PlanEdit;
}

export function sameContent(a: PlanEdit, b: PlanEdit): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export const directionRank = (m: PlanMeasure) => ASSISTANCE_DIRECTIONS.indexOf(m.direction);

const LIST_LABELS: Record<string, string> = {
  measures: '整改措施',
  taxLimits: '排放限值',
  taxReadings: '监测读数',
};

/**
 * A refused input: every problem with its path, each message saying where (整改措施第 3 条：完成期限…)
 * so it can be shown as it is.
 */
export function refused(error: z.ZodError): AppError {
  const issues: Issue[] = error.issues.map((i) => {
    const path = i.path.map(String);
    let where = '';
    for (let k = 0; k + 1 < path.length; k++) {
      const label = LIST_LABELS[path[k] as string];
      const index = Number(path[k + 1]);
      if (label && Number.isInteger(index)) where = `${label}第 ${index + 1} 条：`;
    }
    return { path: path.join('.'), message: `${where}${i.message}` };
  });
  const messages = [...new Set(issues.map((i) => i.message))];
  return new AppError('invalid_input', messages.join('；') || '方案内容格式不正确', issues);
}

export function parseOrRefuse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw refused(parsed.error);
  return parsed.data;
}

/** Checks what needs the database: the plan's enterprise and visit, and the measures' processes. */
export function checkAgainstPlan(
  ctx: AppContext,
  plan: PlanRow,
  current: PlanEdit | null,
  content: PlanEdit,
): void {
  const issues: Issue[] = [];
  if (content.enterpriseId !== plan.enterpriseId) {
    issues.push({
      path: 'content.enterpriseId',
      message: `方案内容中的企业编号 ${content.enterpriseId} 与方案所属企业不符`,
    });
  }
  if (current && content.inspectionId !== current.inspectionId) {
    issues.push({
      path: 'content.inspectionId',
      message: `方案内容中的检查记录编号 ${content.inspectionId} 与方案所依据的检查记录不符；如需依据另一次检查，请重新起草`,
    });
  }
  const processIds = new Set(listProcesses(ctx.db, plan.enterpriseId).map((p) => p.id));
  for (const m of current?.measures ?? []) if (m.processId) processIds.add(m.processId);
  content.measures.forEach((m, i) => {
    if (m.processId !== null && !processIds.has(m.processId)) {
      issues.push({
        path: `content.measures.${i}.processId`,
        message: `整改措施第 ${i + 1} 条：工序编号 ${m.processId} 不是该企业的行业或工序`,
      });
    }
  });
  if (issues.length > 0) {
    throw new AppError('invalid_input', issues.map((i) => i.message).join('；'), issues);
  }
}
