import { listUsesOfApplications } from '../../../db/repositories/attachments';
import { getInspection } from '../../../db/repositories/inspections';
import { getPlan, getPlanVersion } from '../../../db/repositories/plans';
import { listProcessIndustries } from '../../../db/repositories/reviews/applications';
import { officialGradeOf } from '../../../db/repositories/reviews/grade-events';
import { findIndustry } from '../../../shared/domain/catalog';
import type {
  ApplicationDetail,
  ApplicationMaterials,
  ReviewStepView,
} from '../../../shared/domain/review';
import { DECISIONS } from '../../../shared/domain/review';

import type { AppContext } from '../context';
import { getInspectionDetail } from '../inspections';
import { parseContent } from '../plans/checks';
import { inspectionNumber, planNumber } from '../record-numbers';
import { safeFileName } from '../../../shared/file-name';
import { actionProblem, identityOf, loadApplication, parseIds } from './common';

/**
 * 行业 of the application, as people read them: the process's industry, or every industry of the
 * enterprise's processes (each once, in the order they were added). `processId` null: all.
 */
export function industriesText(
  ctx: AppContext,
  processes: readonly { processId: string; industryCode: string }[],
  processId: string | null,
): string {
  const names: string[] = [];
  for (const p of processes) {
    if (processId !== null && p.processId !== processId) continue;
    const name = findIndustry(ctx.catalog, p.industryCode)?.name ?? '行业待核实';
    if (!names.includes(name)) names.push(name);
  }
  return names.join('、');
}

function materialsOf(
  ctx: AppContext,
  applicationId: string,
  targetGrade: string | null,
  inspectionIds: readonly string[],
  planId: string | null,
): ApplicationMaterials {
  const visits: ApplicationMaterials['visits'] = [];
  for (const id of inspectionIds) {
    // A visit not (yet) on this device, or moved to the 回收站, is not shown.
    if (!getInspection(ctx.db, id)) continue;
    const detail = getInspectionDetail(ctx, id);
    let gaps = 0;
    for (const p of detail.grading.processes) {
      const toTarget = targetGrade === null ? undefined : p.gaps[targetGrade];
      gaps += (toTarget ?? p.gapsToTarget ?? []).length;
    }
    visits.push({
      id,
      number: inspectionNumber(detail.inspection),
      date: detail.inspection.date,
      type: detail.inspection.type,
      grade: detail.grading.grade,
      gaps,
      photos: detail.evidence.filter((e) => e.mimeType.startsWith('image/')).length,
    });
  }
  let plan: ApplicationMaterials['plan'] = null;
  const planRow = planId === null ? undefined : getPlan(ctx.db, planId);
  if (planRow) {
    const version = getPlanVersion(ctx.db, planRow.id, planRow.currentVersion);
    plan = {
      id: planRow.id,
      number: planNumber(planRow),
      status: planRow.status,
      measures: version ? parseContent(version.content).measures.length : 0,
    };
  }
  const evidence = listUsesOfApplications(ctx.db, [applicationId]).map((u) => ({
    id: u.id,
    attachmentId: u.attachmentId,
    fileName: safeFileName(u.fileName),
    mimeType: u.mimeType,
  }));
  return { visits, plan, evidence };
}

/**
 * An application with its steps (parked ones shown with the store's reason), its materials side
 * by side, the enterprise's official grade now, and what this device's account may do next.
 */
export function getApplicationDetail(ctx: AppContext, id: string): ApplicationDetail {
  const app = loadApplication(ctx, id);
  const { row, state } = app;
  const inspectionIds = parseIds(row.inspectionIds);
  const steps: ReviewStepView[] = app.steps.map((s) => ({
    id: s.id,
    round: s.round,
    step: s.step,
    decision: s.decision === '提交' ? '提交' : (DECISIONS.find((d) => d === s.decision) ?? '提交'),
    decidedBy: s.decidedBy,
    decidedAt: s.decidedAt,
    opinion: s.opinion,
    requestVisit: s.requestVisit,
    account: s.account,
    role: s.role,
    parked: s.parked,
  }));
  const who = identityOf(ctx);
  const actions: ApplicationDetail['actions'] =
    state.next === null
      ? []
      : [state.next].map((step) => {
          const why = actionProblem(who, step, row.cityCode);
          return { step, allowed: why === null, why };
        });
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    enterpriseName: row.enterpriseName,
    cityCode: row.cityCode,
    processId: row.processId,
    industries: industriesText(
      ctx,
      listProcessIndustries(ctx.db, [row.enterpriseId]),
      row.processId,
    ),
    kind: app.kind,
    targetGrade: row.targetGrade,
    route: app.route,
    status: state.status,
    round: state.round,
    next: state.next,
    applicant: row.applicant,
    createdAt: row.createdAt,
    updatedAt: state.steps.at(-1)?.decidedAt ?? row.createdAt,
    basisGrade: row.basisGrade,
    basisNote: row.basisNote,
    reason: row.reason,
    applicantAccount: row.applicantAccount,
    inspectionIds,
    planId: row.planId,
    steps,
    materials: materialsOf(ctx, row.id, row.targetGrade, inspectionIds, row.planId),
    official: officialGradeOf(ctx.db, row.enterpriseId, row.processId),
    actions,
  };
}
