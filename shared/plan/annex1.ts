import { z } from 'zod';

import type { Checked } from '../grading';
import { rulesetName } from '../grading/field';
import { ALERT_LEVEL_NAMES, ALERT_LEVELS, type AlertLevel, type Ruleset } from '../grading/types';
import { optionalText, strictObject, text, textList } from './fields';
import { check } from './issues';

/**
 * 附件1 of the seed (支持重点行业环保绩效“提级扩面”的若干政策措施) as data
 * (resources/plan/annex1.json), and what a target grade brings: the emergency measures the
 * enterprise faces at each alert level before and after, and the incentives of the target grade.
 */

const ID = /^[a-z0-9][a-z0-9._-]*$/;

/** Our reading of who an item is for; the item's own words are in `text`. */
export const AppliesToSchema = strictObject('适用范围', {
  /** The grades the item names ("提级晋A", "A级企业"); null: not bound to a grade. */
  grades: textList('适用等级', 20, 20).nullable(),
  /** For enterprises that climb a grade, whichever ("升级企业"). */
  upgrade: z.boolean({ error: '是否限于提升等级的企业应为 true 或 false' }),
  /** Keywords matched against the industry's name and branch; null: every industry. */
  industries: textList('适用行业', 20, 50).nullable(),
  /** Conditions other than grade and industry, in the item's words. */
  condition: optionalText('适用条件', 500),
});

export const IncentiveSchema = strictObject('激励措施', {
  id: text('编号', 100, 1).regex(ID, '编号只能由小写字母、数字和 . _ - 组成'),
  /** 附件1's 序号; null for a sentence from the plan's main text. */
  no: z.number({ error: '序号应为数字' }).int('序号应为整数').positive('序号应大于0').nullable(),
  part: text('所在部分', 50, 1),
  title: text('标题', 200, 1),
  text: text('原文', 2000, 1),
  responsible: optionalText('责任单位', 500),
  appliesTo: AppliesToSchema,
  note: optionalText('说明', 1000),
  /** Where in the seed, by line numbers. */
  source: text('来源', 500, 1),
});

export const EmergencyMeasureSchema = strictObject('应急减排措施', {
  id: text('编号', 100, 1).regex(ID, '编号只能由小写字母、数字和 . _ - 组成'),
  grades: textList('适用等级', 20, 20).min(1, '适用等级不能为空'),
  levels: z
    .array(z.enum(ALERT_LEVELS, { error: '预警级别应为 yellow、orange、red 之一' }), {
      error: '预警级别应为列表',
    })
    .min(1, '预警级别不能为空'),
  text: text('原文', 1000, 1),
  condition: optionalText('适用条件', 500),
  source: text('来源', 500, 1),
});

export const Annex1Schema = strictObject('附件1', {
  id: text('编号', 100, 1),
  title: text('标题', 200, 1),
  document: text('文件', 500, 1),
  status: z.enum(['draft', 'verified'], { error: '状态应为 "draft" 或 "verified"' }),
  source: text('来源', 2000, 1),
  note: optionalText('说明', 5000),
  incentives: z.array(IncentiveSchema, { error: '激励措施应为列表' }),
  emergencyMeasures: z.array(EmergencyMeasureSchema, { error: '应急减排措施应为列表' }),
}).superRefine((doc, ctx) => {
  const ids = new Set<string>();
  const nos = new Set<number>();
  doc.incentives.forEach((inc, i) => {
    if (ids.has(inc.id))
      ctx.addIssue({
        code: 'custom',
        path: ['incentives', i, 'id'],
        message: `编号 ${inc.id} 重复`,
      });
    ids.add(inc.id);
    if (inc.no !== null) {
      if (nos.has(inc.no))
        ctx.addIssue({
          code: 'custom',
          path: ['incentives', i, 'no'],
          message: `序号 ${inc.no} 重复`,
        });
      nos.add(inc.no);
    }
  });
  doc.emergencyMeasures.forEach((m, i) => {
    if (ids.has(m.id))
      ctx.addIssue({
        code: 'custom',
        path: ['emergencyMeasures', i, 'id'],
        message: `编号 ${m.id} 重复`,
      });
    ids.add(m.id);
  });
});

