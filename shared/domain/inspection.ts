import { z } from 'zod';

import { isIsoDate } from '../grading/validate';
import {
  VIOLATION_KINDS,
  type FactValue,
  type Gap,
  type Requirement,
  type Ruleset,
  type RulesetStatus,
} from '../grading/types';
import { multilineText, text } from '../text';
import { IdSchema } from './enterprise';

/**
 * Site visits (现场检查/帮扶记录), their answers, evidence and the violations found: the shapes a
 * person enters (zod schemas, validated at the API edge) and the shapes the services return.
 */

export const INSPECTION_TYPES = ['帮扶指导', '核查', '复核'] as const;
export type InspectionType = (typeof INSPECTION_TYPES)[number];

export const MEMBER_ROLES = ['执法', '监测', '专家'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export type InspectionStatus = 'draft' | 'finalized';

/** Evidence files: images (JPEG, PNG, WebP, HEIC) or PDF, judged by content, at most 20 MB. */
export const EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;

/** Optional text that may span lines (every such field here is a textarea): blank becomes null. */
function optionalText(label: string, max: number) {
  return multilineText(label, `${label}应为文本`)
    .trim()
    .max(max, `${label}不能超过${max}个字`)
    .nullish()
    .transform((v) => (v === undefined || v === null || v === '' ? null : v));
}

// A date is checked against its own pattern, which no ill-formed text passes.
const DateSchema = z
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

export const ViolationDraftSchema = z
  .object({
    enterpriseId: IdSchema,
    date: DateSchema,
    kind: z.enum(VIOLATION_KINDS, { error: `违法情形应为${VIOLATION_KINDS.join('、')}之一` }),
    note: optionalText('说明', 2000),
    inspectionId: IdSchema.nullish().transform((v) => v ?? null),
  })
  .strict();
export type ViolationDraft = z.output<typeof ViolationDraftSchema>;

/** Withdrawing a violation recorded in error (the lock goes with it); the reason is kept. */
/** A person's name as they sign or act (one line). */
export const PersonNameSchema = text('姓名')
  .trim()
  .min(1, '请填写姓名')
  .max(50, '姓名不能超过50个字');

/** The parts a signature is signed in (签名人身份). */
export const REPRESENTATIVE_ROLE = '企业陪同人员';
export const REVIEWER_SIGNER_ROLE = '审定专家';
export const CONFIRMER_SIGNER_ROLE = '企业确认人';

/** A signature drawn on screen: a PNG, base64 without the data-URL prefix, at most 1 MB. */
export const SignatureImageSchema = z
  .string()
  .min(1, '请先签名')
  .max(1_400_000, '签名图片过大（超过 1 MB）')
  .regex(/^[A-Za-z0-9+/=]*$/, '签名图片编码不正确');

/**
 * Signing a draft visit: a team member (memberId: their signature is their confirmation) or
 * the enterprise's representative (representative: the name they sign under).
 */
export const InspectionSignSchema = z
  .object({
    inspectionId: IdSchema,
    memberId: IdSchema.optional(),
    representative: PersonNameSchema.optional(),
    image: SignatureImageSchema,
  })
  .strict()
  .refine((s) => (s.memberId === undefined) !== (s.representative === undefined), {
    message: '请选择签名的检查组成员，或填写企业陪同人员的姓名（二者选一）',
    path: ['memberId'],
  });
export type InspectionSign = z.output<typeof InspectionSignSchema>;

/** Starting a correction (更正) of a finalized visit, and why. */
export const InspectionReviseSchema = z
  .object({
    id: IdSchema,
    reason: multilineText('更正原因', '请填写更正原因')
      .trim()
      .min(2, '请填写更正原因（至少2个字）')
      .max(500, '更正原因不能超过500个字'),
  })
  .strict();

export const ViolationWithdrawSchema = z
  .object({
    id: IdSchema,
    /** Who withdraws it (the person's name). */
    by: PersonNameSchema,
    reason: multilineText('撤销原因', '请填写撤销原因')
      .trim()
      .min(2, '请填写撤销原因（至少2个字）')
      .max(500, '撤销原因不能超过500个字'),
  })
  .strict();

export const ViolationListSchema = z
  .object({
    enterpriseId: IdSchema,
    /** The day the lock is judged on; today by default. */
    asOf: DateSchema.optional(),
  })
  .strict();

// ─── What the services return ───────────────────────────────────────────────────────────────

export interface Inspection {
  id: string;
  enterpriseId: string;
  date: string;
  type: InspectionType;
  status: InspectionStatus;
  note: string | null;
  /** The visit this one corrects, if it is a revision. */
  revisionOf: string | null;
  /** Why it corrects it (更正原因); null unless it is a revision. */
  correctionReason: string | null;
  /** The record number people say aloud (银川-2026-0012-K7Q3); never changes. */
  number: string;
  /** Epoch ms. */
  finalizedAt: number | null;
  createdAt: number;
  updatedAt: string;
}

/** A signature on a visit or a plan: evidence whose file is the signed PNG. */
export interface Signature {
  /** The evidence use; its file is read with evidence.read. */
  id: string;
  sha256: string;
  signerName: string;
  /** A team member's role, 企业陪同人员, 审定专家 or 企业确认人. */
  signerRole: string;
  /** The team member who signed, for a member's signature. */
  memberId: string | null;
  /** Epoch ms. */
  signedAt: number;
}

export interface InspectionMember {
  id: string;
  name: string;
  role: MemberRole;
  /** Epoch ms of this member's confirmation; null until they confirm. */
  confirmedAt: number | null;
}

/** The ruleset a visited process is answered against, exactly as pinned. */
export interface PinnedRuleset {
  id: string;
  edition: string;
  hash: string;
  status: RulesetStatus;
  /** The 通用帮扶检查表 (its grades are 专家判定), not an industry's ruleset. */
  general: boolean;
  /** The pinned content (null when it is not on this device yet). */
  ruleset: Ruleset | null;
}

export interface InspectionProcess {
  /** The inspection_processes row. */
  id: string;
  /** The enterprise_processes row. */
  processId: string;
  /** What to call it: its own name, else industry and branch. */
  label: string;
  industryCode: string;
  branch: string;
  targetGrade: string | null;
  ruleset: PinnedRuleset;
}

export interface InspectionAnswer {
  id: string;
  processId: string;
  indicatorId: string;
  /** null: not answered (unknown). */
  fact: FactValue | null;
  note: string | null;
  /** 存在问题 recorded here (empty when none). */
  problems: string[];
  /** 实测读数 recorded here (empty when none). */
  readings: Reading[];
  updatedAt: string;
}

/** What a photo's own EXIF says, read once on the device (electron/services/photos.ts). */
export interface PhotoInfo {
  /** Upright size in pixels of the original. */
  width: number;
  height: number;
  /** The camera's clock when it was taken, 'YYYY-MM-DD HH:mm' as it showed; null if not recorded. */
  takenAt: string | null;
  /** Where, in degrees (north and east positive); null if not recorded. */
  gps: { lat: number; lon: number } | null;
}

/** Where a photo was taken, as screens and PDFs print it: 北纬 38.4872° 东经 106.2306° (about 10 m). */
export function photoPlaceText(gps: { lat: number; lon: number }): string {
  const lat = `${gps.lat >= 0 ? '北纬' : '南纬'} ${Math.abs(gps.lat).toFixed(4)}°`;
  const lon = `${gps.lon >= 0 ? '东经' : '西经'} ${Math.abs(gps.lon).toFixed(4)}°`;
  return `${lat} ${lon}`;
}

export interface EvidenceUse {
  id: string;
  /** SHA-256 of the content (the attachment's id). */
  sha256: string;
  fileName: string;
  mimeType: string;
  size: number;
  /** Epoch ms the caller gave as the file's own time; null if unknown. */
  takenAt: number | null;
  createdAt: number;
  inspectionId: string | null;
  /** The answer it documents, with its process and indicator; null for the visit as a whole. */
  answerId: string | null;
  processId: string | null;
  indicatorId: string | null;
  violationId: string | null;
}

/** A requirement not met, named so a person can read it without the ruleset at hand. */
export interface GapView {
  indicatorId: string;
  title: string;
  dimension: string;
  kind: string;
  unit: string | null;
  status: Gap['status'];
  required: Requirement;
  actual: FactValue | null;
}

export interface ProcessGrading {
  inspectionProcessId: string;
  processId: string;
  label: string;
  rulesetId: string;
  edition: string;
  /**
   * The pinned ruleset in words (水泥熟料分级指标, or 通用帮扶检查表), as every screen and
   * document a team reads names it; never its id. 分级指标 where this device lacks the content.
   */
  rulesetName: string;
  /** The pinned ruleset's 说明 for the team (its `summary`), or null. */
  summary: string | null;
  /** 指标待核实: the pinned ruleset is a draft (not yet checked against the official text). */
  unverified: boolean;
  /** Visited with the 通用帮扶检查表: the grade is the team's judgement (专家判定), worst dimension. */
  judged: boolean;
  /** null when the process cannot be graded (see `problem`). */
  grade: string | null;
  /** Where a violation put the process at its floor: the grade its facts alone support. */
  factsGrade: string | null;
  targetGrade: string | null;
  /** null when there is no target, or it is not a grade of the pinned ruleset. */
  reachesTarget: boolean | null;
  /** The requirements of the target grade's column not met (empty when the facts meet it). */
  gapsToTarget: GapView[] | null;
  /** For each grade better than `grade`: its requirements not met. */
  gaps: Record<string, GapView[]>;
  answered: number;
  indicators: number;
  /** Why grading or the target could not be worked out, in Chinese; null when all is well. */
  problem: string | null;
}

export interface InspectionGrading {
  /** The day grades are computed as of: the visit's date. */
  asOf: string;
  /** The enterprise's grade from the visited processes (worst of them, violations applied). */
  grade: string | null;
  lockedUntil: string | null;
  /** Any pinned ruleset is a draft: show 指标待核实 beside every grade. */
  unverified: boolean;
  /** Indicators answered (a fact or 不适用) over every visited process. */
  answered: number;
  /** Indicators still unanswered over every visited process. */
  open: number;
  /**
   * The grades are those finalization computed and stored (a finalized visit keeps them, whatever
   * is recorded later); false while a draft is graded live.
   */
  frozen: boolean;
  /**
   * A violation recorded after finalization that the frozen grades do not include, and that
   * locks the enterprise now: it changes the enterprise's current grade, never this record's.
   */
  laterViolation: { date: string; kind: string; lockedUntil: string } | null;
  processes: ProcessGrading[];
}

/**
 * What finalization stores of a visit's grading (inspections.frozenGrading, JSON): the grades it
 * computed, and the violation it applied, so the record reads the same ever after.
 */
export const FrozenGradingSchema = z.object({
  v: z.literal(1),
  asOf: z.string(),
  grade: z.string().nullable(),
  lockedUntil: z.string().nullable(),
  /** The violation (its date) that put the processes at their floor; null when none did. */
  violationDate: z.string().nullable(),
  processes: z.array(
    z.object({
      /** The inspection_processes row. */
      id: z.string(),
      grade: z.string().nullable(),
      factsGrade: z.string().nullable(),
      answered: z.number().int().min(0),
      indicators: z.number().int().min(0),
    }),
  ),
});
export type FrozenGrading = z.output<typeof FrozenGradingSchema>;

/** What autosaving one answer returns: the answer as stored and the visit's live grading. */
export interface AnswerSaved {
  answer: InspectionAnswer | null;
  /** false when the same values were saved again and nothing was written. */
  changed: boolean;
  grading: InspectionGrading;
}

export interface InspectionSummary extends Inspection {
  enterpriseName: string;
  grade: string | null;
  unverified: boolean;
  /** Some process was judged with the 通用帮扶检查表: the grade rests on 专家判定. */
  judged: boolean;
  lockedUntil: string | null;
  members: string[];
  processCount: number;
  answered: number;
  /** Indicators still unanswered (for a finalized visit: when it was finalized). */
  open: number;
  /** The grade is the one stored at finalization. */
  frozen: boolean;
  /** The visit that corrects this one (a revision naming it), if any. */
  revisedBy: {
    id: string;
    number: string;
    status: InspectionStatus;
    /** Why the correction was made: shown on the corrected visit too. */
    reason: string | null;
  } | null;
}

export interface InspectionDetail {
  inspection: Inspection;
  enterpriseName: string;
  members: InspectionMember[];
  processes: InspectionProcess[];
  answers: InspectionAnswer[];
  evidence: EvidenceUse[];
  /** Who signed it (team members, the enterprise's representative), in the order they signed. */
  signatures: Signature[];
  grading: InspectionGrading;
  /** The answer saved last, so a reopened draft continues where it was left. */
  lastAnswer: { processId: string; indicatorId: string } | null;
  /** The visits of this correction chain, oldest first (this one included). */
  history: {
    id: string;
    number: string;
    status: InspectionStatus;
    date: string;
    revisionOf: string | null;
  }[];
  revisedBy: {
    id: string;
    number: string;
    status: InspectionStatus;
    /** Why the correction was made: shown on the corrected visit too. */
    reason: string | null;
  } | null;
}

export interface Violation {
  id: string;
  enterpriseId: string;
  date: string;
  kind: string;
  note: string | null;
  inspectionId: string | null;
  /** Its withdrawal (撤销): it stays listed, struck through, and no longer locks. */
  withdrawal: ViolationWithdrawal | null;
  createdAt: number;
  evidence: EvidenceUse[];
}

export interface ViolationWithdrawal {
  /** Epoch ms. */
  at: number;
  by: string;
  /** The sync account that was logged in on the device (姓名（账号）), if any. */
  account: string | null;
  reason: string;
}

export interface ViolationList {
  violations: Violation[];
  /** YYYY-MM-DD until which the enterprise may not apply again (null: not locked) as of `asOf`. */
  lockedUntil: string | null;
  asOf: string;
}
