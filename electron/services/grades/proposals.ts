import { getEnterprise } from '../../../db/repositories/enterprises';
import { listInspectionProcesses } from '../../../db/repositories/inspections';
import { listProcesses } from '../../../db/repositories/processes';
import {
  listFinalizedVisitsAfter,
  listGradedEnterprises,
  officialGradeOf,
  type GradedEnterprise,
  type LaterVisit,
} from '../../../db/repositories/reviews/grade-events';
import type { DowngradeProposal } from '../../../shared/api/methods/reviews';
import { ranksWorse } from '../../../shared/domain/review';

import type { AppContext } from '../context';
import { frozenOf } from '../inspections/grading';

/** The grade a visit found, as finalized: for the enterprise (processId null) or one process. */
function foundGrade(ctx: AppContext, visit: LaterVisit, processId: string | null): string | null {
  const frozen = frozenOf(visit);
  if (frozen === null) return null;
  if (processId === null) return frozen.grade;
  const line = listInspectionProcesses(ctx.db, [visit.id]).find((p) => p.processId === processId);
  if (!line) return null;
  return frozen.processes.find((p) => p.id === line.id)?.grade ?? null;
}

/**
 * The 降级 later 复核 visits point to for one enterprise: for the enterprise as a whole and for
 * each process holding an official grade, the latest finalized visit dated after that grade's
 * date whose grade as finalized ranks worse than it.
 */
function proposalsOf(ctx: AppContext, enterprise: GradedEnterprise): DowngradeProposal[] {
  const subjects: (string | null)[] = [
    null,
    ...listProcesses(ctx.db, enterprise.enterpriseId).map((p) => p.id),
  ];
  const out: DowngradeProposal[] = [];
  for (const processId of subjects) {
    const official = officialGradeOf(ctx.db, enterprise.enterpriseId, processId);
    if (official.grade === null || official.since === null) continue;
    for (const visit of listFinalizedVisitsAfter(ctx.db, enterprise.enterpriseId, official.since)) {
      const found = foundGrade(ctx, visit, processId);
      if (found === null || !ranksWorse(found, official.grade)) continue;
      out.push({
        ...enterprise,
        processId,
        official: official.grade,
        found,
        inspectionId: visit.id,
        inspectionNumber: visit.number,
        inspectionDate: visit.date,
      });
      break;
    }
  }
  return out;
}

/** Every 降级 proposal (of one city, when given), for the city to confirm or set aside. */
export function listProposals(ctx: AppContext, cityCode: string | null): DowngradeProposal[] {
  return listGradedEnterprises(ctx.db, cityCode).flatMap((g) => proposalsOf(ctx, g));
}

/** The 降级 proposals of one enterprise (its grade history shows them). */
export function proposalsFor(ctx: AppContext, enterpriseId: string): DowngradeProposal[] {
  const enterprise = getEnterprise(ctx.db, enterpriseId);
  if (!enterprise) return [];
  return proposalsOf(ctx, {
    enterpriseId,
    enterpriseName: enterprise.name,
    cityCode: enterprise.cityCode,
  });
}