export type Annex1 = z.output<typeof Annex1Schema>;
export type Incentive = z.output<typeof IncentiveSchema>;

/** Checks a parsed annex1.json: every problem with its JSON path and a Chinese reason. */
export function validateAnnex1(raw: unknown): Checked<Annex1> {
  return check(Annex1Schema, raw);
}

// ─── What a target grade brings ─────────────────────────────────────────────────────────────

/** The industry's ruleset, for its emergency measures, grades and name. */
export type IndustryMeasures = Pick<Ruleset, 'id' | 'industry' | 'status'> &
  Partial<Pick<Ruleset, 'branch' | 'edition' | 'measures' | 'grades' | 'kind'>>;

/** 水泥熟料分级指标（2020 版）: a ruleset named as a team reads it, never by its id. */
function industryName(industry: IndustryMeasures): string {
  return `${rulesetName(industry)}${industry.edition ? `（${industry.edition} 版）` : ''}`;
}

export interface MeasureText {
  text: string;
  /** Where it comes from, in Chinese. */
  source: string;
  /** From a draft ruleset or a comment draft (征求意见稿): show 待核实. */
  draft: boolean;
  /** The condition it is subject to, if any. */
  condition: string | null;
}

export interface AlertMeasures {
  level: AlertLevel;
  name: string;
  /** At the current grade (empty where nothing is sourced). */
  before: MeasureText[];
  /** At the target grade. */
  after: MeasureText[];
}

export interface IncentiveView {
  id: string;
  no: number | null;
  title: string;
  text: string;
  responsible: string | null;
  condition: string | null;
  source: string;
  /** true: for every industry, or the item names this one; null: it names industries and none was given. */
  industryMatch: boolean | null;
  /** Not available at the current grade. */
  gained: boolean;
}

export interface GradeBenefits {
  fromGrade: string | null;
  toGrade: string;
  alerts: AlertMeasures[];
  /** The items of 附件1 (and the main text) that apply at the target grade. */
  incentives: IncentiveView[];
  /** What could not be found or decided, in Chinese. */
  notes: string[];
}

/** Ranks of the Ningxia plan's grades (ruleset-format.md), where no ruleset gives them. */
const DEFAULT_RANKS: Record<string, number> = {
  A: 1,
  引领性: 1,
  绩效引领性: 1,
  B: 2,
  'B-': 3,
  C: 4,
  非引领性: 4,
  D: 5,
};

function measuresAt(
  annex: Annex1,
  industry: IndustryMeasures | undefined,
  grade: string,
  level: AlertLevel,
): MeasureText[] {
  const out: MeasureText[] = [];
  const fromRuleset = industry?.measures?.[grade]?.[level];
  if (fromRuleset)
    out.push({
      text: fromRuleset,
      source: industryName(industry),
      draft: industry.status !== 'verified',
      condition: null,
    });
  for (const m of annex.emergencyMeasures) {
    if (!m.grades.includes(grade) || !m.levels.includes(level)) continue;
    out.push({
      text: m.text,
      source: `${annex.title}：${m.source}`,
      draft: annex.status !== 'verified',
      condition: m.condition,
    });
  }
  return out;
}

function industryMatch(inc: Incentive, industry: IndustryMeasures | undefined): boolean | null {
  const wanted = inc.appliesTo.industries;
  if (wanted === null) return true;
  if (!industry) return null;
  const name = `${industry.industry}${industry.branch ?? ''}`;
  return wanted.some((k) => name.includes(k));
}

