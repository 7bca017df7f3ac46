import { z } from 'zod';

import { multilineText } from '../text';
import type { Role } from '../sync/protocol';

import { IdSchema } from './enterprise';
import { DateSchema, optionalText } from './inspection/input';
import { PersonNameSchema } from './inspection/signing';

/**
 * 审核评定, 动态管理 and 信息公开 (the seed's 二(四), 二(五) and 三): an application (申报) for a
 * grade, its review route and steps, the official grade (认定等级) and its history, and the
 * published results list. Pure: the device's services and the central store both judge a step
 * with the functions here, so the two cannot disagree.
 *
 * - An application for B (incl. B-) and above, or 绩效引领性, goes 市级初审 → 自治区复审; C and
 *   below, 非引领性 and 保障类 are decided by the city alone (市级评定).
 * - Steps are append-only records (review_steps). Round 1 starts with the application's 提交;
 *   a 退回补充 ends a round, and a resubmission (提交) starts the next. The application's status
 *   is a fold over its steps (applicationState); nothing else stores it.
 * - The official grade of an enterprise (or one of its processes) is the latest grade event
 *   (grade_events): an approval, a violation's floor, a confirmed 降级, an A+ designation or a
 *   revocation. A team's finding (the grade of a finalized visit) is never the official grade.
 */

/** Grades one may apply for (绩效引领性 is written 引领性, as the catalogue writes it). */
export const APPLICABLE_GRADES = ['A', 'B', 'B-', 'C', 'D', '引领性', '非引领性'] as const;
export type ApplicableGrade = (typeof APPLICABLE_GRADES)[number];

/** Every official grade: the applicable ones and A+ (chosen by the MEE from A-level enterprises). */
export const OFFICIAL_GRADES = ['A+', ...APPLICABLE_GRADES] as const;
export type OfficialGrade = (typeof OFFICIAL_GRADES)[number];

/** What is applied for: a grade, or to be listed as 保障类 (民生保障类) enterprise. */
export const APPLICATION_KINDS = ['等级', '保障类'] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];

/** region: 市级初审 then 自治区复审; city: 市级评定 alone. */
export type ReviewRoute = 'region' | 'city';

export const REVIEW_STEPS = ['提交', '市级初审', '自治区复审', '市级评定'] as const;
export type ReviewStep = (typeof REVIEW_STEPS)[number];
/** The steps a reviewer decides (every step but 提交). */
export type DecisionStep = Exclude<ReviewStep, '提交'>;

export const DECISIONS = ['通过', '退回补充', '不予通过'] as const;
export type Decision = (typeof DECISIONS)[number];

