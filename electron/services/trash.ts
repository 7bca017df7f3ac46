import { announceChanged, writeChanges } from '../../db/changes';
import { getEnterprise as getEnterpriseRow } from '../../db/repositories/enterprises';
import { getInspection } from '../../db/repositories/inspections';
import { getPlan } from '../../db/repositories/plans';
import { deleteSubtree, readSyncSettings, rowsWithUnsentOps } from '../../db/repositories/sync';
import {
  enterpriseContents,
  enterpriseIsLive,
  enterpriseKeys,
  expiredTrash,
  getTrashed,
  listTrashed,
  markRestored,
  markTrashed,
  TRASH_AFFECTS,
  trashSubtree,
  type TrashTable,
} from '../../db/repositories/trash';
import { AppError } from '../../shared/api/errors';
import type {
  DeletionSummary,
  TrashItem,
  TrashKind,
  TrashRestoreInput,
} from '../../shared/domain/trash';
import { TRASH_DAYS } from '../../shared/domain/trash';
import { RECORD_DELETERS } from '../../shared/sync/protocol';

import type { AppContext } from './context';
import { assertUniqueEnterprise } from './enterprises';

const DAY_MS = 24 * 60 * 60 * 1000;
const TRASH_MS = TRASH_DAYS * DAY_MS;

const TABLE_OF: Record<TrashKind, TrashTable> = {
  enterprise: 'enterprises',
  visit: 'inspections',
  plan: 'plans',
};
const KIND_OF: Record<TrashTable, TrashKind> = {
  enterprises: 'enterprise',
  inspections: 'visit',
  plans: 'plan',
};

/** The person a delete is recorded under: the sync account's name, else this device. */
function deleter(ctx: AppContext): { name: string; role: string | null } {
  const user = readSyncSettings(ctx.db).user;
  return user
    ? { name: user.displayName, role: user.role }
    : { name: '本机（未登录同步账号）', role: null };
}

/**
 * Why this device's account may not delete finalized visits, or null. A device that never logged
 * in does not know its role: it lets the delete through, and the store decides when it syncs.
 */
function roleProblem(role: string | null, what: string): string | null {
  if (role === null || (RECORD_DELETERS as readonly string[]).includes(role)) return null;
  return `${what}是签字确认的正式记录，${role}账号不能删除；需要${RECORD_DELETERS.join('、')}账号`;
}

function cleanReason(reason: string | undefined): string | null {
  const text = reason?.trim() ?? '';
  return text === '' ? null : text;
}

function enterpriseNotFound(): AppError {
  return new AppError('not_found', '企业不存在或已删除');
}

/** What deleting an enterprise takes with it, and what the person must do to confirm it. */
export function enterpriseDeletionSummary(ctx: AppContext, id: string): DeletionSummary {
  const row = getEnterpriseRow(ctx.db, id);
  if (!row) throw enterpriseNotFound();
  const contents = enterpriseContents(ctx.db, id);
  const { role } = deleter(ctx);
  return {
    name: row.name,
    ...contents,
    reasonRequired: contents.finalizedVisits > 0,
    refusal:
      contents.finalizedVisits > 0
        ? roleProblem(role, `该企业的 ${contents.finalizedVisits} 次已定稿检查`)
        : null,
    trashDays: TRASH_DAYS,
  };
}

/**
 * Moves an enterprise to the 回收站 with everything under it (which is hidden with it, not
 * changed). The person typed its name; with finalized visits under it a reason is required and
 * the account must be one of RECORD_DELETERS.
 */
export function trashEnterprise(
  ctx: AppContext,
  input: { id: string; confirmName: string; reason?: string | undefined },
): { id: string } {
  const reason = cleanReason(input.reason);
  writeChanges(ctx.db, ctx.device, (changes) => {
    const summary = enterpriseDeletionSummary(ctx, input.id);
    if (input.confirmName.trim() !== summary.name) {
      throw new AppError('invalid_input', '输入的企业名称与要删除的企业不一致', [
        { path: 'confirmName', message: `请完整输入“${summary.name}”` },
      ]);
    }
    if (summary.refusal) throw new AppError('forbidden', summary.refusal);
    if (summary.reasonRequired && reason === null) {
      throw new AppError('invalid_input', '该企业有已定稿的检查记录，删除须写明原因', [
        { path: 'reason', message: '请写明删除原因' },
      ]);
    }
    markTrashed(changes, 'enterprises', input.id, {
      deletedAt: ctx.device.now(),
      deletedBy: deleter(ctx).name,
      deleteReason: reason,
    });
  });
  return { id: input.id };
}

/**
 * Moves a visit to the 回收站. A draft goes as it is; a finalized visit is an official record:
 * only RECORD_DELETERS delete it, and the reason is kept with it.
 */
