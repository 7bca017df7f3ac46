import { getEnterprise } from '../../../db/repositories/enterprises';
import { getInspection, type InspectionRow } from '../../../db/repositories/inspections';
import { getPlan } from '../../../db/repositories/plans';
import { getProcess } from '../../../db/repositories/processes';
import {
  getApplication,
  listSteps,
  type ApplicationRow,
  type StepRow,
} from '../../../db/repositories/reviews/applications';
import { readSyncSettings } from '../../../db/repositories/sync/settings';
import { listViolations } from '../../../db/repositories/violations';
import { AppError } from '../../../shared/api/errors';
import type { Enterprise } from '../../../shared/domain/enterprise';
import { cityName } from '../../../shared/domain/regions';
import {
  APPLICATION_KINDS,
  DECISIONS,
  applicationState,
  stepRoleProblem,
  type ApplicationKind,
  type ApplicationState,
  type ReviewRoute,
  type ReviewStep,
  type StepRecord,
} from '../../../shared/domain/review';
import { activeViolationDate, addYears } from '../../../shared/grading';
import { localDate } from '../../../shared/local-time';
import { REGION_SCOPE, ROLES, type Role } from '../../../shared/sync/protocol';

import type { AppContext } from '../context';
import { frozenOf, gradingOf } from '../inspections/grading';
import { deviceAccount } from '../signatures';

/** The device's sync account as review needs it; all null when it is not logged in. */
export interface ReviewIdentity {
  account: string | null;
  role: Role | null;
  scope: string | null;
}

export function identityOf(ctx: AppContext): ReviewIdentity {
  const settings = readSyncSettings(ctx.db);
  const user = settings.token !== null ? settings.user : null;
  if (user === null) return { account: null, role: null, scope: null };
  const role = ROLES.find((r) => r === user.role) ?? null;
  return { account: deviceAccount(ctx), role, scope: user.scope };
}

export const NOT_LOGGED_IN =
  '本机未登录中心库账号，审核须用市级审核或自治区复审账号登录（在“同步”页登录）';

/** Why this account may not act on an enterprise of this city (its scope), or null. */
export function scopeProblem(scope: string, city: string): string | null {
  if (scope === REGION_SCOPE || scope === city) return null;
  const own = cityName(scope);
  return `无权审核${cityName(city)}的申报（账号范围：${own}）`;
}

export interface LoadedApplication {
  row: ApplicationRow;
  kind: ApplicationKind;
  route: ReviewRoute;
  steps: StepRow[];
  state: ApplicationState;
}

export function kindOf(row: ApplicationRow): ApplicationKind {
  return APPLICATION_KINDS.find((k) => k === row.kind) ?? '等级';
}

export function routeOf(row: ApplicationRow): ReviewRoute {
  return row.route === 'city' ? 'city' : 'region';
}

/** The steps that count: those the store did not park. */
export function countedRecords(steps: readonly StepRow[]): StepRecord[] {
  const out: StepRecord[] = [];
  for (const s of steps) {
    if (s.parked !== null) continue;
    const decision = s.decision === '提交' ? '提交' : DECISIONS.find((d) => d === s.decision);
    if (decision === undefined) continue;
    out.push({
      id: s.id,
      round: s.round,
      step: s.step,
      decision,
      decidedBy: s.decidedBy,
      decidedAt: s.decidedAt,
    });
  }
  return out;
}

export function loadApplication(ctx: AppContext, id: string): LoadedApplication {
  const row = getApplication(ctx.db, id);
  if (!row) throw new AppError('not_found', '申报不存在或已删除');
  const steps = listSteps(ctx.db, id);
  const route = routeOf(row);
  return {
    row,
    kind: kindOf(row),
    route,
    steps,
    state: applicationState(route, countedRecords(steps)),
  };
}

export function requireEnterprise(ctx: AppContext, id: string): Enterprise {
  const enterprise = getEnterprise(ctx.db, id);
  if (!enterprise) throw new AppError('not_found', '企业不存在或已删除');
  return enterprise;
}

/** Refuses when a violation locks the enterprise today, naming it and the day the lock ends. */
export function refuseWhenLocked(ctx: AppContext, enterpriseId: string): void {
  const violations = listViolations(ctx.db, enterpriseId);
  const today = localDate(ctx.device.now());
  const date = activeViolationDate(today, violations);
  if (date === null) return;
  const kind = violations.find((v) => v.date === date)?.kind ?? '违法违规';
  throw new AppError(
    'conflict',
    `该企业有违法违规记录（${date} ${kind}），${addYears(date, 1)} 前不能申报`,
  );
}

/** Checks the process applied for belongs to the enterprise. */
export function checkProcess(ctx: AppContext, enterpriseId: string, processId: string | null) {
  if (processId === null) return;
  const process = getProcess(ctx.db, processId);
  if (!process || process.enterpriseId !== enterpriseId) {
    throw new AppError('invalid_input', '所选工序不存在，或不是这家企业的', [
      { path: 'processId', message: '不是这家企业的工序' },
    ]);
  }
}

/**
 * The visits an application rests on: each a live, finalized visit of the enterprise (duplicates
 * dropped); for a grade, at least one. Returns them in the order given.
 */
export function checkVisits(
  ctx: AppContext,
  enterpriseId: string,
  kind: ApplicationKind,
  ids: readonly string[],
): InspectionRow[] {
  const visits: InspectionRow[] = [];
  for (const id of new Set(ids)) {
    const visit = getInspection(ctx.db, id);
    if (!visit || visit.enterpriseId !== enterpriseId) {
      throw new AppError('invalid_input', '关联的检查记录不存在，或不是这家企业的', [
        { path: 'inspectionIds', message: '不是这家企业的检查记录' },
      ]);
    }
    if (visit.status !== 'finalized') {
      throw new AppError(
        'invalid_input',
        `${visit.date} 的检查记录尚未定稿，不能作为申报依据；请定稿后再申报`,
        [{ path: 'inspectionIds', message: '检查记录尚未定稿' }],
      );
    }
    visits.push(visit);
  }
  if (kind === '等级' && visits.length === 0) {
    throw new AppError('invalid_input', '申报须附至少一次已定稿的核查记录', [
      { path: 'inspectionIds', message: '请选择已定稿的核查记录' },
    ]);
  }
  return visits;
}

export function checkPlan(ctx: AppContext, enterpriseId: string, planId: string | null): void {
  if (planId === null) return;
  const plan = getPlan(ctx.db, planId);
  if (!plan || plan.enterpriseId !== enterpriseId) {
    throw new AppError('invalid_input', '关联的整改方案不存在，或不是这家企业的', [
      { path: 'planId', message: '不是这家企业的方案' },
    ]);
  }
}

/** The grade the latest of these finalized visits found (as it was finalized), or null. */
export function latestVisitGrade(ctx: AppContext, visits: readonly InspectionRow[]): string | null {
  const latest = [...visits].sort(
    (a, b) => b.date.localeCompare(a.date) || b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1),
  )[0];
  if (!latest) return null;
  return frozenOf(latest)?.grade ?? gradingOf(ctx, latest.id).grade;
}

/** The account's role as a step may need it, or why it may not take the step. */
export function actionProblem(who: ReviewIdentity, step: ReviewStep, city: string): string | null {
  if (step === '提交') return null;
  if (who.role === null || who.scope === null) return NOT_LOGGED_IN;
  return stepRoleProblem(step, who.role) ?? scopeProblem(who.scope, city);
}

export function parseIds(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
