/**
 * Reading plans: one plan with a version's content and what is computed beside it (the source
 * inspection's grades, benefits, tax estimate, signatures), and the list of plans.
 */

import { listUsesOfPlan, type UseRow } from '../../../db/repositories/attachments';
import { getEnterprise } from '../../../db/repositories/enterprises';
import {
  findPlanOfEnterprise,
  getPlan as getPlanRow,
  listPlans as listPlanRows,
  listPlanVersions,
  type PlanRow,
  type PlanVersionRow,
} from '../../../db/repositories/plans';
import { AppError } from '../../../shared/api/errors';
import {
  CONFIRMER_SIGNER_ROLE,
  type InspectionDetail,
  REVIEWER_SIGNER_ROLE,
  type Signature,
} from '../../../shared/domain/inspection';
import {
  draftPlan,
  estimateTaxRelief,
  gradeBenefits,
  type PlanDetail,
  type PlanStatus,
  type PlanSummary,
  type PlanVersionInfo,
} from '../../../shared/plan';
import type { ConfirmMethod, Plan } from '../../../shared/plan/api';
import type { AppContext } from '../context';
import { getInspectionDetail } from '../inspections';
import { planNumber } from '../record-numbers';
import { toSignature } from '../signatures';
import { enterpriseNotFound, notFound, parseContent } from './checks';

export function requirePlan(ctx: AppContext, id: string): PlanRow {
  const row = getPlanRow(ctx.db, id);
  if (!row) throw notFound(id);
  return row;
}

/** The signature signed for a version in a part, the latest if it was signed twice. */
function signatureOf(
  signatures: readonly UseRow[],
  version: number,
  role: string,
): Signature | null {
  const use = signatures.filter((u) => u.planVersion === version && u.signerRole === role).at(-1);
  return use ? toSignature(use) : null;
}

function toPlan(row: PlanRow, signatures: readonly UseRow[] = []): Plan {
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    status: row.status as PlanStatus,
    number: planNumber(row),
    currentVersion: row.currentVersion,
    reviewed:
      row.reviewedVersion === null
        ? null
        : {
            version: row.reviewedVersion,
            by: row.reviewedBy ?? '',
            at: row.reviewedAt ?? 0,
            opinion: row.reviewOpinion ?? '',
            account: row.reviewedAccount,
            signature: signatureOf(signatures, row.reviewedVersion, REVIEWER_SIGNER_ROLE),
          },
    confirmed:
      row.confirmedVersion === null
        ? null
        : {
            version: row.confirmedVersion,
            by: row.confirmedBy ?? '',
            at: row.confirmedAt ?? 0,
            method: (row.confirmMethod as ConfirmMethod | null) ?? null,
            account: row.confirmedAccount,
            signature: signatureOf(signatures, row.confirmedVersion, CONFIRMER_SIGNER_ROLE),
          },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The visit a version was drafted from, or null when this device does not hold it. */
function sourceDetail(ctx: AppContext, inspectionId: string): InspectionDetail | null {
  try {
    return getInspectionDetail(ctx, inspectionId);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') return null;
    throw e;
  }
}

/** The latest row of each version, oldest version first. */
function versionRows(ctx: AppContext, planId: string): PlanVersionRow[] {
  const byVersion = new Map<number, PlanVersionRow>();
  for (const v of listPlanVersions(ctx.db, planId)) byVersion.set(v.version, v);
  return [...byVersion.values()];
}

export function planDetail(ctx: AppContext, row: PlanRow, version?: number): PlanDetail {
  const rows = versionRows(ctx, row.id);
  const shown = version ?? row.currentVersion;
  const versionRow = rows.find((v) => v.version === shown);
  if (!versionRow) {
    throw new AppError(
      'not_found',
      version === undefined
        ? `本机没有方案的当前版本（第 ${shown} 版）`
        : `方案没有第 ${shown} 版（现有 ${rows.map((v) => v.version).join('、') || '无'}）`,
    );
  }
  const content = parseContent(versionRow.content);
  const visit = sourceDetail(ctx, content.inspectionId);
  const problems: string[] = [];
  const grading = visit?.grading ?? null;
  if (!visit) {
    problems.push(
      `本机没有方案所依据的检查记录（编号 ${content.inspectionId}），差距与等级暂不能显示`,
    );
  } else {
    problems.push(
      ...draftPlan({ processes: visit.grading.processes, library: ctx.planData.library }).problems,
    );
  }
  const benefits: PlanDetail['benefits'] = [];
  for (const p of grading?.processes ?? []) {
    if (p.targetGrade === null) continue;
    const ruleset =
      visit?.processes.find((x) => x.id === p.inspectionProcessId)?.ruleset.ruleset ?? undefined;
    benefits.push({
      processId: p.processId,
      label: p.label,
      benefits: gradeBenefits(ctx.planData.annex1, ruleset, p.grade, p.targetGrade),
    });
  }
  const versions: PlanVersionInfo[] = rows.map((v) => ({
    version: v.version,
    savedAt: v.createdAt,
    comment: v.comment,
    measures: parseContent(v.content).measures.length,
  }));
  return {
    plan: toPlan(row, listUsesOfPlan(ctx.db, row.id)),
    version: shown,
    content,
    enterpriseName: row.enterpriseName,
    source: {
      inspectionId: content.inspectionId,
      number: visit?.inspection.number ?? null,
      date: visit?.inspection.date ?? '',
      type: visit?.inspection.type ?? '',
      members: visit?.members ?? [],
      signatures: visit?.signatures ?? [],
      grade: grading?.grade ?? null,
      processes: grading?.processes ?? [],
    },
    benefits,
    tax: estimateTaxRelief(content.taxLimits, content.taxReadings),
    versions,
    unverified: grading?.unverified ?? false,
    problems,
  };
}

/**
 * A plan with its source visit, benefits, tax estimate and versions: by plan id, or the
 * enterprise's plan; the current version, or the one asked for. null when there is no such plan
 * (the enterprise has none, or the plan was deleted).
 */
export function getPlan(
  ctx: AppContext,
  ref: { id?: string | undefined; enterpriseId?: string | undefined; version?: number | undefined },
): PlanDetail | null {
  let row: PlanRow | undefined;
  if (ref.id !== undefined) row = getPlanRow(ctx.db, ref.id);
  else if (ref.enterpriseId !== undefined) {
    if (!getEnterprise(ctx.db, ref.enterpriseId)) throw enterpriseNotFound(ref.enterpriseId);
    row = findPlanOfEnterprise(ctx.db, ref.enterpriseId);
  } else {
    throw new AppError('invalid_input', '请给出方案编号或企业编号（二者选一）');
  }
  return row ? planDetail(ctx, row, ref.version) : null;
}

/** Plans of live enterprises, the most recently changed first, with their current version's totals. */
export function listPlans(
  ctx: AppContext,
  query: { status?: PlanStatus | undefined; enterpriseId?: string | undefined } = {},
): PlanSummary[] {
  return listPlanRows(ctx.db, query).map((row) => {
    const content = row.content === null ? null : parseContent(row.content);
    const measures = content?.measures ?? [];
    const priced = measures.flatMap((m) => (m.investment === null ? [] : [m.investment]));
    return {
      ...toPlan(row),
      enterpriseName: row.enterpriseName,
      targetGrade: content?.targetGrade ?? '',
      measures: measures.length,
      investment:
        priced.length === 0 ? null : Math.round(priced.reduce((s, x) => s + x, 0) * 10000) / 10000,
    };
  });
}
