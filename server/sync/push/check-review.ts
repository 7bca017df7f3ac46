import { cityName, findCity } from '../../../shared/domain/regions';
import {
  APPLICABLE_GRADES,
  APPLICATION_KINDS,
  applicationState,
  DECISIONS,
  GRADE_CAUSES,
  GRADE_CHANGERS,
  isOfficialGrade,
  REGION_PUBLISHER,
  CITY_PUBLISHER,
  REVIEW_STEPS,
  routeFor,
  routeSteps,
  STEP_ROLES,
  stepProblem,
  stepRoleProblem,
  type ApplicationState,
  type ReviewRoute,
  type StepRecord,
} from '../../../shared/domain/review';
import { REGION_SCOPE, type Role, type SyncOp } from '../../../shared/sync/protocol';
import type { AuthUser } from '../../auth/tokens';
import { sameJson } from '../json';

import type { Park } from './types';
import type { WorkingSet, WorkRow } from './working-set';

/**
 * The review workflow as the central store enforces it, whatever a device sends (the rules of
 * shared/domain/review.ts, judged against the rows the store holds, this push's earlier ops
 * included). Called by check-op.ts once scope has passed; returns why the op is parked, or null.
 *
 * - review_steps: the step's role (STEP_ROLES), then its order and uniqueness (stepProblem): of
 *   two decisions of one step the first to reach the store is kept, the second parked.
 * - grade_applications: a known kind and target grade, and the route they lead to.
 * - grade_events: an approval needs an approved application of the same grade, written by the
 *   role of its route's last step; a violation's event names a violation of the enterprise; a
 *   降级 or revocation needs GRADE_CHANGERS; A+ only by 自治区复审, only from an official A.
 * - enterprises: 保障类 is set by 市级审核 or 自治区复审, on an approved 保障类 application.
 * - publications: the region's list by 自治区复审, a city's by 市级审核 of that city; one
 *   edition number per scope.
 * Steps, grade events and publications are records of a moment: never deleted (their fields are
 * immutable through tables.ts IMMUTABLE_FIELDS).
 */

const RECORDS_OF_A_MOMENT: Readonly<Record<string, string>> = {
  review_steps: '审核记录',
  grade_events: '等级变更记录',
  publications: '已发布的公示名单',
};

const GUARANTEE_FIELDS = ['guarantee', 'guaranteeSince', 'guaranteeApplicationId'] as const;
const GUARANTEE_SETTERS: readonly Role[] = ['市级审核', '自治区复审'];

const oneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

/** A value as a person reads it in a reason. */
const shown = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

const isRoute = (value: unknown): value is ReviewRoute => value === 'region' || value === 'city';

function stepRecord(row: WorkRow): StepRecord | null {
  const v = row.values;
  if (typeof v.round !== 'number' || !oneOf(REVIEW_STEPS, v.step)) return null;
  if (v.decision !== '提交' && !oneOf(DECISIONS, v.decision)) return null;
  return {
    id: row.rowId,
    round: v.round,
    step: v.step,
    decision: v.decision,
    decidedBy: typeof v.decidedBy === 'string' ? v.decidedBy : '',
    decidedAt: typeof v.decidedAt === 'number' ? v.decidedAt : 0,
  };
}

async function stepsAsStored(ws: WorkingSet, application: WorkRow): Promise<StepRecord[]> {
  const rows = await ws.stepsOf(application.rowId, application.enterpriseId ?? '');
  return rows.flatMap((r) => stepRecord(r) ?? []);
}

async function stateOf(ws: WorkingSet, application: WorkRow): Promise<ApplicationState | null> {
  const route = application.values.route;
  if (!isRoute(route)) return null;
  return applicationState(route, await stepsAsStored(ws, application));
}

export async function reviewProblem(
  ws: WorkingSet,
  op: SyncOp,
  next: Readonly<Record<string, unknown>>,
  existing: WorkRow | null,
  user: AuthUser,
): Promise<Park | null> {
  const what = RECORDS_OF_A_MOMENT[op.table];
  if (what && existing && op.values.deleted === true && existing.values.deleted !== true) {
    return { code: 'immutable', reason: `${what}是正式记录，不能删除` };
  }
  if (op.table === 'enterprises') return guaranteeProblem(ws, op, next, existing, user.role);
  if (existing) return null;
  switch (op.table) {
    case 'grade_applications':
      return applicationProblem(next);
    case 'review_steps':
      return reviewStepProblem(ws, next, user.role);
    case 'grade_events':
      return gradeEventProblem(ws, next, user.role);
    case 'publications':
      return publicationProblem(ws, op, next, user);
    default:
      return null;
  }
}

