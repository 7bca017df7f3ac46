import { changeGrade, gradeHistory, listProposals } from '../../services/grades';
import type { HandlerGroup } from '../types';

/** The official grade (认定等级): history, 复核降级 / A+认定 / 撤销等级, 降级 proposals. */
export const gradeHandlers = {
  'grade.history': (input, ctx) => gradeHistory(ctx, input.enterpriseId),
  'grade.change': (input, ctx) => changeGrade(ctx, input),
  'grade.proposals': (input, ctx) => listProposals(ctx, input.cityCode ?? null),
} satisfies HandlerGroup;
