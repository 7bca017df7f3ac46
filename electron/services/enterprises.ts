import { writeChanges } from '../../db/changes';
import {
  countEnterprises,
  findEnterpriseByCreditCode,
  findEnterpriseByNameInCounty,
  getEnterprise as getRow,
  insertEnterprise,
  listEnterprises as listRows,
  updateEnterprise as updateRow,
} from '../../db/repositories/enterprises';
import { NO_OFFICIAL_GRADE, officialGradesOf } from '../../db/repositories/reviews/grade-events';
import { listViolationsOf, type ViolationRow } from '../../db/repositories/violations';
import { AppError } from '../../shared/api/errors';
import { localDate } from '../../shared/local-time';
import type {
  Enterprise,
  EnterpriseDraft,
  EnterprisePage,
  EnterpriseQuery,
} from '../../shared/domain/enterprise';
import { normalizeCreditCode } from '../../shared/domain/credit-code';
import { ENTERPRISE_PAGE_MAX } from '../../shared/domain/enterprise';
import { cityName, countyName } from '../../shared/domain/regions';

import type { AppContext } from './context';
import { currentGrades } from './inspections';
import { lockedUntil } from './violations';

function notFound(id: string): AppError {
  return new AppError('not_found', `企业不存在或已删除（编号 ${id}）`);
}

/** Refuses a second live enterprise with the same 信用代码, or the same name in one county. */
export function assertUniqueEnterprise(
  ctx: AppContext,
  draft: Pick<EnterpriseDraft, 'name' | 'creditCode' | 'cityCode' | 'countyCode'>,
  exceptId?: string,
): void {
  if (draft.creditCode) {
    const other = findEnterpriseByCreditCode(ctx.db, draft.creditCode, exceptId);
    if (other) {
      throw new AppError(
        'conflict',
        `统一社会信用代码 ${draft.creditCode} 已登记为“${other.name}”`,
        [{ path: 'creditCode', message: `该信用代码已登记为“${other.name}”` }],
      );
    }
  }
  const same = findEnterpriseByNameInCounty(
    ctx.db,
    draft.name,
    draft.cityCode,
    draft.countyCode,
    exceptId,
  );
  if (same) {
    const where = `${cityName(draft.cityCode)}${countyName(draft.cityCode, draft.countyCode)}`;
    throw new AppError('conflict', `${where}已有同名企业“${draft.name}”`, [
      { path: 'name', message: `${where}已有同名企业` },
    ]);
  }
}

/** Files a new enterprise; the draft has passed EnterpriseDraftSchema. */
export function createEnterprise(ctx: AppContext, draft: EnterpriseDraft): Enterprise {
  const id = ctx.device.newId();
  writeChanges(ctx.db, ctx.device, (changes) => {
    assertUniqueEnterprise(ctx, draft);
    insertEnterprise(changes, id, draft, ctx.device.now());
  });
  return getEnterprise(ctx, id);
}

/** Replaces an enterprise's fields with the draft's; only changed fields become ops. */
export function updateEnterprise(ctx: AppContext, id: string, draft: EnterpriseDraft): Enterprise {
  writeChanges(ctx.db, ctx.device, (changes) => {
    if (!getRow(ctx.db, id)) throw notFound(id);
    assertUniqueEnterprise(ctx, draft, id);
    return updateRow(changes, id, draft);
  });
  return getEnterprise(ctx, id);
}

export function getEnterprise(ctx: AppContext, id: string): Enterprise {
  const row = getRow(ctx.db, id);
  if (!row) throw notFound(id);
  return row;
}

export function listEnterprises(ctx: AppContext, query: EnterpriseQuery): EnterprisePage {
  const page = listRows(ctx.db, query);
  const today = localDate(ctx.device.now());
  const found = new Map<string, ViolationRow[]>();
  for (const v of listViolationsOf(
    ctx.db,
    page.items.map((e) => e.id),
  )) {
    found.set(v.enterpriseId, [...(found.get(v.enterpriseId) ?? []), v]);
  }
  const grades = currentGrades(
    ctx,
    page.items.map((e) => e.id),
    found,
    today,
  );
  const official = officialGradesOf(
    ctx.db,
    page.items.map((e) => e.id),
  );
  return {
    ...page,
    items: page.items.map((e) => ({
      ...e,
      official: official.get(e.id)?.official ?? NO_OFFICIAL_GRADE,
      guarantee: official.get(e.id)?.guarantee ?? false,
      lockedUntil: lockedUntil(found.get(e.id) ?? [], today),
      currentGrade: grades.get(e.id) ?? { grade: null, visit: null, violation: null },
    })),
  };
}

export function enterpriseCount(ctx: AppContext): number {
  return countEnterprises(ctx.db);
}

/**
 * The live enterprises a person means by `key`: the one holding it as its 统一社会信用代码, else
 * those named exactly so (one per county at most, so several across counties). Empty when none.
 */
export function findEnterprisesByKey(ctx: AppContext, key: string): Enterprise[] {
  const text = key.trim();
  if (text === '') return [];
  const byCode = findEnterpriseByCreditCode(ctx.db, normalizeCreditCode(text));
  if (byCode) return [byCode];
  const named: Enterprise[] = [];
  // A LIKE scan finds the name among the texts containing it, and the exact ones are kept. Not
  // the full-text indexes: after an edit of an enterprise's other text fields they can miss its
  // name (migration 0001's two update triggers fire in the wrong order), and one lookup from the
  // command line can afford a scan.
  for (let offset = 0; ; offset += ENTERPRISE_PAGE_MAX) {
    const page = listRows(ctx.db, { text, offset, limit: ENTERPRISE_PAGE_MAX }, 'like');
    named.push(...page.items.filter((e) => e.name === text));
    if (page.items.length < ENTERPRISE_PAGE_MAX) break;
  }
  return named;
}