export function trashInspection(
  ctx: AppContext,
  input: { id: string; reason?: string | undefined },
): { id: string } {
  const reason = cleanReason(input.reason);
  writeChanges(ctx.db, ctx.device, (changes) => {
    const row = getInspection(ctx.db, input.id);
    if (!row) throw new AppError('not_found', '检查记录不存在或已删除');
    const who = deleter(ctx);
    if (row.status === 'finalized') {
      const refusal = roleProblem(who.role, '这次检查');
      if (refusal) throw new AppError('forbidden', refusal);
      if (reason === null) {
        throw new AppError('invalid_input', '删除已定稿的检查记录须写明原因', [
          { path: 'reason', message: '请写明删除原因' },
        ]);
      }
    }
    markTrashed(changes, 'inspections', input.id, {
      deletedAt: ctx.device.now(),
      deletedBy: who.name,
      deleteReason: reason,
    });
  });
  return { id: input.id };
}

/** Moves a plan (with its versions) to the 回收站. */
export function trashPlan(
  ctx: AppContext,
  input: { id: string; reason?: string | undefined },
): { id: string } {
  writeChanges(ctx.db, ctx.device, (changes) => {
    if (!getPlan(ctx.db, input.id)) {
      throw new AppError('not_found', '一企一策方案不存在或已删除');
    }
    markTrashed(changes, 'plans', input.id, {
      deletedAt: ctx.device.now(),
      deletedBy: deleter(ctx).name,
      deleteReason: cleanReason(input.reason),
    });
  });
  return { id: input.id };
}

/** What the 回收站 holds now, newest first, with the days each has left. */
export function listTrash(ctx: AppContext): TrashItem[] {
  const now = ctx.device.now();
  return listTrashed(ctx.db, now - TRASH_MS).map((r) => ({
    kind: KIND_OF[r.table],
    id: r.id,
    enterpriseName: r.enterpriseName,
    number: r.number,
    date: r.date,
    visitType: r.visitType,
    finalized: r.table === 'inspections' && r.status === 'finalized',
    deletedAt: r.deletedAt,
    deletedBy: r.deletedBy,
    deleteReason: r.deleteReason,
    daysLeft: Math.max(1, Math.ceil((r.deletedAt + TRASH_MS - now) / DAY_MS)),
  }));
}

/** Brings a row back from the 回收站, with everything that was hidden under it. */
export function restoreFromTrash(ctx: AppContext, input: TrashRestoreInput): { id: string } {
  const table = TABLE_OF[input.kind];
  writeChanges(ctx.db, ctx.device, (changes) => {
    const row = getTrashed(ctx.db, table, input.id);
    if (!row || row.deletedAt <= ctx.device.now() - TRASH_MS) {
      throw new AppError('not_found', '回收站里没有这条记录（可能已恢复，或已超过 30 天被清除）');
    }
    if (table === 'enterprises') {
      // Its name or credit code may have been filed again meanwhile: one of the two must go.
      const keys = enterpriseKeys(ctx.db, input.id);
      if (keys) assertUniqueEnterprise(ctx, keys, input.id);
    } else if (!enterpriseIsLive(ctx.db, row.enterpriseId)) {
      throw new AppError('conflict', '它所属的企业也在回收站里，请先恢复企业');
    }
    markRestored(changes, table, input.id);
  });
  return { id: input.id };
}

/**
 * Purges what has been in the 回收站 for 30 days: the row and everything under it leave this
 * device (the central store keeps the tombstone). Run when the app opens. A row with a local
 * change the store has not acknowledged waits for the next run (nothing unsent is dropped), and
 * a visit a revision or a violation names stays. Returns how many trashed rows were purged.
 */
export function purgeExpiredTrash(ctx: AppContext): number {
  const before = ctx.device.now() - TRASH_MS;
  // Most openings find nothing due: they take no write lock.
  if (expiredTrash(ctx.db, before).length === 0) return 0;
  let purged = 0;
  const tx = ctx.db.sqlite.transaction(() => {
    const unsent = rowsWithUnsentOps(ctx.db);
    for (const { table, id } of expiredTrash(ctx.db, before)) {
      const subtree = trashSubtree(ctx.db, table, id);
      // Kept (a revision or violation names it), or already gone with its enterprise.
      if (!subtree || subtree.length === 0) continue;
      if (subtree.some((r) => unsent.has(`${r.table}\u0001${r.id}`))) continue;
      deleteSubtree(ctx.db, subtree);
      purged++;
    }
  });
  tx.immediate();
  if (purged > 0) announceChanged(ctx.db, TRASH_AFFECTS);
  return purged;
}
