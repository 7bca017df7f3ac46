/**
 * A plan's status: 专家审定 (approval) and 企业确认 (confirmation, which fills the 附件2 columns) of
 * the current version, with or without a signature drawn on screen, or back to 草稿.
 */

import type { z } from 'zod';
import { type ChangeSet, writeChanges } from '../../../db/changes';
import { getPlan as getPlanRow, updatePlan } from '../../../db/repositories/plans';
import { AppError } from '../../../shared/api/errors';
import { CONFIRMER_SIGNER_ROLE, REVIEWER_SIGNER_ROLE } from '../../../shared/domain/inspection';
import { type PlanDetail, type PlanStatus, PlanStatusChangeSchema } from '../../../shared/plan';
import type { StoredFile } from '../attachments';
import type { AppContext } from '../context';
import { deviceAccount, insertSignatureUse, storeSignature } from '../signatures';
import { fillAnnex2Columns } from './annex2-columns';
import { notFound, parseOrRefuse } from './checks';
import { planDetail, requirePlan } from './list';
import { currentContent } from './save';

const STATUS_VERB: Record<PlanStatus, string> = {
  草稿: '退回草稿',
  专家审定: '审定',
  企业确认: '确认',
};

/**
 * Moves a plan's current version to 专家审定 (who approved it, when) or 企业确认 (which must follow
 * 专家审定 of the same version; it also fills the enterprise's 附件2 columns from the plan), or
 * back to 草稿 to reopen it. The stamps of earlier approvals stay, naming their versions.
 */
export function setPlanStatus(
  ctx: AppContext,
  input: z.input<typeof PlanStatusChangeSchema>,
  signature: StoredFile | null = null,
): PlanDetail {
  const change = parseOrRefuse(PlanStatusChangeSchema, input);
  const account = deviceAccount(ctx);
  /** The approver's or confirmer's signature as evidence on this version (before the stamp). */
  const sign = (changes: ChangeSet, planId: string, role: string) => {
    if (!signature) return;
    insertSignatureUse(
      ctx,
      changes,
      signature,
      { name: change.by, role },
      { planId, planVersion: change.version },
    );
  };
  writeChanges(ctx.db, ctx.device, (changes) => {
    const plan = getPlanRow(ctx.db, change.id);
    if (!plan) throw notFound(change.id);
    if (change.version !== plan.currentVersion) {
      throw new AppError(
        'conflict',
        `只能${STATUS_VERB[change.status]}方案的当前版本（第 ${plan.currentVersion} 版），第 ${change.version} 版已不是当前版本`,
      );
    }
    const now = ctx.device.now();
    switch (change.status) {
      case '草稿':
        return { changed: updatePlan(changes, plan.id, { status: '草稿' }).length > 0, filled: 0 };
      case '专家审定': {
        if (plan.status === '专家审定' && plan.reviewedVersion === change.version) {
          return { changed: false, filled: 0 };
        }
        if (plan.status === '企业确认') {
          throw new AppError(
            'conflict',
            `方案第 ${change.version} 版已由企业确认；如需重新审定，请先退回草稿`,
          );
        }
        const opinion = change.opinion?.trim() ?? '';
        if (opinion === '') {
          throw new AppError('invalid_input', '专家审定须填写审定意见', [
            { path: 'opinion', message: '请填写审定意见' },
          ]);
        }
        sign(changes, plan.id, REVIEWER_SIGNER_ROLE);
        updatePlan(changes, plan.id, {
          status: '专家审定',
          reviewedVersion: change.version,
          reviewedBy: change.by,
          reviewedAt: now,
          reviewOpinion: opinion,
          reviewedAccount: account,
        });
        return { changed: true, filled: 0 };
      }
      case '企业确认': {
        if (plan.status === '企业确认' && plan.confirmedVersion === change.version) {
          return { changed: false, filled: 0 };
        }
        if (plan.status !== '专家审定' || plan.reviewedVersion !== change.version) {
          throw new AppError(
            'conflict',
            `方案第 ${change.version} 版尚未经专家审定，企业不能确认；请先由专家审定`,
          );
        }
        const content = currentContent(ctx, plan);
        if (!content) {
          throw new AppError('conflict', `本机没有方案第 ${change.version} 版的内容，暂不能确认`);
        }
        if (change.method === undefined) {
          throw new AppError('invalid_input', '请选择确认方式：现场签字、电话确认或书面回执', [
            { path: 'method', message: '请选择确认方式' },
          ]);
        }
        if (change.method === '现场签字' && !signature) {
          throw new AppError('invalid_input', '现场签字须请确认人当场签名', [
            { path: 'signature', message: '请确认人在签名框内签名' },
          ]);
        }
        sign(changes, plan.id, CONFIRMER_SIGNER_ROLE);
        updatePlan(changes, plan.id, {
          status: '企业确认',
          confirmedVersion: change.version,
          confirmedBy: change.by,
          confirmedAt: now,
          confirmMethod: change.method,
          confirmedAccount: account,
        });
        return {
          changed: true,
          filled: fillAnnex2Columns(ctx, changes, plan.enterpriseId, content),
        };
      }
    }
  });
  return planDetail(ctx, requirePlan(ctx, change.id));
}

/**
 * 专家审定 or 企业确认 with a signature drawn on screen: the PNG is checked and stored as evidence
 * first, then the status and the signature's use are written together (setPlanStatus).
 */
export async function setPlanStatusSigned(
  ctx: AppContext,
  input: z.input<typeof PlanStatusChangeSchema>,
): Promise<PlanDetail> {
  const change = parseOrRefuse(PlanStatusChangeSchema, input);
  const stored =
    change.signature === undefined ? null : await storeSignature(ctx, change.signature);
  return setPlanStatus(ctx, change, stored);
}
