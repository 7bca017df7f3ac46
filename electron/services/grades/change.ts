import { writeChanges } from '../../../db/changes';
import { getEnterprise } from '../../../db/repositories/enterprises';
import { getInspection } from '../../../db/repositories/inspections';
import { getProcess } from '../../../db/repositories/processes';
import { listGradeEvents, officialGradeOf } from '../../../db/repositories/reviews/grade-events';
import { readSyncSettings } from '../../../db/repositories/sync/settings';
import { AppError } from '../../../shared/api/errors';
import {
  GRADE_CHANGERS,
  ranksWorse,
  REGION_PUBLISHER,
  type GradeChangeInput,
  type GradeEvent,
} from '../../../shared/domain/review';
import type { Role } from '../../../shared/sync/protocol';

import type { AppContext } from '../context';

import { recordGradeEvent } from './record';

/** Who may make each kind of change, in words for the refusal. */
const WHO: Record<GradeChangeInput['cause'], readonly Role[]> = {
  复核降级: GRADE_CHANGERS,
  'A+认定': [REGION_PUBLISHER],
  撤销等级: GRADE_CHANGERS,
};

function roleIn(role: string, roles: readonly Role[]): boolean {
  return roles.some((r) => r === role);
}

/**
 * 复核降级 (the city confirms a 复核 visit's finding, or the region), A+认定 (the region, for
 * an A-level enterprise or process only) and 撤销等级: the logged-in account must hold the role
 * (a city account only for enterprises of its city), and the change is written as a grade event.
 */
export function changeGrade(ctx: AppContext, input: GradeChangeInput): GradeEvent {
  const who = WHO[input.cause].join('或');
  const settings = readSyncSettings(ctx.db);
  const user = settings.token !== null ? settings.user : null;
  if (user === null) {
    throw new AppError('unauthorized', `${input.cause}须由${who}账号登录后办理；本机尚未登录`);
  }
  if (!roleIn(user.role, WHO[input.cause])) {
    throw new AppError('forbidden', `${input.cause}须由${who}账号办理；当前账号是${user.role}`);
  }
  let id = '';
  writeChanges(ctx.db, ctx.device, (changes) => {
    const enterprise = getEnterprise(ctx.db, input.enterpriseId);
    if (!enterprise) throw new AppError('not_found', '企业不存在或已删除');
    if (user.role === '市级审核' && user.scope !== enterprise.cityCode) {
      throw new AppError('forbidden', `${enterprise.name}不在本账号所辖的市，不能${input.cause}`);
    }
    let subject = enterprise.name;
    if (input.processId !== null) {
      const process = getProcess(ctx.db, input.processId);
      if (!process || process.enterpriseId !== enterprise.id) {
        throw new AppError('invalid_input', '所选工序不存在，或不是这家企业的', [
          { path: 'processId', message: '不是这家企业的工序' },
        ]);
      }
      subject = `${enterprise.name}的${process.name ?? process.branch}`;
    }
    const official = officialGradeOf(ctx.db, enterprise.id, input.processId);
    const now = official.grade;
    if (official.since !== null && input.effectiveDate < official.since) {
      throw new AppError(
        'invalid_input',
        `生效日期不能早于现在认定等级的日期（${official.since}）`,
        [{ path: 'effectiveDate', message: `不能早于${official.since}` }],
      );
    }
    let grade: string | null;
    if (input.cause === '复核降级') {
      if (now === null) throw new AppError('conflict', `${subject}尚无认定等级，无从降级`);
      if (input.grade === null) {
        throw new AppError('invalid_input', '请选择降级后的等级', [
          { path: 'grade', message: '请选择降级后的等级' },
        ]);
      }
      if (!ranksWorse(input.grade, now)) {
        throw new AppError(
          'invalid_input',
          `降级后的等级须低于现在的认定等级${now}；所选的是${input.grade}`,
          [{ path: 'grade', message: `须低于${now}` }],
        );
      }
      grade = input.grade;
    } else if (input.cause === 'A+认定') {
      if (now !== 'A') {
        throw new AppError(
          'invalid_input',
          `只有认定等级为A级的企业才能认定为A+；${now === null ? '该企业尚未认定等级' : `该企业认定等级为${now}`}`,
        );
      }
      grade = 'A+';
    } else {
      if (now === null) throw new AppError('conflict', `${subject}没有可撤销的认定等级`);
      grade = null;
    }
    if (input.inspectionId !== null) {
      const visit = getInspection(ctx.db, input.inspectionId);
      if (!visit || visit.enterpriseId !== enterprise.id || visit.status !== 'finalized') {
        throw new AppError('invalid_input', '依据的核查记录须是这家企业已定稿的检查记录', [
          { path: 'inspectionId', message: '不是这家企业已定稿的检查记录' },
        ]);
      }
    }
    id = recordGradeEvent(ctx, changes, {
      enterpriseId: enterprise.id,
      processId: input.processId,
      grade,
      cause: input.cause,
      reason: input.reason,
      documentNo: input.documentNo,
      effectiveDate: input.effectiveDate,
      inspectionId: input.inspectionId,
      decidedBy: input.decidedBy,
    }).id;
  });
  const event = listGradeEvents(ctx.db, input.enterpriseId).find((e) => e.id === id);
  if (!event) throw new AppError('internal', '等级变更未能保存');
  return event;
}
