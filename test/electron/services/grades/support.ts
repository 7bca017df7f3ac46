import { writeChanges } from '../../../../db/changes';
import { writeSyncSettings } from '../../../../db/repositories/sync/settings';
import type { AppContext } from '../../../../electron/services/context';
import { changeGrade, recordGradeEvent } from '../../../../electron/services/grades';
import { GradeChangeSchema, type GradeChangeInput } from '../../../../shared/domain/review';
import type { Role } from '../../../../shared/sync/protocol';

/** Logs the device in as an account of this role and scope (a city code or 'region'). */
export function logIn(ctx: AppContext, role: Role, scope: string): void {
  writeSyncSettings(ctx.db, {
    server: 'http://127.0.0.1:4791',
    token: 'plain-token-for-test',
    user: { id: 'u-1', username: 'wangfang', displayName: '王芳', role, scope },
  });
}

/** An approval that sets an official grade (as review.decide will). */
export function approve(
  ctx: AppContext,
  enterpriseId: string,
  grade: string,
  effectiveDate: string,
  processId: string | null = null,
): void {
  writeChanges(ctx.db, ctx.device, (changes) =>
    recordGradeEvent(ctx, changes, {
      enterpriseId,
      processId,
      grade,
      cause: '审核通过',
      reason: '复审通过',
      documentNo: '宁环发〔2026〕12号',
      effectiveDate,
      decidedBy: '马自治',
    }),
  );
}

/** grade.change through the API's schema. */
export function change(
  ctx: AppContext,
  input: Partial<Record<keyof GradeChangeInput, unknown>> & { enterpriseId: string },
) {
  return changeGrade(
    ctx,
    GradeChangeSchema.parse({
      cause: '复核降级',
      reason: '复核发现无组织排放管控不达标',
      effectiveDate: '2026-11-25',
      decidedBy: '王芳',
      ...input,
    }),
  );
}
