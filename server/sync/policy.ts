import { cityName } from '../../shared/domain/regions';
import {
  LIBRARY_PUBLISHERS,
  RECORD_DELETERS,
  REGION_SCOPE,
  type Role,
} from '../../shared/sync/protocol';

/**
 * Who may write what, beyond scope. Deliberately few rules — the app's own services check the
 * workflow; the store refuses only what a role must never do, whatever the app says:
 * 1. 专家审定 of a plan (status 专家审定, or any reviewed* field set) needs an expert or a reviewer:
 *    专家, 市级审核, 自治区复审 or 管理员. A 帮扶队员 may draft plans and record the enterprise's
 *    confirmation (企业确认), which the team witnesses on site.
 * 2. The region's indicator library (rulesets) is published by 专家, 自治区复审 or 管理员 only:
 *    every device in Ningxia receives it. Visits are unaffected: the content they were answered
 *    against travels as pinned_rulesets, which every role may write.
 * 3. Rows shared by the whole region (rulesets, pinned rulesets, stored files) are tombstoned only
 *    by 自治区复审 or 管理员: the app never deletes them, and one city's device must not remove
 *    them from every other device.
 * 4. A finalized visit (签字确认) is an official record: only 市级审核, 自治区复审 or 管理员
 *    (RECORD_DELETERS) move it to the 回收站 — the visit itself, or an enterprise that has one —
 *    and the delete must carry its reason (deleteReason). Restoring it is open to every role.
 *    Nothing else of a finalized visit changes (push/check-op.ts lets only the trash fields through).
 * 5. The review workflow (申报, 审核, 认定等级, 保障类, 信息公开; shared/domain/review.ts): who
 *    decides each step and in what order, who records a grade change or publishes a results list,
 *    is judged in push/check-review.ts against the rows the store holds.
 * Scope (the city an account covers) is checked in push/check-op.ts, immutability there too.
 *
 * When adding a rule: return a Chinese sentence that tells the person what role the op needs; an
 * op a rule refuses is parked with code 'role' and never blocks the ops after it.
 */

const REVIEWERS: readonly Role[] = ['专家', '市级审核', '自治区复审', '管理员'];
const REGION_ADMINS: readonly Role[] = ['自治区复审', '管理员'];
const REVIEW_FIELDS = ['reviewedVersion', 'reviewedBy', 'reviewedAt'] as const;

/** Why this role may not write these values into this table (region-wide or not), or null. */
export function roleProblem(
  table: string,
  values: Readonly<Record<string, unknown>>,
  role: Role,
  regionWide: boolean,
): string | null {
  if (regionWide && values.deleted === true && !REGION_ADMINS.includes(role)) {
    return `${role}账号不能删除全区共用的记录（${table}）；需要自治区复审或管理员账号`;
  }
  if (table === 'plans' && !REVIEWERS.includes(role)) {
    const reviews =
      values.status === '专家审定' ||
      REVIEW_FIELDS.some((f) => values[f] !== undefined && values[f] !== null);
    if (reviews) {
      return `${role}账号不能审定方案（专家审定）；需要专家、市级审核、自治区复审或管理员账号`;
    }
  }
  if (table === 'rulesets' && !LIBRARY_PUBLISHERS.includes(role)) {
    return `${role}账号不能向全区发布分级指标体系；需要专家、自治区复审或管理员账号`;
  }
  return null;
}

/** A user's scope covers this city (null: a region-wide row everyone sees). */
export function scopeCovers(scope: string, city: string | null): boolean {
  return scope === REGION_SCOPE || city === null || city === scope;
}

export function forbiddenMessage(scope: string, city: string): string {
  const own = scope === REGION_SCOPE ? '全区' : cityName(scope);
  return `无权修改${cityName(city)}的数据（账号范围：${own}）`;
}

/** The fields a delete or restore writes (db/schema.ts trashColumns, and the tombstone). */
export const TRASH_FIELDS: ReadonlySet<string> = new Set([
  'deleted',
  'deletedAt',
  'deletedBy',
  'deleteReason',
]);

/**
 * Why this role may not delete `finalized` finalized visits (one visit, or the ones under an
 * enterprise) with this reason, or null.
 */
export function finalizedDeletionProblem(
  role: Role,
  finalized: number,
  reason: unknown,
  what: string,
): string | null {
  if (finalized === 0) return null;
  if (!RECORD_DELETERS.includes(role)) {
    return `${what}是签字确认的正式记录，${role}账号不能删除；需要${RECORD_DELETERS.join('、')}账号`;
  }
  if (typeof reason !== 'string' || reason.trim() === '') {
    return `删除${what}须写明原因`;
  }
  return null;
}
