import { z } from 'zod';

import { text } from '../text';
import { IdSchema } from './enterprise';

/**
 * The 回收站: deleted enterprises, visits and plans stay restorable for TRASH_DAYS days, then
 * each device purges them (electron/services/trash.ts). The central store keeps the tombstones.
 */
export const TRASH_DAYS = 30;

export const TRASH_KINDS = ['enterprise', 'visit', 'plan'] as const;
export type TrashKind = (typeof TRASH_KINDS)[number];

const Reason = text('删除原因', '删除原因应为文本')
  .trim()
  .max(500, '删除原因不能超过500个字')
  .optional();

/** Deleting an enterprise: the person typed its name; a reason, required over finalized visits. */
export const EnterpriseTrashSchema = z
  .object({
    id: IdSchema,
    confirmName: text('企业名称', '请输入企业名称').max(200, '企业名称不能超过200个字'),
    reason: Reason,
  })
  .strict();

/** Deleting a visit or a plan: a reason, required for a finalized visit. */
export const RecordTrashSchema = z.object({ id: IdSchema, reason: Reason }).strict();

export const TrashRestoreSchema = z
  .object({ kind: z.enum(TRASH_KINDS, { error: '记录类型不正确' }), id: IdSchema })
  .strict();
export type TrashRestoreInput = z.infer<typeof TrashRestoreSchema>;

/** What deleting an enterprise takes with it, shown before the person confirms. */
export interface DeletionSummary {
  name: string;
  processes: number;
  visits: number;
  finalizedVisits: number;
  plans: number;
  /** Photos and scans kept as evidence of its visits and violations. */
  photos: number;
  violations: number;
  /** There are finalized visits: the person must say why. */
  reasonRequired: boolean;
  /** Why this device's account may not delete it (finalized visits, wrong role), or null. */
  refusal: string | null;
  trashDays: number;
}

/** One entry of the 回收站. */
export interface TrashItem {
  kind: TrashKind;
  id: string;
  enterpriseName: string;
  /** A visit's or plan's record number. */
  number: string | null;
  /** A visit's date (YYYY-MM-DD) and type. */
  date: string | null;
  visitType: string | null;
  finalized: boolean;
  deletedAt: number;
  deletedBy: string | null;
  deleteReason: string | null;
  /** Days before it is purged (at least 1 while it is listed). */
  daysLeft: number;
}
