import { exportPlanPdf } from '../../services/pdf/plan';
import {
  draftPlanFor,
  getPlan,
  listPlans,
  savePlan,
  setPlanStatusSigned,
} from '../../services/plans';
import { trashPlan } from '../../services/trash';
import type { HandlerGroup } from '../types';

/**
 * 一企一策 improvement plans. The PDF is written as a task: with a `taskId` it emits task.progress
 * (phase 生成, pages or sections done of total), and task.cancel stops it before the file is
 * returned.
 */
export const planHandlers = {
  'plan.draft': (input, ctx) => draftPlanFor(ctx, input),
  'plan.get': (ref, ctx) => getPlan(ctx, ref),
  'plan.list': (query, ctx) => listPlans(ctx, query),
  'plan.save': (input, ctx) => savePlan(ctx, input),
  'plan.setStatus': (input, ctx) => setPlanStatusSigned(ctx, input),
  'plan.delete': (input, ctx) => trashPlan(ctx, input),
  'plan.exportPdf': ({ taskId, ...ref }, ctx) =>
    ctx.tasks.run(ctx, taskId, async (task) => {
      const { fileName, bytes, pages } = await exportPlanPdf(
        ctx,
        ref,
        (done: number, total: number) => task.progress('生成', done, total),
      );
      await task.checkpoint();
      return { fileName, dataBase64: bytes.toString('base64'), pages };
    }),
} satisfies HandlerGroup;
