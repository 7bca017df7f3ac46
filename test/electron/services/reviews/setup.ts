import { writeSyncSettings } from '../../../../db/repositories/sync';
import type { AppContext } from '../../../../electron/services/context';
import {
  applyForGrade,
  decideApplication,
  resubmitApplication,
} from '../../../../electron/services/reviews';
import {
  ApplicationDraftSchema,
  ResubmitSchema,
  ReviewDecisionSchema,
  type ApplicationDetail,
} from '../../../../shared/domain/review';
import type { Role } from '../../../../shared/sync/protocol';
import {
  answer,
  confirmAndFinalize,
  NOX,
  startSiteInspection,
  TRUCKS,
  type Site,
} from '../../../helpers/inspections';

/** Logs the device in to the central store as this account (what the 同步 page stores). */
export function logIn(ctx: AppContext, role: Role, scope = '6401', username = 'reviewer'): void {
  writeSyncSettings(ctx.db, {
    server: 'http://127.0.0.1:4791',
    token: 'plain-token-for-test',
    user: { id: `u-${username}`, username, displayName: '审核员', role, scope },
  });
}

export function logOut(ctx: AppContext): void {
  writeSyncSettings(ctx.db, { token: null, user: null });
}

/**
 * A finalized visit of the cement line whose facts reach B (NOx 90, clean trucks 85), or with
 * another NOx reading.
 */
export function finalizedVisit(ctx: AppContext, site: Site, date = '2026-06-01', nox = 90): string {
  const visit = startSiteInspection(ctx, site, { date, processIds: [site.cementId] });
  const id = visit.inspection.id;
  answer(ctx, id, site.cementId, NOX, { fact: nox });
  answer(ctx, id, site.cementId, TRUCKS, { fact: 85 });
  confirmAndFinalize(ctx, id);
  return id;
}

export function apply(
  ctx: AppContext,
  site: Site,
  over: Record<string, unknown> = {},
): ApplicationDetail {
  return applyForGrade(
    ctx,
    ApplicationDraftSchema.parse({
      enterpriseId: site.enterpriseId,
      kind: '等级',
      targetGrade: 'B',
      applicant: '张伟',
      ...over,
    }),
  );
}

export function decide(
  ctx: AppContext,
  applicationId: string,
  step: string,
  decision: string,
  over: Record<string, unknown> = {},
): ApplicationDetail {
  return decideApplication(
    ctx,
    ReviewDecisionSchema.parse({
      applicationId,
      step,
      decision,
      opinion: `${step}意见：材料齐全`,
      decidedBy: '王审核',
      ...over,
    }),
  );
}

export function resubmit(
  ctx: AppContext,
  applicationId: string,
  over: Record<string, unknown> = {},
): ApplicationDetail {
  return resubmitApplication(
    ctx,
    ResubmitSchema.parse({ applicationId, applicant: '张伟', ...over }),
  );
}

/** Marks a step's op as parked by the central store, with its reason (what a push records). */
export function park(ctx: AppContext, stepId: string, reason: string): void {
  ctx.db.sqlite
    .prepare(
      `INSERT INTO sync_parked (op_id, seq, table_name, row_id, reason, parked_at, status, retry_seq, updated_at)
       VALUES (?, 0, 'review_steps', ?, ?, 0, 'parked', NULL, 0)`,
    )
    .run(`op-${stepId}`, stepId, reason);
}
