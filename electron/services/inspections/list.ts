/**
 * Reading inspections: one record's full detail (members, processes, answers, evidence,
 * signatures, grading, correction history) and the list of records with their grades.
 */

import { listUsesOfInspections } from '../../../db/repositories/attachments';
import {
  type AnswerRow,
  getInspection,
  type InspectionRow,
  listAnswers,
  listInspections as listInspectionRows,
  listMembers,
  listRevisionsOf,
  listInspectionProcesses,
  type MemberRow,
} from '../../../db/repositories/inspections';
import { listViolations, type ViolationRow } from '../../../db/repositories/violations';
import type {
  Inspection,
  InspectionDetail,
  InspectionListQuery,
  InspectionMember,
  InspectionProcess,
  InspectionStatus,
  InspectionSummary,
  InspectionType,
  MemberRole,
} from '../../../shared/domain/inspection';
import { isGeneralChecklist } from '../../../shared/grading';
import type { AppContext } from '../context';
import { inspectionNumber } from '../record-numbers';
import { isSignature, toSignature } from '../signatures';
import { toAnswer } from './answer-values';
import { toEvidence } from './evidence';
import { frozenOf, gradeInspection } from './grading';
import { notFound } from './guards';
import { pinnedRuleset, processLabel } from './pins';

function toInspection(row: InspectionRow): Inspection {
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    date: row.date,
    type: row.type as InspectionType,
    status: row.status as InspectionStatus,
    note: row.note,
    revisionOf: row.revisionOf,
    correctionReason: row.correctionReason,
    number: inspectionNumber(row),
    finalizedAt: row.finalizedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toMember(m: MemberRow): InspectionMember {
  return { id: m.id, name: m.name, role: m.role as MemberRole, confirmedAt: m.confirmedAt };
}

/** Of the live visits correcting one (listRevisionsOf), the latest, preferring a finalized one. */
function latestRevision(revisions: readonly InspectionRow[]): InspectionDetail['revisedBy'] {
  const pick = revisions.filter((r) => r.status === 'finalized').at(-1) ?? revisions.at(-1);
  return pick
    ? {
        id: pick.id,
        number: inspectionNumber(pick),
        status: pick.status as InspectionStatus,
        reason: pick.correctionReason,
      }
    : null;
}

/** The latest live visit correcting this one, preferring a finalized one. */
function revisedBy(ctx: AppContext, id: string): InspectionDetail['revisedBy'] {
  return latestRevision(listRevisionsOf(ctx.db, id));
}

/**
 * The visits of a correction chain, oldest first: the first original and every revision; and
 * the visit's own revisedBy, from the revisions of it read on the way (each visit's are read once).
 */
function corrections(
  ctx: AppContext,
  row: InspectionRow,
): Pick<InspectionDetail, 'history' | 'revisedBy'> {
  let root = row;
  const seen = new Set([row.id]);
  while (root.revisionOf !== null && !seen.has(root.revisionOf)) {
    const parent = getInspection(ctx.db, root.revisionOf);
    if (!parent) break;
    seen.add(parent.id);
    root = parent;
  }
  const chain: InspectionRow[] = [];
  const queue = [root];
  const visited = new Set<string>();
  // The visit is on the chain (every step up was a live visit naming its parent), so its own
  // revisions are read on the way down; the fallback is only for safety.
  let ofRow: InspectionRow[] | undefined;
  while (queue.length > 0) {
    const next = queue.shift() as InspectionRow;
    if (visited.has(next.id)) continue;
    visited.add(next.id);
    chain.push(next);
    const revisions = listRevisionsOf(ctx.db, next.id);
    if (next.id === row.id) ofRow = revisions;
    queue.push(...revisions);
  }
  const history = chain
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => ({
      id: r.id,
      number: inspectionNumber(r),
      status: r.status as InspectionStatus,
      date: r.date,
      revisionOf: r.revisionOf,
    }));
  return { history, revisedBy: latestRevision(ofRow ?? listRevisionsOf(ctx.db, row.id)) };
}

