/**
 * The life of an inspection record after it starts: change a draft's fields and processes, move it
 * to the 回收站, finalize it once every member has confirmed (freezing its grades), and correct a
 * finalized one by a revision (a new draft naming it).
 */

import { writeChanges } from '../../../db/changes';
import { insertUse, listUsesOfInspections } from '../../../db/repositories/attachments';
import { getEnterprise } from '../../../db/repositories/enterprises';
import {
  getInspection,
  insertInspection,
  insertMember,
  insertInspectionProcess,
  listAnswerFacts,
  listAnswers,
  listMembers,
  listRevisionsOf,
  listInspectionProcesses,
  setInspectionProcessDeleted,
  updateInspection as updateInspectionRow,
} from '../../../db/repositories/inspections';
import { listViolations } from '../../../db/repositories/violations';
import { AppError } from '../../../shared/api/errors';
import type { InspectionDetail, InspectionUpdate } from '../../../shared/domain/inspection';
import { safeFileName } from '../../../shared/file-name';
import { activeViolationDate } from '../../../shared/grading';
import type { AppContext } from '../context';
import { isSignature } from '../signatures';
import { trashInspection } from '../trash';
import { insertNewAnswer } from './answer-values';
import { freeze, gradeInspection } from './grading';
import { clearConfirmations, notFound, requireDraft } from './guards';
import { getInspectionDetail } from './list';
import { addInspectionProcess, resolvePins } from './pins';
import { nextInspectionNumber } from './start';

/**
 * Changes a draft's date, type, note or visited processes. A process added now is pinned to its
 * current ruleset; one removed keeps its answers, which come back if it is added again.
 */
export function updateInspection(ctx: AppContext, input: InspectionUpdate): InspectionDetail {
  writeChanges(ctx.db, ctx.device, (changes) => {
    const row = requireDraft(ctx, input.id);
    let changed =
      updateInspectionRow(changes, row.id, {
        ...(input.date !== undefined ? { date: input.date } : {}),
        ...(input.type !== undefined ? { type: input.type } : {}),
        ...(input.note !== undefined ? { note: input.note } : {}),
      }).length > 0;
    if (input.processIds) {
      const wanted = new Set(input.processIds);
      const all = listInspectionProcesses(ctx.db, [row.id], true);
      const have = new Map(all.map((p) => [p.processId, p]));
      const fresh = [...wanted].filter((pid) => !have.has(pid));
      const pins = resolvePins(ctx, row.enterpriseId, fresh);
      for (const p of all) {
        const keep = wanted.has(p.processId);
        if (p.deleted === keep) {
          setInspectionProcessDeleted(changes, p.id, !keep);
          changed = true;
        }
      }
      for (const pin of pins) {
        addInspectionProcess(ctx, changes, row.id, pin);
        changed = true;
      }
    }
    if (changed) clearConfirmations(changes, ctx, row.id);
    return changed;
  });
  return getInspectionDetail(ctx, input.id);
}

/**
 * Moves a visit to the 回收站 (electron/services/trash.ts): a draft as it is; a finalized visit
 * only by an account that may delete official records, and with a reason.
 */
export function deleteInspection(ctx: AppContext, id: string, reason?: string): { id: string } {
  return trashInspection(ctx, { id, reason });
}

/** Finalizes a draft every member has confirmed; from then on it never changes. */
export function finalizeInspection(ctx: AppContext, id: string): InspectionDetail {
  writeChanges(ctx.db, ctx.device, (changes) => {
    const row = requireDraft(ctx, id);
    const team = listMembers(ctx.db, [id]);
    if (team.length === 0) {
      throw new AppError('invalid_input', '检查组还没有成员，不能确认；请先添加成员');
    }
    const waiting = team.filter((m) => m.confirmedAt === null);
    if (waiting.length > 0) {
      throw new AppError(
        'conflict',
        `还有成员未确认：${waiting.map((m) => `${m.name}（${m.role}）`).join('、')}；每位成员确认后才能定稿`,
        waiting.map((m) => ({ path: `members.${m.id}`, message: `${m.name}尚未确认` })),
      );
    }
    // The grades as they stand now, stored in the very UPDATE (and op) that finalizes.
    const violations = listViolations(ctx.db, row.enterpriseId);
    const grading = gradeInspection(
      ctx,
      row.date,
      listInspectionProcesses(ctx.db, [id]),
      listAnswerFacts(ctx.db, id),
      violations,
    );
    const frozen = freeze(grading, activeViolationDate(row.date, violations));
    updateInspectionRow(changes, id, {
      status: 'finalized',
      finalizedAt: ctx.device.now(),
      frozenGrading: JSON.stringify(frozen),
    });
  });
  return getInspectionDetail(ctx, id);
}

