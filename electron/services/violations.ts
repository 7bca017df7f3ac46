import { writeChanges, type ChangeSet } from '../../db/changes';
import { listUsesOfViolations } from '../../db/repositories/attachments';
import { getEnterprise } from '../../db/repositories/enterprises';
import { getInspection } from '../../db/repositories/inspections';
import { listProcesses } from '../../db/repositories/processes';
import {
  listGradeEvents,
  listGradeEventsOfViolation,
  officialGradeOf,
} from '../../db/repositories/reviews/grade-events';
import {
  getViolation,
  insertViolation,
  listViolationRecords,
  withdrawViolation as withdrawRow,
  type ViolationRow,
} from '../../db/repositories/violations';
import { AppError } from '../../shared/api/errors';
import type { GradeEvent } from '../../shared/domain/review';
import type {
  EvidenceUse,
  Violation,
  ViolationDraft,
  ViolationList,
} from '../../shared/domain/inspection';
import { activeViolationDate, addYears } from '../../shared/grading';
import { localDate } from '../../shared/local-time';

import type { AppContext } from './context';
import { recordGradeEvent } from './grades/record';
import { deviceAccount } from './signatures';
import { toEvidence } from './inspections';

/**
 * Violations (超标排放, 偷排偷放, 治理设施不正常运行, 弄虚作假). A violation within a year before a
 * day puts the enterprise at the floor grade of each of its rulesets on that day, and it may not
 * apply again until a year after the violation (the grading engine's rule, shared/grading).
 */

/** The day until which violations lock the enterprise, as of `asOf`; null when not locked. */
export function lockedUntil(violations: readonly { date: string; kind: string }[], asOf: string) {
  const date = activeViolationDate(asOf, [...violations]);
  return date === null ? null : addYears(date, 1);
}

function toViolation(row: ViolationRow, evidence: EvidenceUse[]): Violation {
  const { withdrawnAt, withdrawnBy, withdrawnAccount, withdrawReason, ...rest } = row;
  return {
    ...rest,
    withdrawal:
      withdrawnAt === null
        ? null
        : {
            at: withdrawnAt,
            by: withdrawnBy ?? '',
            account: withdrawnAccount,
            reason: withdrawReason ?? '',
          },
    evidence,
  };
}

/**
 * A violation puts the official grade (认定等级) at the floor: D, or 非引领性 where the grade now is
 * 引领性 or 非引领性. It holds from the violation's date, or from the date of the grade now when that
 * is later (a violation recorded late). It is written for the enterprise as a whole and for each
 * of its processes that holds an official grade, in the violation's own write.
 */
function recordViolationFloor(
  ctx: AppContext,
  changes: ChangeSet,
  violationId: string,
  draft: ViolationDraft,
): void {
  const subjects: (string | null)[] = [
    null,
    ...listProcesses(ctx.db, draft.enterpriseId)
      .filter((p) => officialGradeOf(ctx.db, draft.enterpriseId, p.id).since !== null)
      .map((p) => p.id),
  ];
  const decidedBy = deviceAccount(ctx) ?? '本机';
  for (const processId of subjects) {
    const official = officialGradeOf(ctx.db, draft.enterpriseId, processId);
    const now = official.grade;
    // A violation recorded late, dated before the grade now, still takes that grade's place.
    const effectiveDate =
      official.since !== null && official.since > draft.date ? official.since : draft.date;
    recordGradeEvent(ctx, changes, {
      enterpriseId: draft.enterpriseId,
      processId,
      grade: now === '引领性' || now === '非引领性' ? '非引领性' : 'D',
      cause: '违法违规',
      reason: `${draft.date}${draft.kind}${draft.note ? `：${draft.note}` : ''}`,
      documentNo: null,
      effectiveDate,
      violationId,
      decidedBy,
    });
  }
}

/**
 * The grade to restore for the enterprise as a whole (processId null) or a process once a violation
 * is withdrawn: the grade before the floors at the top of its history, when every violation behind
 * them is withdrawn. Undefined when nothing is to be restored: a grade decided since the floor (a
 * new approval) stands, and a floor of a violation still in force stays.
 */
