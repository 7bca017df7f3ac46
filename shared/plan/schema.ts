import { z } from 'zod';

import { IdSchema } from '../domain/enterprise';
import { ASSISTANCE_DIRECTIONS } from './directions';
import { number, optionalDate, optionalText, positive, strictObject, text } from './fields';

/**
 * An improvement plan (一企一策提升方案) as it is stored, edited and printed: the measures, one per
 * gap to the target grade (plus any the expert adds), and the emission limits the expert entered
 * for the environmental-protection-tax estimate.
 */

export const PLAN_STATUSES = ['草稿', '专家审定', '企业确认'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const PlanStatusSchema = z.enum(PLAN_STATUSES, {
  error: `方案状态应为${PLAN_STATUSES.join('、')}之一`,
});

/** Whether a drafted measure answers an unmet or an unverified (未核实) requirement; null: added by hand. */
export const GAP_STATUSES = ['unmet', 'unknown'] as const;

export const PlanMeasureSchema = strictObject('整改措施', {
  /** Drafted measures: `measureId(processId, indicatorId)`, stable across re-drafts. */
  id: text('措施编号', 300, 1),
  direction: z.enum(ASSISTANCE_DIRECTIONS, {
    error: `帮扶方向应为${ASSISTANCE_DIRECTIONS.join('、')}之一`,
  }),
  indicatorId: optionalText('指标编号', 200),
  /** The enterprise_processes id of the process the gap belongs to. */
  processId: optionalText('工序编号', 100),
  /** The process's name as the plan prints it (an addition to the issue's fields). */
  processLabel: optionalText('行业或工序名称', 100),
  title: text('指标或问题', 300, 1, { multiline: true }),
  current: text('现状', 1000, 0, { multiline: true }),
  required: text('目标要求', 1000, 0, { multiline: true }),
  measure: text('整改措施', 2000, 0, { multiline: true }),
  responsible: text('责任人', 100),
  deadline: optionalDate('完成期限'),
  /** 万元. */
  investment: number('预计投资（万元）', 0, '万元')
    .nullish()
    .transform((v) => v ?? null),
  gapStatus: z
    .enum(GAP_STATUSES, { error: '差距状态应为 unmet（未达到）或 unknown（未核实）' })
    .nullish()
    .transform((v) => v ?? null),
  /** The measure-library entry the suggestion came from (an addition to the issue's fields). */
  libraryId: optionalText('措施库条目', 100),
});
export type PlanMeasureInput = z.input<typeof PlanMeasureSchema>;
export type PlanMeasure = z.output<typeof PlanMeasureSchema>;

/**
 * One outlet's limit for one pollutant, from the emission standard that applies to it, as the
 * expert enters it. The app never guesses a limit (see tax.ts).
 */
export const TaxLimitSchema = strictObject('排放限值', {
  /** The outlet's code, such as the permit's DA001. */
  outletId: text('排放口编号', 50, 1),
  outletName: optionalText('排放口名称', 100),
  pollutant: text('污染物', 50, 1),
  limit: positive('排放限值'),
  unit: text('限值单位', 20, 1),
  /** The standard's name and number, such as 《水泥工业大气污染物排放标准》GB 4915-2013. */
  standard: text('执行标准', 200, 1),
});
export type TaxLimit = z.output<typeof TaxLimitSchema>;

/** One measured concentration of one pollutant at one outlet. */
export const TaxReadingSchema = strictObject('监测读数', {
  outletId: text('排放口编号', 50, 1),
  pollutant: text('污染物', 50, 1),
  value: number('监测浓度', 0),
  /** Absent: taken to be the limit's unit. */
  unit: optionalText('读数单位', 20),
});
export type TaxReading = z.output<typeof TaxReadingSchema>;

export const PlanContentSchema = strictObject('方案', {
  enterpriseId: IdSchema,
  /** The finalized visit the plan was drafted from. */
  inspectionId: IdSchema,
  targetGrade: text('目标等级', 20, 1),
  measures: z
    .array(PlanMeasureSchema, { error: '整改措施应为列表' })
    .max(1000, '整改措施不能超过1000条'),
  taxLimits: z
    .array(TaxLimitSchema, { error: '排放限值应为列表' })
    .max(500, '排放限值不能超过500条')
    .default([]),
  notes: optionalText('备注', 5000, { multiline: true }),
}).superRefine((plan, ctx) => {
  const ids = new Set<string>();
  plan.measures.forEach((m, i) => {
    if (ids.has(m.id))
      ctx.addIssue({
        code: 'custom',
        path: ['measures', i, 'id'],
        message: `措施编号 ${m.id} 重复`,
      });
    ids.add(m.id);
  });
  const limits = new Set<string>();
  plan.taxLimits.forEach((l, i) => {
    const k = JSON.stringify([l.outletId, l.pollutant]);
    if (limits.has(k))
      ctx.addIssue({
        code: 'custom',
        path: ['taxLimits', i],
        message: `排放口 ${l.outletId} 的${l.pollutant}限值重复录入`,
      });
    limits.add(k);
  });
});
export type PlanContent = z.output<typeof PlanContentSchema>;