/**
 * Starts a correction of a finalized visit: a draft copy (members unconfirmed, the same pinned
 * rulesets, every answer and evidence use) naming it in `revisionOf`. Asking again returns the
 * correction already in progress.
 */
export function reviseInspection(ctx: AppContext, id: string, reason: string): InspectionDetail {
  const why = reason.trim();
  if (why.length < 2) {
    throw new AppError('invalid_input', '请填写更正原因（至少2个字）', [
      { path: 'reason', message: '请填写更正原因（至少2个字）' },
    ]);
  }
  const revisionId = writeChanges(ctx.db, ctx.device, (changes) => {
    const original = getInspection(ctx.db, id);
    if (!original) throw notFound(id);
    if (original.status !== 'finalized') {
      throw new AppError('conflict', '只有已确认的检查记录需要更正；草稿可以直接修改');
    }
    const revisions = listRevisionsOf(ctx.db, id);
    const draft = revisions.find((r) => r.status === 'draft');
    if (draft) return draft.id;
    const done = revisions.find((r) => r.status === 'finalized');
    if (done) {
      throw new AppError(
        'conflict',
        `此记录已由 ${done.date} 的修订版本更正，请在最新的版本上更正（编号 ${done.id}）`,
      );
    }
    const newId = ctx.device.newId();
    const now = ctx.device.now();
    insertInspection(
      changes,
      newId,
      {
        enterpriseId: original.enterpriseId,
        date: original.date,
        type: original.type,
        status: 'draft',
        note: original.note,
        revisionOf: original.id,
        correctionReason: why,
        // A correction is a record of its own: it gets its own number and names the one it corrects.
        number: nextInspectionNumber(
          ctx,
          getEnterprise(ctx.db, original.enterpriseId)?.cityCode ?? '',
          original.date,
        ),
      },
      now,
    );
    for (const m of listMembers(ctx.db, [id])) {
      insertMember(
        changes,
        ctx.device.newId(),
        { inspectionId: newId, name: m.name, role: m.role },
        ctx.device.now(),
      );
    }
    const processIds = new Map<string, string>();
    for (const p of listInspectionProcesses(ctx.db, [id])) {
      const vpId = ctx.device.newId();
      processIds.set(p.id, vpId);
      insertInspectionProcess(
        changes,
        vpId,
        {
          inspectionId: newId,
          processId: p.processId,
          rulesetId: p.rulesetId,
          rulesetEdition: p.rulesetEdition,
          rulesetHash: p.rulesetHash,
        },
        ctx.device.now(),
      );
    }
    const answerIds = new Map<string, string>();
    for (const a of listAnswers(ctx.db, [id])) {
      const vpId = processIds.get(a.inspectionProcessId);
      if (!vpId) continue;
      const answerId = insertNewAnswer(
        ctx,
        changes,
        { inspectionId: newId, inspectionProcessId: vpId, indicatorId: a.indicatorId },
        { fact: a.fact, note: a.note, problems: a.problems, readings: a.readings },
      );
      answerIds.set(a.id, answerId);
    }
    // Signatures are of the record as it stood: the correction is signed anew.
    for (const u of listUsesOfInspections(ctx.db, [id]).filter((x) => !isSignature(x))) {
      const answerId = u.answerId === null ? null : (answerIds.get(u.answerId) ?? null);
      if (u.answerId !== null && answerId === null) continue;
      insertUse(
        changes,
        ctx.device.newId(),
        {
          attachmentId: u.attachmentId,
          inspectionId: newId,
          answerId,
          violationId: null,
          fileName: safeFileName(u.fileName),
          takenAt: u.takenAt,
        },
        ctx.device.now(),
      );
    }
    return newId;
  });
  return getInspectionDetail(ctx, revisionId);
}
