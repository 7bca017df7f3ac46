import { z } from 'zod';
import { isIsoDate } from '../../grading/validate';
import { multilineText, text } from '../../text';
import { IdSchema } from '../enterprise';

/**
 * What a person enters for a visit: its type, team, answers and readings, as zod schemas
 * validated at the API edge, and the limits they share (evidence size, dates, optional text).
 */
export const INSPECTION_TYPES = ['帮扶指导', '核查', '复核'] as const;
export type InspectionType = (typeof INSPECTION_TYPES)[number];

export const MEMBER_ROLES = ['执法', '监测', '专家'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export type InspectionStatus = 'draft' | 'finalized';

/** Evidence files: images (JPEG, PNG, WebP, HEIC) or PDF, judged by content, at most 20 MB. */
export const EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;

/** Optional text that may span lines (every such field here is a textarea): blank becomes null. */
export function optionalText(label: string, max: number) {
  return multilineText(label, `${label}应为文本`)
    .trim()
    .max(max, `${label}不能超过${max}个字`)
    .nullish()
    .transform((v) => (v === undefined || v === null || v === '' ? null : v));
}

// A date is checked against its own pattern, which no ill-formed text passes.
export const DateSchema = z
  .string({ error: '请填写日期' })
  .refine(isIsoDate, { message: '日期应为 YYYY-MM-DD，例如 2025-06-01' });

export const MemberDraftSchema = z
  .object({
    name: text('成员姓名', '请填写成员姓名')
      .trim()
      .min(1, '请填写成员姓名')
      .max(50, '成员姓名不能超过50个字'),
    role: z.enum(MEMBER_ROLES, { error: `成员角色应为${MEMBER_ROLES.join('、')}之一` }),
  })
  .strict();

export const InspectionStartSchema = z
  .object({
    enterpriseId: IdSchema,
    date: DateSchema,
    type: z.enum(INSPECTION_TYPES, { error: `检查类型应为${INSPECTION_TYPES.join('、')}之一` }),
    members: z.array(MemberDraftSchema).max(30, '成员不能超过30人').default([]),
    processIds: z
      .array(IdSchema)
      .min(1, '请至少选择一个检查的行业或工序')
      .max(50, '一次检查最多50个工序'),
    note: optionalText('备注', 2000),
  })
  .strict();
export type InspectionStartInput = z.input<typeof InspectionStartSchema>;
export type InspectionStart = z.output<typeof InspectionStartSchema>;

/** The fields of a draft visit that can change; absent fields stay as they are. */
export const InspectionUpdateSchema = z
  .object({
    id: IdSchema,
    date: DateSchema.optional(),
    type: z
      .enum(INSPECTION_TYPES, { error: `检查类型应为${INSPECTION_TYPES.join('、')}之一` })
      .optional(),
    note: optionalText('备注', 2000).optional(),
    /** The visited processes, replacing the current list (new ones are pinned now). */
    processIds: z
      .array(IdSchema)
      .min(1, '请至少选择一个检查的行业或工序')
      .max(50, '一次检查最多50个工序')
      .optional(),
  })
  .strict();
export type InspectionUpdate = z.output<typeof InspectionUpdateSchema>;

/**
 * A fact as it crosses the API. Only its shape is checked here: whether it suits its indicator
 * (a reading where a reading belongs…) is checked by the service against the pinned ruleset, so
 * the message can name the indicator (a word among readings included). A word is well-formed
 * text that may hold a line break: a ruleset file's option may, and an answer must name it.
 */
export const FactInputSchema = z.union(
  [
    z.number().finite(),
    z
      .array(z.union([z.number().finite(), multilineText('读数').max(200), z.boolean()]))
      .max(100, '读数不能超过100个'),
    z.boolean(),
    multilineText('取值').max(200, '取值不能超过200个字'),
  ],
  { error: '取值应为数字、数字列表、是/否、选项或 "n/a"' },
);

/** One measured reading (实测读数) at an outlet, as stored and shown. */
export interface Reading {
  /** 排放口: where it was measured (1#窑尾排放口…). */
  outlet: string;
  /** 污染物: 颗粒物, 二氧化硫, 氮氧化物… */
  pollutant: string;
  /** 实测值, in `unit`. */
  value: number;
  unit: string;
  /** 基准氧含量, %; null where the standard names none. */
  oxygenRef: number | null;
  /** 限值, in the same unit, when the team knows it; null otherwise. */
  limit: number | null;
}

/** A number of a reading as it crosses the API: a number, or the text typed for it. */
function readingNumber(label: string) {
  return z.union([z.number().finite(), text(label).max(50, `${label}不能超过50个字`)], {
    error: `${label}应为数字`,
  });
}

/**
 * One measured reading as saved. Only its shape is checked here: its numbers (typed text read as
 * a number, 实测值 and 限值 within the unit's range, 基准氧含量 within 0–21 %) are checked by the
 * service, with the rule of the input under each (shared/grading/readings.ts), so the message
 * can name the indicator, the reading and the field.
 */
export const ReadingSchema = z
  .object({
    outlet: text('排放口', '请填写排放口')
      .trim()
      .min(1, '请填写排放口')
      .max(100, '排放口不能超过100个字'),
    pollutant: text('污染物', '请填写污染物')
      .trim()
      .min(1, '请填写污染物')
      .max(50, '污染物不能超过50个字'),
    value: readingNumber('实测值'),
    unit: text('单位', '请填写单位').trim().min(1, '请填写单位').max(20, '单位不能超过20个字'),
    oxygenRef: readingNumber('基准氧含量')
      .nullish()
      .transform((v) => v ?? null),
    limit: readingNumber('限值')
      .nullish()
      .transform((v) => v ?? null),
  })
  .strict();
/** A reading as the service receives it (its numbers possibly still text). */
export type ReadingSave = z.output<typeof ReadingSchema>;
export type ReadingInput = z.input<typeof ReadingSchema>;

/** One problem found (存在问题), as a line of the plan. */
const ProblemSchema = multilineText('存在问题', '存在问题应为文本')
  .trim()
  .min(1, '存在问题不能为空')
  .max(500, '每条存在问题不能超过500个字');

export const AnswerSaveSchema = z
  .object({
    inspectionId: IdSchema,
    /** The enterprise_processes id of a visited process. */
    processId: IdSchema,
    indicatorId: text('指标编号').min(1, '缺少指标编号').max(200),
    /** The fact; null clears it (unknown again); absent leaves it as it is. */
    fact: FactInputSchema.nullable().optional(),
    /** absent leaves the note as it is; null or blank clears it. */
    note: optionalText('说明', 2000).optional(),
    /** The problems found here (存在问题), replacing the list; absent leaves it as it is. */
    problems: z.array(ProblemSchema).max(50, '存在问题不能超过50条').optional(),
    /** The readings measured here, replacing the list; absent leaves it as it is. */
    readings: z.array(ReadingSchema).max(100, '实测读数不能超过100条').optional(),
  })
  .strict();
export type AnswerSave = z.output<typeof AnswerSaveSchema>;
export type AnswerSaveInput = z.input<typeof AnswerSaveSchema>;

export const MemberSaveSchema = MemberDraftSchema.extend({
  inspectionId: IdSchema,
  /** Absent: add a member; present: change this member. */
  memberId: IdSchema.optional(),
}).strict();
export type MemberSave = z.output<typeof MemberSaveSchema>;

export const MemberRefSchema = z.object({ inspectionId: IdSchema, memberId: IdSchema }).strict();

export const InspectionListSchema = z
  .object({
    enterpriseId: IdSchema.optional(),
    status: z.enum(['draft', 'finalized']).optional(),
  })
  .strict();
export type InspectionListQuery = z.output<typeof InspectionListSchema>;
