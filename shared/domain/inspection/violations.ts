import { z } from 'zod';
import { VIOLATION_KINDS } from '../../grading/types';
import { multilineText } from '../../text';
import { IdSchema } from '../enterprise';
import { DateSchema, optionalText } from './input';
import { PersonNameSchema } from './signing';
import type { EvidenceUse } from './views';

/** Violations (违法违规): recording, withdrawing and listing them, and what the services return. */
export const ViolationDraftSchema = z
  .object({
    enterpriseId: IdSchema,
    date: DateSchema,
    kind: z.enum(VIOLATION_KINDS, { error: `违法情形应为${VIOLATION_KINDS.join('、')}之一` }),
    note: optionalText('说明', 2000),
    inspectionId: IdSchema.nullish().transform((v) => v ?? null),
  })
  .strict();
export type ViolationDraft = z.output<typeof ViolationDraftSchema>;

/** Withdrawing a violation recorded in error (the lock goes with it); the reason is kept. */

export const ViolationWithdrawSchema = z
  .object({
    id: IdSchema,
    /** Who withdraws it (the person's name). */
    by: PersonNameSchema,
    reason: multilineText('撤销原因', '请填写撤销原因')
      .trim()
      .min(2, '请填写撤销原因（至少2个字）')
      .max(500, '撤销原因不能超过500个字'),
  })
  .strict();

export const ViolationListSchema = z
  .object({
    enterpriseId: IdSchema,
    /** The day the lock is judged on; today by default. */
    asOf: DateSchema.optional(),
  })
  .strict();

export interface Violation {
  id: string;
  enterpriseId: string;
  date: string;
  kind: string;
  note: string | null;
  inspectionId: string | null;
  /** Its withdrawal (撤销): it stays listed, struck through, and no longer locks. */
  withdrawal: ViolationWithdrawal | null;
  createdAt: number;
  evidence: EvidenceUse[];
}

export interface ViolationWithdrawal {
  /** Epoch ms. */
  at: number;
  by: string;
  /** The sync account that was logged in on the device (姓名（账号）), if any. */
  account: string | null;
  reason: string;
}

export interface ViolationList {
  violations: Violation[];
  /** YYYY-MM-DD until which the enterprise may not apply again (null: not locked) as of `asOf`. */
  lockedUntil: string | null;
  asOf: string;
}
