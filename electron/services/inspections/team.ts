/**
 * The inspection team (检查组): add, change and remove members, each member's confirmation, and
 * on-screen signatures of members and of the enterprise's representative.
 */

import { writeChanges } from '../../../db/changes';
import { deleteUse, listUsesOfInspections } from '../../../db/repositories/attachments';
import {
  deleteMember,
  insertMember,
  listMembers,
  type MemberRow,
  updateMember,
} from '../../../db/repositories/inspections';
import { AppError } from '../../../shared/api/errors';
import {
  type InspectionDetail,
  type InspectionSign,
  type MemberSave,
  REPRESENTATIVE_ROLE,
} from '../../../shared/domain/inspection';
import type { AppContext } from '../context';
import { insertSignatureUse, isSignature, storeSignature } from '../signatures';
import { clearConfirmations, requireDraft } from './guards';
import { getInspectionDetail } from './list';

function memberOf(ctx: AppContext, inspectionId: string, memberId: string): MemberRow {
  const member = listMembers(ctx.db, [inspectionId]).find((m) => m.id === memberId);
  if (!member) throw new AppError('not_found', `此次检查没有编号为 ${memberId} 的成员`);
  return member;
}

/** Adds a member (no memberId) or changes one. */
export function saveMember(ctx: AppContext, input: MemberSave): InspectionDetail {
  writeChanges(ctx.db, ctx.device, (changes) => {
    requireDraft(ctx, input.inspectionId);
    let changed: boolean;
    if (input.memberId) {
      memberOf(ctx, input.inspectionId, input.memberId);
      changed =
        updateMember(changes, input.memberId, { name: input.name, role: input.role }).length > 0;
    } else {
      insertMember(
        changes,
        ctx.device.newId(),
        { inspectionId: input.inspectionId, name: input.name, role: input.role },
        ctx.device.now(),
      );
      changed = true;
    }
    if (changed) clearConfirmations(changes, ctx, input.inspectionId);
    return changed;
  });
  return getInspectionDetail(ctx, input.inspectionId);
}

export function removeMember(
  ctx: AppContext,
  input: { inspectionId: string; memberId: string },
): InspectionDetail {
  writeChanges(ctx.db, ctx.device, (changes) => {
    requireDraft(ctx, input.inspectionId);
    memberOf(ctx, input.inspectionId, input.memberId);
    deleteMember(changes, input.memberId);
    clearConfirmations(changes, ctx, input.inspectionId);
  });
  return getInspectionDetail(ctx, input.inspectionId);
}

/** Records that this member confirms the visit as it stands now (who: the member; when: now). */
export function confirmInspection(
  ctx: AppContext,
  input: { inspectionId: string; memberId: string },
): InspectionDetail {
  writeChanges(ctx.db, ctx.device, (changes) => {
    requireDraft(ctx, input.inspectionId);
    const member = memberOf(ctx, input.inspectionId, input.memberId);
    if (member.confirmedAt !== null) return false;
    updateMember(changes, member.id, { confirmedAt: ctx.device.now() });
    return true;
  });
  return getInspectionDetail(ctx, input.inspectionId);
}

/**
 * Signs a draft visit on screen: a team member (their signature is their confirmation 签字确认,
 * replacing one they signed before) or the enterprise's representative (企业陪同人员, by name;
 * signing again under the same name replaces it). The PNG is checked and stored as evidence.
 */
export async function signInspection(
  ctx: AppContext,
  sign: InspectionSign,
): Promise<InspectionDetail> {
  if ((sign.memberId === undefined) === (sign.representative === undefined)) {
    throw new AppError(
      'invalid_input',
      '请选择签名的检查组成员，或填写企业陪同人员的姓名（二者选一）',
    );
  }
  requireDraft(ctx, sign.inspectionId);
  if (sign.memberId !== undefined) memberOf(ctx, sign.inspectionId, sign.memberId);
  const stored = await storeSignature(ctx, sign.image);
  writeChanges(ctx.db, ctx.device, (changes) => {
    requireDraft(ctx, sign.inspectionId);
    const member =
      sign.memberId === undefined ? null : memberOf(ctx, sign.inspectionId, sign.memberId);
    const signerName = member ? member.name : (sign.representative as string);
    const signerRole = member ? member.role : REPRESENTATIVE_ROLE;
    for (const u of listUsesOfInspections(ctx.db, [sign.inspectionId])) {
      const same = member
        ? u.memberId === member.id
        : u.memberId === null &&
          u.signerRole === REPRESENTATIVE_ROLE &&
          u.signerName === signerName;
      if (isSignature(u) && same) deleteUse(changes, u.id);
    }
    const when = insertSignatureUse(
      ctx,
      changes,
      stored,
      { name: signerName, role: signerRole },
      { inspectionId: sign.inspectionId, memberId: member?.id ?? null },
    );
    if (member) updateMember(changes, member.id, { confirmedAt: when });
  });
  return getInspectionDetail(ctx, sign.inspectionId);
}
