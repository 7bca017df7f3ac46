import { writeChanges } from '../../../db/changes';
import {
  insertApplication,
  insertStep,
  listApplicationsOfEnterprise,
  listSteps,
  updateApplication,
} from '../../../db/repositories/reviews/applications';
import { AppError } from '../../../shared/api/errors';
import type { ApplicationDetail, ApplicationDraft, Resubmit } from '../../../shared/domain/review';
import {
  applicationLabel,
  applicationState,
  routeFor,
  stepProblem,
} from '../../../shared/domain/review';

import type { AppContext } from '../context';
import {
  checkPlan,
  checkProcess,
  checkVisits,
  countedRecords,
  identityOf,
  kindOf,
  latestVisitGrade,
  loadApplication,
  refuseWhenLocked,
  requireEnterprise,
  routeOf,
} from './common';
import { getApplicationDetail } from './read';

/**
 * 申报: an application for a grade (or to be listed 保障类) with the finalized visits it rests on,
 * the plan and the grade the team found, and its round-1 提交, in one write. Refused under a
 * violation lock (naming the day it ends), without a finalized visit for a grade, or while the
 * same enterprise (or process) already has one of the same kind under review.
 */
export function applyForGrade(ctx: AppContext, draft: ApplicationDraft): ApplicationDetail {
  const id = ctx.device.newId();
  const who = identityOf(ctx);
  writeChanges(ctx.db, ctx.device, (changes) => {
    requireEnterprise(ctx, draft.enterpriseId);
    checkProcess(ctx, draft.enterpriseId, draft.processId);
    refuseWhenLocked(ctx, draft.enterpriseId);
    const visits = checkVisits(ctx, draft.enterpriseId, draft.kind, draft.inspectionIds);
    checkPlan(ctx, draft.enterpriseId, draft.planId);
    for (const other of listApplicationsOfEnterprise(ctx.db, draft.enterpriseId)) {
      if (other.processId !== draft.processId || kindOf(other) !== draft.kind) continue;
      const state = applicationState(routeOf(other), countedRecords(listSteps(ctx.db, other.id)));
      if (state.status === '已通过' || state.status === '不予通过') continue;
      throw new AppError(
        'conflict',
        `该企业已有一份在审的申报（${applicationLabel(kindOf(other), other.targetGrade)}，${state.status}）`,
      );
    }
    const targetGrade = draft.kind === '保障类' ? null : draft.targetGrade;
    const now = ctx.device.now();
    insertApplication(
      changes,
      id,
      {
        enterpriseId: draft.enterpriseId,
        processId: draft.processId,
        kind: draft.kind,
        targetGrade,
        route: routeFor(draft.kind, targetGrade),
        basisGrade: draft.basisGrade ?? latestVisitGrade(ctx, visits),
        basisNote: draft.basisNote,
        inspectionIds: JSON.stringify(visits.map((v) => v.id)),
        planId: draft.planId,
        reason: draft.reason,
        applicant: draft.applicant,
        applicantAccount: who.account,
      },
      now,
    );
    insertStep(changes, ctx.device.newId(), {
      applicationId: id,
      round: 1,
      step: '提交',
      decision: '提交',
      opinion: null,
      requestVisit: false,
      decidedBy: draft.applicant,
      account: who.account,
      role: who.role,
      decidedAt: now,
    });
  });
  return getApplicationDetail(ctx, id);
}

/**
 * A returned application (退回补充) submitted again: the materials given replace the old ones and
 * the next round's 提交 is recorded, in one write.
 */
export function resubmitApplication(ctx: AppContext, input: Resubmit): ApplicationDetail {
  const who = identityOf(ctx);
  writeChanges(ctx.db, ctx.device, (changes) => {
    const app = loadApplication(ctx, input.applicationId);
    if (app.state.status !== '退回补充') {
      throw new AppError(
        'conflict',
        `只有退回补充的申报才能重新提交；该申报当前${app.state.status}`,
      );
    }
    const enterpriseId = app.row.enterpriseId;
    requireEnterprise(ctx, enterpriseId);
    refuseWhenLocked(ctx, enterpriseId);
    const values: Parameters<typeof updateApplication>[2] = {};
    if (input.inspectionIds !== undefined) {
      const visits = checkVisits(ctx, enterpriseId, app.kind, input.inspectionIds);
      values.inspectionIds = JSON.stringify(visits.map((v) => v.id));
    }
    if (input.planId !== undefined) {
      checkPlan(ctx, enterpriseId, input.planId);
      values.planId = input.planId;
    }
    if (input.basisGrade !== undefined) values.basisGrade = input.basisGrade;
    if (input.reason !== undefined) values.reason = input.reason;
    const round = app.state.steps.length === 0 ? 1 : app.state.round + 1;
    const problem = stepProblem(app.route, app.state.steps, {
      round,
      step: '提交',
      decision: '提交',
    });
    if (problem !== null) throw new AppError('conflict', problem);
    if (Object.keys(values).length > 0) updateApplication(changes, app.row.id, values);
    insertStep(changes, ctx.device.newId(), {
      applicationId: app.row.id,
      round,
      step: '提交',
      decision: '提交',
      opinion: null,
      requestVisit: false,
      decidedBy: input.applicant,
      account: who.account,
      role: who.role,
      decidedAt: ctx.device.now(),
    });
  });
  return getApplicationDetail(ctx, input.applicationId);
}
