import { getEnterprise } from '../../../db/repositories/enterprises';
import { listProcesses } from '../../../db/repositories/processes';
import {
  guaranteeOf,
  listGradeEvents,
  officialGradeOf,
} from '../../../db/repositories/reviews/grade-events';
import type { GradeHistory } from '../../../shared/api/methods/reviews';
import { AppError } from '../../../shared/api/errors';
import { findIndustry } from '../../../shared/domain/catalog';

import type { AppContext } from '../context';

import { proposalsFor } from './proposals';

/**
 * An enterprise's official grade (认定等级) now, as a whole and for each process holding one,
 * its 保障类 mark, every change newest first and the 降级 its later 复核 visits point to.
 */
export function gradeHistory(ctx: AppContext, enterpriseId: string): GradeHistory {
  const enterprise = getEnterprise(ctx.db, enterpriseId);
  if (!enterprise) throw new AppError('not_found', '企业不存在或已删除');
  const processes = listProcesses(ctx.db, enterpriseId).flatMap((p) => {
    const official = officialGradeOf(ctx.db, enterpriseId, p.id);
    if (official.since === null) return [];
    const industry = findIndustry(ctx.catalog, p.industryCode)?.name ?? p.industryCode;
    return [
      { processId: p.id, industry: p.branch ? `${industry}（${p.branch}）` : industry, official },
    ];
  });
  return {
    official: officialGradeOf(ctx.db, enterpriseId, null),
    processes,
    guarantee: guaranteeOf(ctx.db, enterpriseId),
    events: listGradeEvents(ctx.db, enterpriseId),
    proposals: proposalsFor(ctx, enterpriseId),
  };
}
