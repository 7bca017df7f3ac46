import { writeChanges } from '../../../db/changes';
import { insertStep } from '../../../db/repositories/reviews/applications';
import { AppError } from '../../../shared/api/errors';
import {
  applicationState,
  stepProblem,
  type ApplicationDetail,
  type ReviewDecision,
} from '../../../shared/domain/review';
import { localDate } from '../../../shared/local-time';

import type { AppContext } from '../context';
import { recordGradeEvent } from '../grades/record';
import { actionProblem, identityOf, loadApplication, requireEnterprise } from './common';
import { getApplicationDetail } from './read';

/**
 * 初审 / 复审 / 评定: the account must hold the step's role and cover the enterprise's city, and
 * the step must be the one the application waits for (as this device knows its steps, leaving
 * out those the store parked). An approval that completes the route sets the official grade (a
 * grade event) or lists the enterprise as 保障类, in the same write as the step.
 */
export function decideApplication(ctx: AppContext, input: ReviewDecision): ApplicationDetail {
  const who = identityOf(ctx);
  writeChanges(ctx.db, ctx.device, (changes) => {
    const app = loadApplication(ctx, input.applicationId);
    const enterprise = requireEnterprise(ctx, app.row.enterpriseId);
    const refused = actionProblem(who, input.step, enterprise.cityCode);
    if (refused !== null) throw new AppError('forbidden', refused);
    const step = { round: app.state.round, step: input.step, decision: input.decision };
    const problem = stepProblem(app.route, app.state.steps, step);
    if (problem !== null) throw new AppError('conflict', problem);
    const now = ctx.device.now();
    const stepId = ctx.device.newId();
    insertStep(changes, stepId, {
      applicationId: app.row.id,
      round: step.round,
      step: input.step,
      decision: input.decision,
      opinion: input.opinion,
      requestVisit: input.requestVisit,
      decidedBy: input.decidedBy,
      account: who.account,
      role: who.role,
      decidedAt: now,
    });
    const after = applicationState(app.route, [
      ...app.state.steps,
      { id: stepId, ...step, decidedBy: input.decidedBy, decidedAt: now },
    ]);
    if (after.status !== '已通过') return;
    const today = localDate(now);
    if (app.kind === '保障类') {
      changes.update('enterprises', enterprise.id, {
        guarantee: true,
        guaranteeSince: today,
        guaranteeApplicationId: app.row.id,
      });
      return;
    }
    recordGradeEvent(ctx, changes, {
      enterpriseId: enterprise.id,
      processId: app.row.processId,
      grade: app.row.targetGrade,
      cause: '审核通过',
      reason: input.opinion,
      documentNo: input.documentNo,
      effectiveDate: today,
      applicationId: app.row.id,
      decidedBy: input.decidedBy,
    });
  });
  return getApplicationDetail(ctx, input.applicationId);
}
