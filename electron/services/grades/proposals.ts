import { getEnterprise } from '../../../db/repositories/enterprises';
import {
  listFinalizedVisitsAfter,
  officialGradeOf,
  listGradedEnterprises,
  type GradedEnterprise,
} from '../../../db/repositories/reviews/grade-events';
import type { DowngradeProposal } from '../../../shared/api/methods/reviews';
import { ranksWorse } from '../../../shared/domain/review';

import type { AppContext } from '../context';
import { frozenOf } from '../inspections/grading';

/**
 * The 降级 a later 复核 visit points to for one graded enterprise: its latest finalized visit
 * dated after the official grade's date whose grade as finalized ranks worse than that grade.
 */
function proposalOf(ctx: AppContext, graded: GradedEnterprise): DowngradeProposal | null {
  for (const visit of listFinalizedVisitsAfter(ctx.db, graded.enterpriseId, graded.since)) {
    const found = frozenOf(visit)?.grade ?? null;
    if (found === null || !ranksWorse(found, graded.grade)) continue;
    return {
      enterpriseId: graded.enterpriseId,
      enterpriseName: graded.enterpriseName,
      cityCode: graded.cityCode,
      processId: null,
      official: graded.grade,
      found,
      inspectionId: visit.id,
      inspectionNumber: visit.number,
      inspectionDate: visit.date,
    };
  }
  return null;
}

/** Every 降级 proposal (of one city, when given), for the city to confirm or set aside. */
export function listProposals(ctx: AppContext, cityCode: string | null): DowngradeProposal[] {
  return listGradedEnterprises(ctx.db, cityCode).flatMap((g) => {
    const p = proposalOf(ctx, g);
    return p === null ? [] : [p];
  });
}

/** The 降级 proposal of one enterprise, if any (its grade history shows it). */
export function proposalsFor(ctx: AppContext, enterpriseId: string): DowngradeProposal[] {
  const enterprise = getEnterprise(ctx.db, enterpriseId);
  const official = officialGradeOf(ctx.db, enterpriseId, null);
  if (!enterprise || official.grade === null || official.since === null) return [];
  const p = proposalOf(ctx, {
    enterpriseId,
    enterpriseName: enterprise.name,
    cityCode: enterprise.cityCode,
    grade: official.grade,
    since: official.since,
  });
  return p === null ? [] : [p];
}
