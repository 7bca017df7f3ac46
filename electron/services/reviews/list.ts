import {
  listApplicationPage,
  listProcessIndustries,
} from '../../../db/repositories/reviews/applications';
import type { ApplicationPage } from '../../../shared/api/methods/reviews';
import {
  APPLICATION_KINDS,
  REVIEW_STEPS,
  STEP_ROLES,
  type ApplicationStatus,
  type ReviewStep,
} from '../../../shared/domain/review';
import { REGION_SCOPE } from '../../../shared/sync/protocol';

import type { AppContext } from '../context';
import { identityOf } from './common';
import { industriesText } from './read';

export interface ApplicationListQuery {
  enterpriseId?: string | undefined;
  cityCode?: string | undefined;
  status?: ApplicationStatus | undefined;
  mine?: boolean | undefined;
  offset: number;
  limit: number;
}

/**
 * The review queue and an enterprise's applications: filtered by enterprise, city, status, or to
 * those whose next step this account may take in its scope (`mine`), the most recently active
 * first, with how many wait at each status. Statuses come from SQL (the last counted step of
 * each application), so the queue opens fast at any size.
 */
export function listApplications(ctx: AppContext, query: ApplicationListQuery): ApplicationPage {
  let mine: { steps: ReviewStep[]; cityCode: string | null } | undefined;
  if (query.mine === true) {
    const who = identityOf(ctx);
    const role = who.role;
    mine = {
      steps: REVIEW_STEPS.filter((s) => s !== '提交' && STEP_ROLES[s] === role),
      cityCode: who.scope === null || who.scope === REGION_SCOPE ? null : who.scope,
    };
  }
  const page = listApplicationPage(ctx.db, {
    enterpriseId: query.enterpriseId,
    cityCode: query.cityCode,
    status: query.status,
    mine,
    offset: query.offset,
    limit: query.limit,
  });
  const processes = listProcessIndustries(ctx.db, [
    ...new Set(page.rows.map((r) => r.enterpriseId)),
  ]);
  return {
    total: page.total,
    counts: Object.fromEntries(page.counts),
    items: page.rows.map((r) => ({
      id: r.id,
      enterpriseId: r.enterpriseId,
      enterpriseName: r.enterpriseName,
      cityCode: r.cityCode,
      processId: r.processId,
      industries: industriesText(
        ctx,
        processes.filter((p) => p.enterpriseId === r.enterpriseId),
        r.processId,
      ),
      kind: APPLICATION_KINDS.find((k) => k === r.kind) ?? '等级',
      targetGrade: r.targetGrade,
      route: r.route === 'city' ? 'city' : 'region',
      status: r.status,
      round: r.round,
      next: r.next,
      applicant: r.applicant,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    })),
  };
}
