import type { ChangeSet } from '../../../db/changes';
import {
  insertGradeEvent,
  officialGradeOf,
  type GradeEventValues,
} from '../../../db/repositories/reviews/grade-events';
import { readSyncSettings } from '../../../db/repositories/sync/settings';
import { gradeChange, type GradeCause } from '../../../shared/domain/review';

import type { AppContext } from '../context';
import { deviceAccount } from '../signatures';

/**
 * Writes one change of an official grade (认定等级) inside the caller's write: the previous grade
 * and the kind of change (认定/升级/降级/撤销) are read from the history as it stands in the same
 * transaction, and the device's sync account and role are recorded with it. Every path that
 * changes an official grade comes through here: an approval, a violation's floor, a confirmed
 * 降级, an A+ designation, a revocation.
 */
export interface GradeEventInput {
  enterpriseId: string;
  processId: string | null;
  grade: string | null;
  cause: GradeCause;
  reason: string | null;
  documentNo: string | null;
  effectiveDate: string;
  applicationId?: string | null;
  violationId?: string | null;
  inspectionId?: string | null;
  decidedBy: string;
}

export function recordGradeEvent(
  ctx: AppContext,
  changes: ChangeSet,
  input: GradeEventInput,
): { id: string; values: GradeEventValues } {
  const previous = officialGradeOf(ctx.db, input.enterpriseId, input.processId).grade;
  const settings = readSyncSettings(ctx.db);
  const values: GradeEventValues = {
    enterpriseId: input.enterpriseId,
    processId: input.processId,
    grade: input.grade,
    previousGrade: previous,
    change: gradeChange(previous, input.grade),
    cause: input.cause,
    reason: input.reason,
    documentNo: input.documentNo,
    effectiveDate: input.effectiveDate,
    applicationId: input.applicationId ?? null,
    violationId: input.violationId ?? null,
    inspectionId: input.inspectionId ?? null,
    decidedBy: input.decidedBy,
    account: deviceAccount(ctx),
    role: settings.token !== null && settings.user !== null ? settings.user.role : null,
  };
  const id = ctx.device.newId();
  insertGradeEvent(changes, id, values, ctx.device.now());
  return { id, values };
}
