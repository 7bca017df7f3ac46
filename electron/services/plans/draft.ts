/**
 * Drafting a plan from an enterprise's latest finalized inspection: one measure per gap to the
 * target grade, the problems the inspection recorded, and a re-draft merged with what the expert
 * wrote by hand.
 */

import { writeChanges } from '../../../db/changes';
import { getEnterprise } from '../../../db/repositories/enterprises';
import {
  getInspection,
  type InspectionRow,
  listInspections as listInspectionRows,
  listRevisionsOf,
} from '../../../db/repositories/inspections';
import {
  findPlanOfEnterprise,
  insertPlan,
  insertPlanVersion,
} from '../../../db/repositories/plans';
import { AppError } from '../../../shared/api/errors';
import type { InspectionDetail } from '../../../shared/domain/inspection';
import {
  draftPlan,
  type PlanDetail,
  type PlanEdit,
  PlanEditSchema,
  type PlanMeasure,
  type RecordedProblems,
} from '../../../shared/plan';
import type { AppContext } from '../context';
import { getInspectionDetail } from '../inspections';
import { nextRecordNumber, yearOf } from '../record-numbers';
import { directionRank, DRAFTED_PREFIX, enterpriseNotFound, refused, sameContent } from './checks';
import { planDetail, requirePlan } from './list';
import { addVersion, currentContent } from './save';

/** The finalized revision that corrects a visit, if any. */
function finalizedRevision(ctx: AppContext, id: string): InspectionRow | undefined {
  return listRevisionsOf(ctx.db, id).find((r) => r.status === 'finalized');
}

/**
 * The visit a plan is drafted from: the one asked for, which must be this enterprise's, finalized
 * and not corrected by a finalized revision; else the latest such visit of the enterprise.
 */
function sourceInspection(
  ctx: AppContext,
  enterpriseId: string,
  inspectionId?: string,
): InspectionRow {
  if (inspectionId !== undefined) {
    const row = getInspection(ctx.db, inspectionId);
    if (!row) throw new AppError('not_found', `检查记录不存在或已删除（编号 ${inspectionId}）`);
    if (row.enterpriseId !== enterpriseId) {
      throw new AppError(
        'invalid_input',
        `检查记录（编号 ${inspectionId}）不是该企业的，不能据此起草方案`,
        [{ path: 'inspectionId', message: '不是该企业的检查记录' }],
      );
    }
    if (row.status !== 'finalized') {
      throw new AppError(
        'conflict',
        '这次检查尚未签字确认（定稿），不能据此起草方案；请各成员确认并定稿后再起草',
      );
    }
    const revision = finalizedRevision(ctx, row.id);
    if (revision) {
      throw new AppError(
        'conflict',
        `这次检查已由 ${revision.date} 的修订版本更正，请据更正后的记录起草（编号 ${revision.id}）`,
      );
    }
    return row;
  }
  // Newest first (by date, then by when started): the first not corrected is the latest.
  const finalized = listInspectionRows(ctx.db, { enterpriseId, status: 'finalized' });
  const latest = finalized.find((r) => !finalizedRevision(ctx, r.id));
  if (!latest) {
    throw new AppError(
      'conflict',
      '该企业还没有签字确认（定稿）的现场检查记录，不能起草一企一策方案；请先完成现场检查并定稿',
    );
  }
  return latest;
}

/**
 * The plan's target grade: the worst of the visited processes' targets (the enterprise is graded
 * as its worst process, so that is the grade it can reach), by rank in each pinned ruleset.
 */
function planTarget(visit: InspectionDetail): string {
  let worst: { grade: string; rank: number } | null = null;
  for (const p of visit.grading.processes) {
    if (p.targetGrade === null) continue;
    const ruleset = visit.processes.find((x) => x.id === p.inspectionProcessId)?.ruleset.ruleset;
    const rank = ruleset?.grades.find((g) => g.grade === p.targetGrade)?.rank ?? -1;
    if (worst === null || rank > worst.rank) worst = { grade: p.targetGrade, rank };
  }
  if (worst === null) {
    throw new AppError(
      'conflict',
      '这次检查的行业或工序都没有设定绩效提升目标，不能起草方案；请先在企业的“行业与工序”中设定目标等级',
    );
  }
  return worst.grade;
}

/**
 * A re-draft: the measures drafted now, each keeping what the expert wrote for the same gap
 * (direction, measure text unless it was left empty, responsible, deadline, investment); the
 * measures added by hand, kept; gaps closed since, dropped. Grouped by direction as a draft is,
 * hand-added measures after the drafted ones of their direction.
 */
