import { z } from 'zod';

import { IdSchema } from '../domain/enterprise';
import {
  SignatureImageSchema,
  type InspectionMember,
  type ProcessGrading,
  type Signature,
} from '../domain/inspection';
import type { GradeBenefits } from './annex1';
import { multilineText, text } from '../text';
import { strictObject } from './fields';
import {
  PlanContentSchema,
  PlanStatusSchema,
  TaxReadingSchema,
  type PlanContent,
  type PlanStatus,
} from './schema';
import type { TaxReliefEstimate } from './tax';

/**
 * The 一企一策 plan as the API carries it: what a screen, the CLI and the PDF need. One plan per
 * enterprise; every save is a new immutable version; the status names the version it applies to.
 */

/**
 * What the expert edits: the plan's content plus the tax readings (concentrations measured).
 * Both sides are strict: an intersection reports a key only when neither side knows it, so a
 * loose right side would let an unknown top-level field through silently.
 */
export const PlanEditSchema = PlanContentSchema.and(
  strictObject('方案', {
    taxReadings: z
      .array(TaxReadingSchema, { error: '监测读数应为列表' })
      .max(2000, '监测读数不能超过2000条')
      .default([]),
  }),
);
export type PlanEditInput = z.input<typeof PlanEditSchema>;
export type PlanEdit = z.output<typeof PlanEditSchema>;

export const PlanDraftRequestSchema = z
  .object({
    enterpriseId: IdSchema,
    /** Draft from this finalized visit; absent: the enterprise's latest finalized visit. */
    inspectionId: IdSchema.optional(),
  })
  .strict();

export const PlanSaveSchema = z
  .object({
    id: IdSchema,
    /** The version the edit started from: a save over a newer version is refused (no lost edits). */
    baseVersion: z.number().int().min(1),
    content: PlanEditSchema,
    /** What changed, in the expert's words (shown in the version list). */
    comment: text('修改说明').trim().max(500, '修改说明不能超过500个字').nullish(),
  })
  .strict();

export const CONFIRM_METHODS = ['现场签字', '电话确认', '书面回执'] as const;

export const PlanStatusChangeSchema = z
  .object({
    id: IdSchema,
    /** The version approved or confirmed; it must be the plan's current version. */
    version: z.number().int().min(1),
    status: PlanStatusSchema,
    /** Who approves (专家审定) or confirms for the enterprise (企业确认). */
    by: text('审定或确认人').trim().min(1, '请填写审定或确认人').max(50, '姓名不能超过50个字'),
    /** 审定意见: required with 专家审定. */
    opinion: multilineText('审定意见', '审定意见应为文本')
      .trim()
      .max(1000, '审定意见不能超过1000个字')
      .optional(),
    /** How the enterprise confirmed: required with 企业确认. */
    method: z
      .enum(CONFIRM_METHODS, { message: '请选择确认方式：现场签字、电话确认或书面回执' })
      .optional(),
    /** The approver's or confirmer's signature drawn on screen (PNG, base64); optional. */
    signature: SignatureImageSchema.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.status === '专家审定' && (c.opinion ?? '') === '') {
      ctx.addIssue({ code: 'custom', path: ['opinion'], message: '专家审定须填写审定意见' });
    }
    if (c.status === '企业确认' && c.method === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['method'],
        message: '请选择确认方式：现场签字、电话确认或书面回执',
      });
    }
    if (c.status === '企业确认' && c.method === '现场签字' && c.signature === undefined) {
      ctx.addIssue({ code: 'custom', path: ['signature'], message: '现场签字须请确认人当场签名' });
    }
  });

/** How an enterprise confirms a plan (企业确认). */
export type ConfirmMethod = (typeof CONFIRM_METHODS)[number];

export const PlanRefSchema = z
  .object({
    /** A plan id, or the enterprise whose plan it is. */
    id: IdSchema.optional(),
    enterpriseId: IdSchema.optional(),
    /** A past version; absent: the current one. */
    version: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((v) => (v.id === undefined) !== (v.enterpriseId === undefined), {
    message: '请给出方案编号或企业编号（二者选一）',
  });

export const PlanListSchema = z
  .object({ status: PlanStatusSchema.optional(), enterpriseId: IdSchema.optional() })
  .strict();

export interface PlanVersionInfo {
  version: number;
  /** Epoch ms. */
  savedAt: number;
  comment: string | null;
  measures: number;
}

export interface PlanStamp {
  version: number;
  by: string;
  /** Epoch ms. */
  at: number;
  /** The sync account logged in on the device that recorded it (姓名（账号）), if any. */
  account: string | null;
  /** The signature drawn for it, if any. */
  signature: Signature | null;
}

export interface PlanReview extends PlanStamp {
  /** 审定意见 (empty on approvals recorded before it was required). */
  opinion: string;
}

export interface PlanConfirmation extends PlanStamp {
  /** 现场签字, 电话确认 or 书面回执; null on confirmations recorded before it was asked. */
  method: ConfirmMethod | null;
}

export interface Plan {
  id: string;
  enterpriseId: string;
  status: PlanStatus;
  /** The record number people say aloud (银川-2026-0013-K7Q3); never changes. */
  number: string;
  currentVersion: number;
  /** The version the expert approved (专家审定), if any. */
  reviewed: PlanReview | null;
  /** The version the enterprise confirmed (企业确认), if any: the one the registry shows. */
  confirmed: PlanConfirmation | null;
  createdAt: number;
  updatedAt: string;
}

export interface PlanSummary extends Plan {
  enterpriseName: string;
  targetGrade: string;
  measures: number;
  /** Sum of the measures' estimated investment (万元); null when none is estimated. */
  investment: number | null;
}

export interface PlanDetail {
  plan: Plan;
  /** The version shown (the current one unless a past one was asked for). */
  version: number;
  content: PlanEdit;
  enterpriseName: string;
  /** The visit it was drafted from: date, team and grades, per process, with gaps to target. */
  source: {
    inspectionId: string;
    /** The visit's record number; null when this device does not hold the visit. */
    number: string | null;
    date: string;
    type: string;
    members: InspectionMember[];
    /** The visit's signatures (team members, the enterprise's representative). */
    signatures: Signature[];
    grade: string | null;
    processes: ProcessGrading[];
  };
  /** Per visited process: what the target grade brings (附件1 and the ruleset's measures). */
  benefits: { processId: string; label: string; benefits: GradeBenefits }[];
  tax: TaxReliefEstimate;
  versions: PlanVersionInfo[];
  /** A draft ruleset was used: every printed page says 指标待核实. */
  unverified: boolean;
  /** Problems drafting met (a process without target…), in Chinese. */
  problems: string[];
}

export type { PlanContent };