/**
 * What climbing from `fromGrade` to `toGrade` changes for the enterprise:
 * - per alert level, the emergency measures before and after: the industry ruleset's `measures`
 *   for the grade, plus 附件1's measures for the grade (the seed has these for A only);
 * - the incentives that apply at the target grade (grade-bound items whose grades include it;
 *   "升级企业" items when the target is better than the current grade; items bound to no grade),
 *   minus those naming industries this one is not among, each marked `gained` if it did not
 *   apply at the current grade.
 */
export function gradeBenefits(
  annex: Annex1,
  industry: IndustryMeasures | undefined,
  fromGrade: string | null,
  toGrade: string,
): GradeBenefits {
  const notes: string[] = [];
  const rank = (g: string): number | undefined =>
    industry?.grades?.find((x) => x.grade === g)?.rank ?? DEFAULT_RANKS[g];

  const alerts = ALERT_LEVELS.map((level) => ({
    level,
    name: ALERT_LEVEL_NAMES[level],
    before: fromGrade === null ? [] : measuresAt(annex, industry, fromGrade, level),
    after: measuresAt(annex, industry, toGrade, level),
  }));
  const missingWhere =
    industry?.kind === 'general'
      ? '本行业尚无分级指标（按通用帮扶检查表检查），其应急减排措施未录入'
      : industry
        ? `${industryName(industry)}未录入`
        : '未指定行业指标体系';
  if (fromGrade === null) notes.push('现状等级未知，无法列出现状下的应急减排措施');
  for (const [grade, side] of [
    [fromGrade, 'before'],
    [toGrade, 'after'],
  ] as const) {
    // The same grade on both sides needs one note.
    if (grade === null || (side === 'before' && grade === toGrade)) continue;
    const without = alerts.filter((a) => a[side].length === 0).map((a) => a.name);
    if (without.length > 0)
      notes.push(
        `${grade}级在${without.join('、')}期间的应急减排措施未找到：${missingWhere}，附件1 也未规定`,
      );
  }
  if (industry && industry.status !== 'verified')
    notes.push(`${rulesetName(industry)}为草稿，其应急减排措施待核实`);
  if (annex.status !== 'verified') notes.push(`${annex.title}录自征求意见稿，定稿时请核对`);
  if (fromGrade !== null && fromGrade === toGrade) notes.push('目标等级与现状等级相同');

  const applies = (inc: Incentive, grade: string | null, climbing: boolean): boolean => {
    const { grades, upgrade } = inc.appliesTo;
    if (grades !== null && (grade === null || !grades.includes(grade))) return false;
    if (upgrade && !climbing) return false;
    return true;
  };
  const fromRank = fromGrade === null ? undefined : rank(fromGrade);
  const toRank = rank(toGrade);
  const climbing =
    fromGrade === null
      ? true
      : fromRank !== undefined && toRank !== undefined
        ? toRank < fromRank
        : fromGrade !== toGrade;

  const incentives: IncentiveView[] = [];
  for (const inc of annex.incentives) {
    if (!applies(inc, toGrade, climbing)) continue;
    const match = industryMatch(inc, industry);
    if (match === false) continue;
    incentives.push({
      id: inc.id,
      no: inc.no,
      title: inc.title,
      text: inc.text,
      responsible: inc.responsible,
      condition: inc.appliesTo.condition,
      source: `${annex.title}：${inc.source}`,
      industryMatch: match,
      gained: !applies(inc, fromGrade, false),
    });
  }
  const named = new Set(annex.incentives.flatMap((i) => i.appliesTo.grades ?? []));
  if (!named.has(toGrade))
    notes.push(
      `附件1 按等级给的措施只针对 ${[...named].join('、')} 级；对${toGrade}级是否适用，方案未说明，未列入`,
    );
  if (incentives.some((i) => i.industryMatch === null))
    notes.push('未指定行业：部分措施只适用于特定行业，请核对');
  return { fromGrade, toGrade, alerts, incentives, notes };
}