export const APPLICATION_STATUSES = [
  '待初审',
  '待复审',
  '待评定',
  '退回补充',
  '已通过',
  '不予通过',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** Lower is better. 引领性 sits with A and 非引领性 with C (they rank their own family). */
export const GRADE_RANKS: Readonly<Record<OfficialGrade, number>> = {
  'A+': 0,
  A: 1,
  引领性: 1,
  B: 2,
  'B-': 3,
  C: 4,
  非引领性: 4,
  D: 5,
};

export function isOfficialGrade(value: unknown): value is OfficialGrade {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(GRADE_RANKS, value);
}

/** The route an application takes: B (incl. B-) and above and 引领性 go up to the region. */
export function routeFor(kind: ApplicationKind, targetGrade: string | null): ReviewRoute {
  if (kind === '保障类') return 'city';
  return targetGrade === '引领性' || (isOfficialGrade(targetGrade) && GRADE_RANKS[targetGrade] <= 3)
    ? 'region'
    : 'city';
}

/** The reviewers' steps of a route, in order. */
export function routeSteps(route: ReviewRoute): readonly DecisionStep[] {
  return route === 'region' ? ['市级初审', '自治区复审'] : ['市级评定'];
}

export const ROUTE_NAMES: Readonly<Record<ReviewRoute, string>> = {
  region: '市级初审 → 自治区复审',
  city: '市级评定',
};

/** The one role that may decide each step (the store enforces it whatever a device sends). */
export const STEP_ROLES: Readonly<Record<DecisionStep, Role>> = {
  市级初审: '市级审核',
  市级评定: '市级审核',
  自治区复审: '自治区复审',
};

/** Roles that may publish a city's results list, and the region's (or record A+). */
export const CITY_PUBLISHER: Role = '市级审核';
export const REGION_PUBLISHER: Role = '自治区复审';
/** Roles that may confirm a 降级 found by a 复核 visit or revoke a grade (the city decides). */
export const GRADE_CHANGERS: readonly Role[] = ['市级审核', '自治区复审'];

/** One recorded step of an application, as the fold reads it. */
export interface StepRecord {
  id: string;
  round: number;
  step: ReviewStep;
  /** 提交 for a submission; a decision otherwise. */
  decision: Decision | '提交';
  decidedBy: string;
  decidedAt: number;
}

export interface ApplicationState {
  status: ApplicationStatus;
  /** The round in progress (or the last one, when decided). */
  round: number;
  /** What comes next: a reviewer's step, a resubmission (提交), or nothing (decided). */
  next: ReviewStep | null;
  /** The steps that count, in order (duplicates of a decided step are left out). */
  steps: StepRecord[];
}

const STEP_ORDER: Readonly<Record<ReviewStep, number>> = {
  提交: 0,
  市级初审: 1,
  市级评定: 1,
  自治区复审: 2,
};

function waitingFor(step: DecisionStep): ApplicationStatus {
  return step === '市级初审' ? '待初审' : step === '自治区复审' ? '待复审' : '待评定';
}

/**
 * The application's state from its steps. Steps are taken in (round, step) order; the first
 * record of a (round, step) counts (the store keeps the first and parks the others, and a
 * device leaves out what the store parked before calling this); anything out of order is ignored.
 */
export function applicationState(
  route: ReviewRoute,
  records: readonly StepRecord[],
): ApplicationState {
  const order = routeSteps(route);
  const sorted = [...records].sort(
    (a, b) =>
      a.round - b.round ||
      STEP_ORDER[a.step] - STEP_ORDER[b.step] ||
      a.decidedAt - b.decidedAt ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const steps: StepRecord[] = [];
  let round = 0;
  let next: ReviewStep | null = '提交';
  let status: ApplicationStatus = '退回补充';
  for (const record of sorted) {
    if (next === null) break;
    if (record.step !== next) continue;
    if (record.step === '提交') {
      if (record.round !== round + 1 || record.decision !== '提交') continue;
      round = record.round;
      steps.push(record);
      next = order[0] as DecisionStep;
      status = waitingFor(next);
      continue;
    }
    if (record.round !== round || record.decision === '提交') continue;
    steps.push(record);
    if (record.decision === '通过') {
      const after: DecisionStep | undefined = order[order.indexOf(record.step) + 1];
      next = after ?? null;
      status = after ? waitingFor(after) : '已通过';
    } else if (record.decision === '退回补充') {
      next = '提交';
      status = '退回补充';
    } else {
      next = null;
      status = '不予通过';
    }
  }
  return { status, round: Math.max(round, 1), next, steps };
}

/**
 * Why this step may not be recorded now (a Chinese sentence naming what is wrong), or null.
 * `records` are the application's steps as the writer knows them.
 */
export function stepProblem(
  route: ReviewRoute,
  records: readonly StepRecord[],
  step: { round: number; step: ReviewStep; decision: Decision | '提交' },
): string | null {
  const state = applicationState(route, records);
  if (step.step !== '提交' && !routeSteps(route).includes(step.step)) {
    return `该申报的审核流程是${ROUTE_NAMES[route]}，没有“${step.step}”这一步`;
  }
  if ((step.step === '提交') !== (step.decision === '提交')) {
    return step.step === '提交'
      ? '提交申报不是审核决定'
      : `${step.step}须选择通过、退回补充或不予通过`;
  }
  const taken = state.steps.find((s) => s.round === step.round && s.step === step.step);
  if (taken) {
    const what =
      step.step === '提交'
        ? '已提交'
        : `的${step.step}已由${taken.decidedBy}作出决定（${taken.decision}）`;
    return `该申报第 ${step.round} 轮${what}，不能重复${step.step === '提交' ? '提交' : '决定'}`;
  }
  if (state.next === null) return `该申报已审核完毕（${state.status}），不能再${step.step}`;
  if (step.step !== state.next) {
    return state.next === '提交'
      ? `该申报已退回补充，须重新提交后才能${step.step}`
      : `该申报当前${state.status}，不能进行${step.step}`;
  }
  const expectedRound =
    step.step === '提交' ? (state.steps.length === 0 ? 1 : state.round + 1) : state.round;
  if (step.round !== expectedRound) {
    return `审核轮次不对：该申报当前是第 ${expectedRound} 轮，记录写的是第 ${step.round} 轮`;
  }
  return null;
}

/** Why this role may not decide this step (who may), or null. Submitting is open to every role. */
export function stepRoleProblem(step: ReviewStep, role: Role): string | null {
  if (step === '提交') return null;
  const needed = STEP_ROLES[step];
  return role === needed ? null : `${step}须由${needed}账号作出；当前账号是${role}`;
}

/** How an official grade changed. */
export type GradeChange = '认定' | '升级' | '降级' | '撤销';

/** Why an official grade changed (grade_events.cause). */
export const GRADE_CAUSES = [
  '审核通过',
  '违法违规',
  '违法记录撤销',
  '复核降级',
  'A+认定',
  '撤销等级',
] as const;
export type GradeCause = (typeof GRADE_CAUSES)[number];

/** 升级 / 降级 from one official grade to the next; 认定 the first time or at the same rank. */
export function gradeChange(previous: string | null, next: string | null): GradeChange {
  if (next === null) return '撤销';
  if (previous === null || !isOfficialGrade(previous) || !isOfficialGrade(next)) return '认定';
  const a = GRADE_RANKS[previous];
  const b = GRADE_RANKS[next];
  return b < a ? '升级' : b > a ? '降级' : '认定';
}

/** One change of an official grade, as the history shows it. */
export interface GradeEvent {
  id: string;
  enterpriseId: string;
  /** The process (industry line) the grade is for; null for the enterprise as a whole. */
  processId: string | null;
  grade: string | null;
  previousGrade: string | null;
  change: GradeChange;
  cause: GradeCause;
  reason: string | null;
  documentNo: string | null;
  /** YYYY-MM-DD from which the grade holds. */
  effectiveDate: string;
  applicationId: string | null;
  violationId: string | null;
  inspectionId: string | null;
  decidedBy: string;
  account: string | null;
  createdAt: number;
}

/** The official grade now of an enterprise (or a process), from its history. */
export interface OfficialGradeNow {
  grade: string | null;
  since: string | null;
  cause: GradeCause | null;
}

/** A step as the application shows it. */
export interface ReviewStepView extends StepRecord {
  opinion: string | null;
  /** The reviewer asks the team for a 现场核查 visit before deciding again. */
  requestVisit: boolean;
  account: string | null;
  role: string | null;
  /** The central store refused this record (another reviewer decided first): why. */
  parked: string | null;
}

export interface ApplicationSummary {
  id: string;
  enterpriseId: string;
  enterpriseName: string;
  cityCode: string;
  processId: string | null;
  /** 行业 of the process applied for, or of every process of the enterprise. */
  industries: string;
  kind: ApplicationKind;
  targetGrade: string | null;
  route: ReviewRoute;
  status: ApplicationStatus;
  round: number;
  next: ReviewStep | null;
  applicant: string;
  createdAt: number;
  /** Epoch ms of the last step. */
  updatedAt: number;
}

export interface ApplicationMaterials {
  /** The finalized visits it rests on, with the grade each found. */
  visits: {
    id: string;
    number: string | null;
    date: string;
    type: string;
    grade: string | null;
    gaps: number;
    photos: number;
  }[];
  plan: { id: string; number: string | null; status: string; measures: number } | null;
  evidence: { id: string; attachmentId: string; fileName: string; mimeType: string }[];
}

export interface ApplicationDetail extends ApplicationSummary {
  basisGrade: string | null;
  basisNote: string | null;
  reason: string | null;
  applicantAccount: string | null;
  inspectionIds: string[];
  planId: string | null;
  steps: ReviewStepView[];
  materials: ApplicationMaterials;
  official: OfficialGradeNow;
  /** What this device's account may do now, and why not the rest (Chinese sentences). */
  actions: { step: ReviewStep; allowed: boolean; why: string | null }[];
}

/** A line of a published results list (信息公开). */
export interface PublicationRow {
  enterpriseName: string;
  creditCode: string | null;
  cityName: string;
  countyName: string | null;
  industries: string;
  grade: string;
  gradeDate: string;
}

export interface Publication {
  id: string;
  /** A city code, or 'region' for the region's list. */
  scope: string;
  /** Edition number within its scope (第 N 期), counted from 1. */
  edition: number;
  title: string;
  publishedAt: number;
  publishedBy: string;
  account: string | null;
  rows: PublicationRow[];
}

const ReasonSchema = (label: string) =>
  multilineText(label, `请填写${label}`)
    .trim()
    .min(2, `请填写${label}（至少2个字）`)
    .max(2000, `${label}不能超过2000个字`);

export const ApplicationDraftSchema = z
  .object({
    enterpriseId: IdSchema,
    processId: IdSchema.nullish().transform((v) => v ?? null),
    kind: z.enum(APPLICATION_KINDS, { error: '申报类型应为等级或保障类' }),
    targetGrade: z
      .enum(APPLICABLE_GRADES, { error: `申报等级应为${APPLICABLE_GRADES.join('、')}之一` })
      .nullish()
      .transform((v) => v ?? null),
    /** The grade the team found (computed from the checklist, or judged), shown to reviewers. */
    basisGrade: optionalText('核查等级', 10),
    basisNote: optionalText('等级说明', 2000),
    inspectionIds: z.array(IdSchema).max(20, '最多关联20次检查').default([]),
    planId: IdSchema.nullish().transform((v) => v ?? null),
    reason: optionalText('申报说明', 2000),
    applicant: PersonNameSchema,
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.kind === '等级' && d.targetGrade === null) {
      ctx.addIssue({ code: 'custom', path: ['targetGrade'], message: '请选择申报等级' });
    }
    if (d.kind === '保障类' && (d.reason === null || d.reason.trim().length < 2)) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: '申报保障类须写明理由' });
    }
  });