function applicationProblem(next: Readonly<Record<string, unknown>>): Park | null {
  const { kind, targetGrade, route } = next;
  if (!oneOf(APPLICATION_KINDS, kind)) {
    return { code: 'invalid', reason: `申报类型“${String(kind)}”无效，应为等级或保障类` };
  }
  if (targetGrade !== null && targetGrade !== undefined && !oneOf(APPLICABLE_GRADES, targetGrade)) {
    return {
      code: 'invalid',
      reason: `申报等级“${shown(targetGrade)}”无效，应为${APPLICABLE_GRADES.join('、')}之一`,
    };
  }
  const grade = typeof targetGrade === 'string' ? targetGrade : null;
  if (kind === '等级' && grade === null)
    return { code: 'invalid', reason: '申报等级时须写明申报等级' };
  const expected = routeFor(kind, grade);
  if (route !== expected) {
    return {
      code: 'invalid',
      reason: `申报${grade ?? kind}的审核流程应为${expected === 'region' ? '市级初审 → 自治区复审' : '市级评定'}，记录写的不对`,
    };
  }
  return null;
}

async function reviewStepProblem(
  ws: WorkingSet,
  next: Readonly<Record<string, unknown>>,
  role: Role,
): Promise<Park | null> {
  const { step, decision, round } = next;
  if (!oneOf(REVIEW_STEPS, step))
    return { code: 'invalid', reason: `审核步骤“${String(step)}”无效` };
  if (decision !== '提交' && !oneOf(DECISIONS, decision)) {
    return { code: 'invalid', reason: `审核决定“${String(decision)}”无效` };
  }
  if (typeof round !== 'number') return { code: 'invalid', reason: '审核记录缺少轮次' };
  const refused = stepRoleProblem(step, role);
  if (refused) return { code: 'role', reason: refused };
  const application = await ws.get('grade_applications', String(next.applicationId));
  const route = application?.values.route;
  if (!application || !isRoute(route)) return { code: 'invalid', reason: '审核记录所属的申报无效' };
  const records = await stepsAsStored(ws, application);
  const problem = stepProblem(route, records, { round, step, decision });
  if (!problem) return null;
  const taken = applicationState(route, records).steps.some(
    (s) => s.round === round && s.step === step,
  );
  return { code: taken ? 'duplicate' : 'invalid', reason: problem };
}

/** The official grade of an enterprise (or one of its processes): its latest grade event. */
async function officialGrade(
  ws: WorkingSet,
  enterpriseId: string,
  processId: unknown,
): Promise<string | null> {
  const events = (await ws.gradeEventsOf(enterpriseId)).filter(
    (e) => (e.values.processId ?? null) === (processId ?? null),
  );
  const key = (e: WorkRow) =>
    `${String(e.values.effectiveDate)}\u0001${String(e.values.createdAt).padStart(16, '0')}`;
  events.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const latest = events.at(-1)?.values.grade;
  return typeof latest === 'string' ? latest : null;
}

