import { z } from 'zod';

import type { Issue } from '../api/errors';
import { multilineText, text } from '../text';
import { branchGrades, findBranch, findIndustry, type Catalog } from './catalog';
import { IdSchema } from './enterprise';

function optionalText(label: string, max: number, multiline = false) {
  return (multiline ? multilineText : text)(label, `${label}应为文本`)
    .trim()
    .max(max, `${label}不能超过${max}个字`)
    .nullish()
    .transform((v) => (v === undefined || v === null || v === '' ? null : v));
}

const DUE = /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/;

/** One industry or process of an enterprise, as a person enters it. */
export const ProcessDraftSchema = z
  .object({
    enterpriseId: IdSchema,
    industryCode: text('重点行业类型', '请选择重点行业类型').trim().min(1, '请选择重点行业类型'),
    branch: text('重点行业分支', '请选择重点行业分支').trim().min(1, '请选择重点行业分支'),
    name: optionalText('工序名称', 50),
    rulesetId: optionalText('指标体系', 100),
    currentGrade: optionalText('绩效现状', 10),
    targetGrade: optionalText('绩效提升目标', 10),
    differentiators: optionalText('差异化指标', 2000, true),
    problems: optionalText('存在问题', 2000, true),
    improvements: optionalText('改进措施', 2000, true),
    dueDate: optionalText('拟完成时间', 10).refine((v) => v === null || DUE.test(v), {
      message: '拟完成时间应为日期，例如 2025-09-30 或 2025-09',
    }),
    remark: optionalText('备注', 1000, true),
  })
  .strict();

export type ProcessDraftInput = z.input<typeof ProcessDraftSchema>;
export type ProcessDraft = z.output<typeof ProcessDraftSchema>;

export const ProcessUpdateSchema = z.object({ id: IdSchema, draft: ProcessDraftSchema }).strict();

export interface Process extends ProcessDraft {
  id: string;
  createdAt: number;
  updatedAt: string;
}

/**
 * Checks a process against the industry catalogue: the industry and branch must exist, the
 * grades must be the branch's, and the ruleset one written for that industry (and branch).
 * `findRuleset` describes a ruleset id of the library.
 */
export interface RulesetBrief {
  industry: string;
  branch?: string;
  grades: readonly string[];
}

export function checkProcessAgainstCatalog(
  draft: ProcessDraft,
  catalog: Catalog,
  findRuleset: (id: string) => RulesetBrief | undefined,
): Issue[] {
  const issues: Issue[] = [];
  const industry = findIndustry(catalog, draft.industryCode);
  if (!industry) {
    return [{ path: 'industryCode', message: `未知的重点行业类型“${draft.industryCode}”` }];
  }
  const branch = findBranch(industry, draft.branch);
  if (!branch) {
    return [
      {
        path: 'branch',
        message: `“${draft.branch}”不是${industry.name}的行业分支（可选：${industry.branches.map((b) => b.name).join('、')}）`,
      },
    ];
  }
  let grades: readonly string[] | undefined = branch.gradeScheme;
  if (draft.rulesetId !== null) {
    const own = findRuleset(draft.rulesetId);
    if (!own) issues.push({ path: 'rulesetId', message: `找不到指标体系“${draft.rulesetId}”` });
    else if (
      own.industry !== industry.name ||
      (own.branch !== undefined && own.branch !== branch.name)
    ) {
      issues.push({
        path: 'rulesetId',
        message: `指标体系“${draft.rulesetId}”是${own.industry}${own.branch ? `（${own.branch}）` : ''}的，不能用于${industry.name}（${branch.name}）`,
      });
    } else grades ??= own.grades;
  }
  const allowed = grades ?? branchGrades(branch);
  for (const field of ['currentGrade', 'targetGrade'] as const) {
    const g = draft[field];
    if (g !== null && !allowed.includes(g)) {
      const label = field === 'currentGrade' ? '绩效现状' : '绩效提升目标';
      issues.push({
        path: field,
        message: `${label}“${g}”不是${industry.name}（${branch.name}）的等级（可选：${allowed.join('、')}）`,
      });
    }
  }
  return issues;
}