export function mergeRedraft(
  previous: readonly PlanMeasure[],
  drafted: readonly PlanMeasure[],
): PlanMeasure[] {
  const before = new Map(previous.map((m) => [m.id, m]));
  const draftedIds = new Set(drafted.map((m) => m.id));
  const merged = drafted.map((m): PlanMeasure => {
    const old = before.get(m.id);
    if (!old) return m;
    const keepText = old.measure !== '';
    return {
      ...m,
      direction: old.direction,
      measure: keepText ? old.measure : m.measure,
      libraryId: keepText ? old.libraryId : m.libraryId,
      responsible: old.responsible,
      deadline: old.deadline,
      investment: old.investment,
    };
  });
  const byHand = previous.filter((m) => !m.id.startsWith(DRAFTED_PREFIX) && !draftedIds.has(m.id));
  return [...merged, ...byHand]
    .map((m, order) => ({ m, order }))
    .sort((a, b) => directionRank(a.m) - directionRank(b.m) || a.order - b.order)
    .map((x) => x.m);
}

/** 2025年6月1日, as a version's comment names the visit. */
function chineseDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** Drafted content must pass the same schema an edit does; a failure here is a data problem. */
function checkedDraft(content: PlanEdit): PlanEdit {
  const parsed = PlanEditSchema.safeParse(content);
  if (!parsed.success) {
    const why = refused(parsed.error).message;
    throw new AppError('invalid_input', `起草的方案内容不符合要求：${why}`);
  }
  return parsed.data;
}

/** The problems (存在问题) recorded in a visit, by process and indicator, for drafting. */
function recordedProblems(detail: InspectionDetail): RecordedProblems[] {
  const out: RecordedProblems[] = [];
  for (const a of detail.answers) {
    if (a.problems.length === 0) continue;
    const process = detail.processes.find((p) => p.processId === a.processId);
    const indicator = process?.ruleset.ruleset?.indicators.find((i) => i.id === a.indicatorId);
    out.push({
      processId: a.processId,
      indicatorId: a.indicatorId,
      title: indicator?.title ?? a.indicatorId,
      dimension: indicator?.dimension ?? '',
      problems: a.problems,
    });
  }
  return out;
}

/**
 * Drafts the enterprise's plan from its latest finalized visit (or the one given): a new plan at
 * version 1, or, when it has one, a new version re-drafted from the visit that keeps the expert's
 * work (see mergeRedraft) and the plan's tax data and notes. A re-draft that would change nothing
 * writes nothing.
 */
export function draftPlanFor(
  ctx: AppContext,
  input: { enterpriseId: string; inspectionId?: string | undefined },
): PlanDetail {
  if (!getEnterprise(ctx.db, input.enterpriseId)) throw enterpriseNotFound(input.enterpriseId);
  const result = writeChanges(ctx.db, ctx.device, (changes) => {
    const visit = sourceInspection(ctx, input.enterpriseId, input.inspectionId);
    const detail = getInspectionDetail(ctx, visit.id);
    const targetGrade = planTarget(detail);
    const drafted = draftPlan({
      processes: detail.grading.processes,
      library: ctx.planData.library,
      problems: recordedProblems(detail),
    });
    const existing = findPlanOfEnterprise(ctx.db, input.enterpriseId);
    const previous = existing ? currentContent(ctx, existing) : null;
    const content = checkedDraft({
      enterpriseId: input.enterpriseId,
      inspectionId: visit.id,
      targetGrade,
      measures: previous ? mergeRedraft(previous.measures, drafted.measures) : drafted.measures,
      taxLimits: previous?.taxLimits ?? [],
      notes: previous?.notes ?? null,
      taxReadings: previous?.taxReadings ?? [],
    });
    const from = `${chineseDate(visit.date)}${visit.type}检查`;
    if (!existing) {
      const id = ctx.device.newId();
      const now = ctx.device.now();
      const cityCode = getEnterprise(ctx.db, input.enterpriseId)?.cityCode ?? '';
      const number = nextRecordNumber(ctx.db, ctx.device.deviceId, cityCode, yearOf(now));
      insertPlan(
        changes,
        id,
        { enterpriseId: input.enterpriseId, status: '草稿', number, currentVersion: 1 },
        now,
      );
      insertPlanVersion(
        changes,
        ctx.device.newId(),
        { planId: id, version: 1, content: JSON.stringify(content), comment: `据${from}起草` },
        ctx.device.now(),
      );
      return { id, changed: true };
    }
    if (previous && sameContent(previous, content)) return { id: existing.id, changed: false };
    addVersion(
      ctx,
      changes,
      existing,
      content,
      previous ? `据${from}重新起草，保留专家填写的内容` : `据${from}起草`,
    );
    return { id: existing.id, changed: true };
  });
  return planDetail(ctx, requirePlan(ctx, result.id));
}