/**
 * The answer saved last: the greatest clock, in one pass (clocks do not repeat; were two equal,
 * the later in the list wins, as it did when this was a sort).
 */
function lastSaved(answerRows: readonly AnswerRow[]): AnswerRow | undefined {
  let last: AnswerRow | undefined;
  for (const a of answerRows) if (last === undefined || a.updatedAt >= last.updatedAt) last = a;
  return last;
}

/** A visit with its members, processes, answers, evidence and live grading. */
export function getInspectionDetail(ctx: AppContext, id: string): InspectionDetail {
  const row = getInspection(ctx.db, id);
  if (!row) throw notFound(id);
  const processes = listInspectionProcesses(ctx.db, [id]);
  const processOf = new Map(processes.map((p) => [p.id, p.processId]));
  const answerRows = listAnswers(ctx.db, [id]).filter((a) => processOf.has(a.inspectionProcessId));
  const answers = answerRows.map((a) =>
    toAnswer(a, processOf.get(a.inspectionProcessId) as string),
  );
  const last = lastSaved(answerRows);
  const uses = listUsesOfInspections(ctx.db, [id]);
  const visitedProcesses: InspectionProcess[] = processes.map((p) => {
    const ruleset = pinnedRuleset(ctx, p.rulesetHash) ?? null;
    return {
      id: p.id,
      processId: p.processId,
      label: processLabel(ctx, p),
      industryCode: p.industryCode,
      branch: p.branch,
      targetGrade: p.targetGrade,
      ruleset: {
        id: p.rulesetId,
        edition: p.rulesetEdition,
        hash: p.rulesetHash,
        status: ruleset?.status ?? 'draft',
        general: isGeneralChecklist(ruleset),
        ruleset,
      },
    };
  });
  return {
    inspection: toInspection(row),
    enterpriseName: row.enterpriseName,
    members: listMembers(ctx.db, [id]).map(toMember),
    processes: visitedProcesses,
    answers,
    evidence: uses.filter((u) => !isSignature(u)).map(toEvidence),
    signatures: uses.filter(isSignature).map(toSignature),
    grading: gradeInspection(
      ctx,
      row.date,
      processes,
      answerRows,
      listViolations(ctx.db, row.enterpriseId),
      frozenOf(row),
    ),
    lastAnswer: last
      ? {
          processId: processOf.get(last.inspectionProcessId) as string,
          indicatorId: last.indicatorId,
        }
      : null,
    ...corrections(ctx, row),
  };
}

/**
 * Visits, newest first, each with its computed grade: an enterprise's visits over time (how its
 * grade moved), or every draft not yet finalized.
 */
export function listInspections(ctx: AppContext, query: InspectionListQuery): InspectionSummary[] {
  const rows = listInspectionRows(ctx.db, query);
  const ids = rows.map((r) => r.id);
  const members = listMembers(ctx.db, ids);
  const processes = listInspectionProcesses(ctx.db, ids);
  const answers = listAnswers(ctx.db, ids);
  const violations = new Map<string, ViolationRow[]>();
  return rows.map((row) => {
    let enterpriseViolations = violations.get(row.enterpriseId);
    if (!enterpriseViolations) {
      enterpriseViolations = listViolations(ctx.db, row.enterpriseId);
      violations.set(row.enterpriseId, enterpriseViolations);
    }
    const own = processes.filter((p) => p.inspectionId === row.id);
    const grading = gradeInspection(
      ctx,
      row.date,
      own,
      answers.filter((a) => a.inspectionId === row.id),
      enterpriseViolations,
      frozenOf(row),
    );
    return {
      ...toInspection(row),
      enterpriseName: row.enterpriseName,
      grade: grading.grade,
      unverified: grading.unverified,
      judged: grading.processes.some((p) => p.judged),
      lockedUntil: grading.lockedUntil,
      members: members.filter((m) => m.inspectionId === row.id).map((m) => m.name),
      processCount: own.length,
      answered: grading.answered,
      open: grading.open,
      frozen: grading.frozen,
      revisedBy: revisedBy(ctx, row.id),
    };
  });
}
