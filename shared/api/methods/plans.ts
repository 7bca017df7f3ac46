import { z } from 'zod';
import { RecordTrashSchema } from '../../domain/trash';
import {
  PlanDraftRequestSchema,
  PlanListSchema,
  PlanRefSchema,
  PlanSaveSchema,
  PlanStatusChangeSchema,
  type PlanDetail,
  type PlanSummary,
} from '../../plan/api';
import { type FilePayload, TaskId, method } from './common';

/** Improvement plans (一企一策提升方案) and their PDF. */
export const planMethods = {
  /** Drafts the enterprise's plan from a finalized visit: a new plan, or a new version of it. */
  'plan.draft': method(PlanDraftRequestSchema).returns<PlanDetail>(),
  /** The plan (a version of it); null when the enterprise has none. */
  'plan.get': method(PlanRefSchema).returns<PlanDetail | null>(),
  'plan.list': method(PlanListSchema).returns<PlanSummary[]>(),
  /** Saves an edit as a new version (status back to 草稿); refused over a newer version. */
  'plan.save': method(PlanSaveSchema).returns<PlanDetail>(),
  /** 专家审定 or 企业确认 of the current version (企业确认 fills the registry's 附件2 columns). */
  'plan.setStatus': method(PlanStatusChangeSchema).returns<PlanDetail>(),
  'plan.delete': method(RecordTrashSchema).returns<{ id: string }>(),
  /** The plan's PDF (the current version, or the one asked for), written in a task with progress. */
  'plan.exportPdf': method(PlanRefSchema.and(z.object({ taskId: TaskId }))).returns<
    FilePayload & { pages: number }
  >(),
} as const;
