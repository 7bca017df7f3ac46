import { writeChanges } from '../../../../db/changes';
import { writeSyncSettings } from '../../../../db/repositories/sync';
import { createEnterprise } from '../../../../electron/services/enterprises';
import type { AppContext } from '../../../../electron/services/context';
import { recordGradeEvent } from '../../../../electron/services/grades/record';
import { createProcess } from '../../../../electron/services/processes';
import { EnterpriseDraftSchema } from '../../../../shared/domain/enterprise';
import { ProcessDraftSchema } from '../../../../shared/domain/process';

/** Enterprises with official grades, and a logged-in account, for the 信息公开 tests. */

export function enterprise(
  ctx: AppContext,
  name: string,
  cityCode = '6401',
  countyCode: string | null = '640104',
  industries: { industryCode: string; branch: string }[] = [],
): { id: string; processIds: string[] } {
  const id = createEnterprise(
    ctx,
    EnterpriseDraftSchema.parse({
      name,
      cityCode,
      countyCode,
    }),
  ).id;
  const processIds = industries.map(
    (p) => createProcess(ctx, ProcessDraftSchema.parse({ enterpriseId: id, ...p })).id,
  );
  return { id, processIds };
}

export const CEMENT = { industryCode: 'cement', branch: '水泥熟料' };
export const MANGANESE = { industryCode: 'ferroalloy', branch: '电解锰' };

export function grade(
  ctx: AppContext,
  enterpriseId: string,
  value: string | null,
  effectiveDate: string,
  processId: string | null = null,
): void {
  writeChanges(ctx.db, ctx.device, (changes) => {
    recordGradeEvent(ctx, changes, {
      enterpriseId,
      processId,
      grade: value,
      cause: value === null ? '撤销等级' : '审核通过',
      reason: null,
      documentNo: null,
      effectiveDate,
      decidedBy: '李审核',
    });
  });
}

export function logIn(ctx: AppContext, role: string, scope: string): void {
  writeSyncSettings(ctx.db, {
    server: 'http://127.0.0.1:4791',
    token: 'plain-token-for-test',
    user: { id: 'u-1', username: 'lishen', displayName: '李审', role, scope },
  });
}