export type ApplicationDraft = z.output<typeof ApplicationDraftSchema>;

export const ReviewDecisionSchema = z
  .object({
    applicationId: IdSchema,
    step: z.enum(['市级初审', '自治区复审', '市级评定'], { error: '审核步骤不正确' }),
    decision: z.enum(DECISIONS, { error: '请选择通过、退回补充或不予通过' }),
    opinion: ReasonSchema('审核意见'),
    requestVisit: z.boolean().default(false),
    decidedBy: PersonNameSchema,
    /** 认定文号 recorded with an approval, if any. */
    documentNo: optionalText('文号', 100),
  })
  .strict();
export type ReviewDecision = z.output<typeof ReviewDecisionSchema>;

export const ResubmitSchema = z
  .object({
    applicationId: IdSchema,
    inspectionIds: z.array(IdSchema).max(20, '最多关联20次检查').optional(),
    planId: IdSchema.nullish(),
    basisGrade: optionalText('核查等级', 10).optional(),
    reason: optionalText('补充说明', 2000).optional(),
    applicant: PersonNameSchema,
  })
  .strict();
export type Resubmit = z.output<typeof ResubmitSchema>;

/** A 降级 the city confirms (found by a 复核 visit), or a revocation, or an A+ designation. */
export const GradeChangeSchema = z
  .object({
    enterpriseId: IdSchema,
    processId: IdSchema.nullish().transform((v) => v ?? null),
    cause: z.enum(['复核降级', 'A+认定', '撤销等级'], { error: '等级变更类型不正确' }),
    /** The new grade (复核降级); ignored for A+ and a revocation. */
    grade: z
      .enum(OFFICIAL_GRADES)
      .nullish()
      .transform((v) => v ?? null),
    reason: ReasonSchema('变更原因'),
    documentNo: optionalText('文号', 100),
    effectiveDate: DateSchema,
    inspectionId: IdSchema.nullish().transform((v) => v ?? null),
    decidedBy: PersonNameSchema,
  })
  .strict();
