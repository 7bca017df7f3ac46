import { z } from 'zod';

import { IdSchema } from '../domain/enterprise';
import type { InspectionMember, ProcessGrading } from '../domain/inspection';
import type { GradeBenefits } from './annex1';
import { text } from '../text';
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

export const PlanStatusChangeSchema = z
  .object({
    id: IdSchema,
    /** The version approved or confirmed; it must be the plan's current version. */
    version: z.number().int().min(1),
    status: PlanStatusSchema,
    /** Who approves (专家审定) or confirms for the enterprise (企业确认). */
    by: text('审定或确认人').trim().min(1, '请填写审定或确认人').max(50, '姓名不能超过50个字'),
  })
  .strict();

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
}

export interface Plan {
  id: string;
  enterpriseId: string;
  status: PlanStatus;
  /** The record number people say aloud (银川-2026-0013-K7Q3); never changes. */
  number: string;
  currentVersion: number;
  /** The version the expert approved (专家审定), if any. */
  reviewed: PlanStamp | null;
  /** The version the enterprise confirmed (企业确认), if any: the one the registry shows. */
  confirmed: PlanStamp | null;
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