async function gradeEventProblem(
  ws: WorkingSet,
  next: Readonly<Record<string, unknown>>,
  role: Role,
): Promise<Park | null> {
  const { cause, grade } = next;
  const enterpriseId = String(next.enterpriseId);
  if (!oneOf(GRADE_CAUSES, cause)) {
    return { code: 'invalid', reason: `等级变更原因“${String(cause)}”无效` };
  }
  if (grade !== null && grade !== undefined && !isOfficialGrade(grade)) {
    return { code: 'invalid', reason: `等级“${shown(grade)}”无效` };
  }
  switch (cause) {
    case '审核通过': {
      const application =
        typeof next.applicationId === 'string'
          ? await ws.get('grade_applications', next.applicationId)
          : null;
      if (!application || application.values.enterpriseId !== enterpriseId) {
        return { code: 'invalid', reason: '审核通过的等级须对应该企业的一份申报' };
      }
      const route = application.values.route;
      if (!isRoute(route)) return { code: 'invalid', reason: '该申报的审核流程无效' };
      const last = routeSteps(route).at(-1) ?? '市级评定';
      const needed = STEP_ROLES[last];
      if (role !== needed) {
        return {
          code: 'role',
          reason: `按${last}结果认定等级须由${needed}账号作出；当前账号是${role}`,
        };
      }
      const state = await stateOf(ws, application);
      if (state?.status !== '已通过') {
        return {
          code: 'invalid',
          reason: `该申报尚未审核通过（当前：${state?.status ?? '未知'}），不能据此认定等级`,
        };
      }
      if ((grade ?? null) !== (application.values.targetGrade ?? null)) {
        return {
          code: 'invalid',
          reason: `认定等级（${String(grade)}）与申报等级（${String(application.values.targetGrade)}）不一致`,
        };
      }
      return null;
    }
    case '违法违规':
    case '违法记录撤销': {
      const violation =
        typeof next.violationId === 'string' ? await ws.get('violations', next.violationId) : null;
      if (!violation || violation.values.enterpriseId !== enterpriseId) {
        return { code: 'invalid', reason: `${cause}的等级变更须对应该企业的一条违法记录` };
      }
      return null;
    }
    case '复核降级':
    case '撤销等级':
      return GRADE_CHANGERS.includes(role)
        ? null
        : {
            code: 'role',
            reason: `${role}账号不能${cause === '复核降级' ? '确认降级' : '撤销等级'}；需要${GRADE_CHANGERS.join('或')}账号`,
          };
    case 'A+认定': {
      if (role !== REGION_PUBLISHER) {
        return { code: 'role', reason: `A+认定须由${REGION_PUBLISHER}账号作出；当前账号是${role}` };
      }
      if (grade !== 'A+') return { code: 'invalid', reason: 'A+认定的等级须为A+' };
      const now = await officialGrade(ws, enterpriseId, next.processId);
      if (now !== 'A') {
        return {
          code: 'invalid',
          reason: `只有认定等级为A的企业可以认定A+（当前认定等级：${now ?? '无'}）`,
        };
      }
      return null;
    }
  }
}

async function guaranteeProblem(
  ws: WorkingSet,
  op: SyncOp,
  next: Readonly<Record<string, unknown>>,
  existing: WorkRow | null,
  role: Role,
): Promise<Park | null> {
  const changes = GUARANTEE_FIELDS.filter((f) => {
    if (!(f in op.values)) return false;
    const before = existing?.values[f] ?? (f === 'guarantee' ? false : null);
    return !sameJson(before, op.values[f] ?? (f === 'guarantee' ? false : null));
  });
  if (changes.length === 0) return null;
  if (!GUARANTEE_SETTERS.includes(role)) {
    return {
      code: 'role',
      reason: `${role}账号不能设定保障类企业；需要${GUARANTEE_SETTERS.join('或')}账号`,
    };
  }
  if (next.guarantee !== true) return null;
  const application =
    typeof next.guaranteeApplicationId === 'string'
      ? await ws.get('grade_applications', next.guaranteeApplicationId)
      : null;
  if (
    !application ||
    application.values.kind !== '保障类' ||
    application.values.enterpriseId !== op.rowId ||
    (await stateOf(ws, application))?.status !== '已通过'
  ) {
    return { code: 'invalid', reason: '设为保障类企业须依据该企业一份已审核通过的保障类申报' };
  }
  return null;
}

async function publicationProblem(
  ws: WorkingSet,
  op: SyncOp,
  next: Readonly<Record<string, unknown>>,
  user: AuthUser,
): Promise<Park | null> {
  const { scope, edition } = next;
  if (scope === REGION_SCOPE) {
    if (user.role !== REGION_PUBLISHER) {
      return {
        code: 'role',
        reason: `全区公示名单须由${REGION_PUBLISHER}账号发布；当前账号是${user.role}`,
      };
    }
  } else {
    if (typeof scope !== 'string' || !findCity(scope)) {
      return { code: 'invalid', reason: `公示名单的范围“${String(scope)}”无效` };
    }
    if (user.role !== CITY_PUBLISHER || user.scope !== scope) {
      return {
        code: 'role',
        reason: `${cityName(scope)}的公示名单须由该市的${CITY_PUBLISHER}账号发布；当前账号是${user.role}（${user.scope === REGION_SCOPE ? '全区' : cityName(user.scope)}）`,
      };
    }
  }
  const first = (await ws.publicationsOf(scope)).find(
    (p) => p.rowId !== op.rowId && p.values.edition === edition,
  );
  if (first) {
    return {
      code: 'duplicate',
      reason: `${scope === REGION_SCOPE ? '全区' : cityName(scope)}公示名单第 ${String(edition)} 期已由${String(first.values.publishedBy)}发布，不能重复发布；请发布新的一期`,
    };
  }
  return null;
}