export type GradeChangeInput = z.output<typeof GradeChangeSchema>;

export const PublishSchema = z
  .object({
    /** A city code, or 'region'. */
    scope: z.string().min(1).max(20),
    title: optionalText('标题', 200),
    publishedBy: PersonNameSchema,
  })
  .strict();
export type PublishInput = z.output<typeof PublishSchema>;

/** What an application asks for, as a person reads it: 申报A级, 申报绩效引领性, 申报保障类企业. */
export function applicationLabel(kind: ApplicationKind, targetGrade: string | null): string {
  if (kind === '保障类') return '申报保障类企业';
  if (targetGrade === '引领性') return '申报绩效引领性';
  if (targetGrade === '非引领性') return '申报非引领性';
  return `申报${targetGrade ?? ''}级`;
}

/** Who decides which step, in one sentence (why an account that may not review cannot). */
export const STEP_ROLES_TEXT =
  '市级初审和市级评定须由市级审核账号作出，自治区复审须由自治区复审账号作出';

/**
 * True when `found` ranks below (worse than) `official` within the same family of grades: the
 * letter grades (A+ … D) and 引领性/非引领性 are not compared with each other. A 降级 must go to
 * such a grade.
 */
export function ranksWorse(found: string, official: string): boolean {
  if (!isOfficialGrade(found) || !isOfficialGrade(official)) return false;
  const leading = (g: string) => g === '引领性' || g === '非引领性';
  if (leading(found) !== leading(official)) return false;
  return GRADE_RANKS[found] > GRADE_RANKS[official];
}