function gradeBeforeFloors(
  ctx: AppContext,
  history: readonly GradeEvent[],
  processId: string | null,
): string | null | undefined {
  let restored: string | null | undefined;
  for (const event of history) {
    if (event.processId !== processId) continue;
    if (event.cause !== '违法违规' || event.violationId === null) break;
    if (getViolation(ctx.db, event.violationId)?.withdrawnAt === null) return undefined;
    restored = event.previousGrade;
  }
  return restored;
}

export function createViolation(ctx: AppContext, draft: ViolationDraft): Violation {
  const id = ctx.device.newId();
  writeChanges(ctx.db, ctx.device, (changes) => {
    if (!getEnterprise(ctx.db, draft.enterpriseId)) {
      throw new AppError('not_found', `企业不存在或已删除（编号 ${draft.enterpriseId}）`);
    }
    if (draft.inspectionId !== null) {
      const visit = getInspection(ctx.db, draft.inspectionId);
      if (!visit || visit.enterpriseId !== draft.enterpriseId) {
        throw new AppError('invalid_input', '关联的检查记录不存在，或不是这家企业的', [
          { path: 'inspectionId', message: '不是这家企业的检查记录' },
        ]);
      }
    }
    insertViolation(
      changes,
      id,
      {
        enterpriseId: draft.enterpriseId,
        date: draft.date,
        kind: draft.kind,
        note: draft.note,
        inspectionId: draft.inspectionId,
      },
      ctx.device.now(),
    );
    recordViolationFloor(ctx, changes, id, draft);
  });
  return toViolation(getViolation(ctx.db, id) as ViolationRow, []);
}

/**
 * Withdraws a violation recorded in error: it stays listed (struck through) with who withdrew
 * it, when, why and the device's sync account when logged in, and the lock it put on the
 * enterprise goes. A withdrawal is final (migration 0018's triggers and the store refuse undoing it).
 */
export function withdrawViolation(
  ctx: AppContext,
  input: { id: string; by: string; reason: string },
): { id: string } {
  const by = input.by.trim();
  const reason = input.reason.trim();
  if (by === '' || reason === '') {
    throw new AppError('invalid_input', '撤销违法记录须写明撤销人和撤销原因');
  }
  const account = deviceAccount(ctx);
  writeChanges(ctx.db, ctx.device, (changes) => {
    const row = getViolation(ctx.db, input.id);
    if (!row) throw new AppError('not_found', '违法记录不存在或已删除');
    if (row.withdrawnAt !== null) {
      throw new AppError('conflict', `这条违法记录已于 ${localDate(row.withdrawnAt)} 撤销`);
    }
    withdrawRow(changes, input.id, {
      withdrawnAt: ctx.device.now(),
      withdrawnBy: by,
      withdrawnAccount: account,
      withdrawReason: reason,
    });
    const history = listGradeEvents(ctx.db, row.enterpriseId);
    for (const event of listGradeEventsOfViolation(ctx.db, input.id)) {
      const restored = gradeBeforeFloors(ctx, history, event.processId);
      if (restored === undefined) continue;
      recordGradeEvent(ctx, changes, {
        enterpriseId: event.enterpriseId,
        processId: event.processId,
        grade: restored,
        cause: '违法记录撤销',
        reason: `${row.date}的${row.kind}记录已撤销（${reason}），恢复原认定等级`,
        documentNo: null,
        effectiveDate: localDate(ctx.device.now()),
        violationId: input.id,
        decidedBy: by,
      });
    }
  });
  return { id: input.id };
}

/** An enterprise's violations (with evidence) and its lock as of `asOf` (today by default). */
export function listViolations(
  ctx: AppContext,
  input: { enterpriseId: string; asOf?: string | undefined },
): ViolationList {
  if (!getEnterprise(ctx.db, input.enterpriseId)) {
    throw new AppError('not_found', `企业不存在或已删除（编号 ${input.enterpriseId}）`);
  }
  const asOf = input.asOf ?? localDate(ctx.device.now());
  const rows = listViolationRecords(ctx.db, input.enterpriseId);
  const uses = listUsesOfViolations(
    ctx.db,
    rows.map((r) => r.id),
  );
  return {
    violations: rows.map((r) =>
      toViolation(r, uses.filter((u) => u.violationId === r.id).map(toEvidence)),
    ),
    lockedUntil: lockedUntil(
      rows.filter((r) => r.withdrawnAt === null),
      asOf,
    ),
    asOf,
  };
}
