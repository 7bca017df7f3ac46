import { writeChanges, type ChangeSet } from '../../db/changes';
import { listUsesOfPlan, type UseRow } from '../../db/repositories/attachments';
import { getEnterprise } from '../../db/repositories/enterprises';
import {
  getInspection,
  listInspections as listInspectionRows,
  listRevisionsOf,
  type InspectionRow,
} from '../../db/repositories/inspections';
import {
  findPlanOfEnterprise,
  getPlan as getPlanRow,
  getPlanVersion,
  insertPlan,
  insertPlanVersion,
  listPlans as listPlanRows,
  listPlanVersions,
  updatePlan,
  type PlanRow,
  type PlanVersionRow,
} from '../../db/repositories/plans';
import { listProcesses, updateProcessPlanColumns } from '../../db/repositories/processes';
import { AppError, type Issue } from '../../shared/api/errors';
import '../../shared/api/zod-locale';
import {
  CONFIRMER_SIGNER_ROLE,
  REVIEWER_SIGNER_ROLE,
  type InspectionDetail,
  type Signature,
} from '../../shared/domain/inspection';
import {
  ASSISTANCE_DIRECTIONS,
  draftPlan,
  estimateTaxRelief,
  gradeBenefits,
  PlanEditSchema,
  PlanSaveSchema,
  PlanStatusChangeSchema,
  type PlanDetail,
  type PlanEdit,
  type PlanMeasure,
  type PlanStatus,
  type PlanSummary,
  type PlanVersionInfo,
  type RecordedProblems,
} from '../../shared/plan';
import type { ConfirmMethod, Plan } from '../../shared/plan/api';
import type { z } from 'zod';

import type { StoredFile } from './attachments';
import type { AppContext } from './context';
import { trashPlan } from './trash';
import { getInspectionDetail } from './inspections';
import { nextRecordNumber, planNumber, yearOf } from './record-numbers';
import { canonicalJson } from './rulesets';
import { deviceAccount, insertSignatureUse, storeSignature, toSignature } from './signatures';

/**
 * 一企一策 improvement plans: drafted from an enterprise's latest finalized visit (one measure per
 * gap to target, suggestions from the measure library), edited by the expert version by version,
 * approved (专家审定), confirmed by the enterprise (企业确认), which writes the plan into the
 * registry's 附件2 columns.
 *
 * Rules kept here:
 * - every write goes through writeChanges, and the plan's state (current version, status) is read
 *   and checked inside that same IMMEDIATE transaction, so two windows cannot both save over one
 *   version;
 * - a version is never changed (and the triggers of migration 0005 refuse it): every save and every
 *   re-draft is a new version, and puts the plan back to 草稿;
 * - 专家审定 and 企业确认 are of the current version, 企业确认 only of a version already approved;
 *   the stamps record which version, by whom and when;
 * - what a plan shows beside its content (the source visit's grades, benefits, tax estimate,
 *   problems) is computed when read, never stored.
 */

/** Drafted measures carry `measureId(processId, indicatorId)` ids; every other id was added by hand. */
const DRAFTED_PREFIX = 'gap:';

/** The 附件2 text columns hold at most this many characters (shared/domain/process.ts). */
const ANNEX2_TEXT_MAX = 2000;

function notFound(id: string): AppError {
  return new AppError('not_found', `一企一策方案不存在或已删除（编号 ${id}）`);
}

function enterpriseNotFound(id: string): AppError {
  return new AppError('not_found', `企业不存在或已删除（编号 ${id}）`);
}

function parseContent(json: string): PlanEdit {
  return JSON.parse(json) as PlanEdit;
}

function sameContent(a: PlanEdit, b: PlanEdit): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

const directionRank = (m: PlanMeasure) => ASSISTANCE_DIRECTIONS.indexOf(m.direction);

// ─── Validation ─────────────────────────────────────────────────────────────────────────────

const LIST_LABELS: Record<string, string> = {
  measures: '整改措施',
  taxLimits: '排放限值',
  taxReadings: '监测读数',
};

/**
 * A refused input: every problem with its path, each message saying where (整改措施第 3 条：完成期限…)
 * so it can be shown as it is.
 */
function refused(error: z.ZodError): AppError {
  const issues: Issue[] = error.issues.map((i) => {
    const path = i.path.map(String);
    let where = '';
    for (let k = 0; k + 1 < path.length; k++) {
      const label = LIST_LABELS[path[k] as string];
      const index = Number(path[k + 1]);
      if (label && Number.isInteger(index)) where = `${label}第 ${index + 1} 条：`;
    }
    return { path: path.join('.'), message: `${where}${i.message}` };
  });
  const messages = [...new Set(issues.map((i) => i.message))];
  return new AppError('invalid_input', messages.join('；') || '方案内容格式不正确', issues);
}

function parseOrRefuse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw refused(parsed.error);
  return parsed.data;
}

/** Checks what needs the database: the plan's enterprise and visit, and the measures' processes. */
function checkAgainstPlan(
  ctx: AppContext,
  plan: PlanRow,
  current: PlanEdit | null,
  content: PlanEdit,
): void {
  const issues: Issue[] = [];
  if (content.enterpriseId !== plan.enterpriseId) {
    issues.push({
      path: 'content.enterpriseId',
      message: `方案内容中的企业编号 ${content.enterpriseId} 与方案所属企业不符`,
    });
  }
  if (current && content.inspectionId !== current.inspectionId) {
    issues.push({
      path: 'content.inspectionId',
      message: `方案内容中的检查记录编号 ${content.inspectionId} 与方案所依据的检查记录不符；如需依据另一次检查，请重新起草`,
    });
  }
  const processIds = new Set(listProcesses(ctx.db, plan.enterpriseId).map((p) => p.id));
  for (const m of current?.measures ?? []) if (m.processId) processIds.add(m.processId);
  content.measures.forEach((m, i) => {
    if (m.processId !== null && !processIds.has(m.processId)) {
      issues.push({
        path: `content.measures.${i}.processId`,
        message: `整改措施第 ${i + 1} 条：工序编号 ${m.processId} 不是该企业的行业或工序`,
      });
    }
  });
  if (issues.length > 0) {
    throw new AppError('invalid_input', issues.map((i) => i.message).join('；'), issues);
  }
}

// ─── The source visit ───────────────────────────────────────────────────────────────────────

/** The finalized revision that corrects a visit, if any. */
function finalizedRevision(ctx: AppContext, id: string): InspectionRow | undefined {
  return listRevisionsOf(ctx.db, id).find((r) => r.status === 'finalized');
}

/**
 * The visit a plan is drafted from: the one asked for, which must be this enterprise's, finalized
 * and not corrected by a finalized revision; else the latest such visit of the enterprise.
 */
function sourceVisit(ctx: AppContext, enterpriseId: string, inspectionId?: string): InspectionRow {
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

// ─── Writing versions ───────────────────────────────────────────────────────────────────────

/** Adds the next version of a plan and makes it current; the plan goes back to 草稿. */
function addVersion(
  ctx: AppContext,
  changes: ChangeSet,
  plan: PlanRow,
  content: PlanEdit,
  comment: string | null,
): number {
  const highest = listPlanVersions(ctx.db, plan.id).reduce(
    (n, v) => Math.max(n, v.version),
    plan.currentVersion,
  );
  const version = highest + 1;
  insertPlanVersion(
    changes,
    ctx.device.newId(),
    { planId: plan.id, version, content: JSON.stringify(content), comment },
    ctx.device.now(),
  );
  updatePlan(changes, plan.id, { currentVersion: version, status: '草稿' });
  return version;
}

function currentContent(ctx: AppContext, plan: PlanRow): PlanEdit | null {
  const row = getPlanVersion(ctx.db, plan.id, plan.currentVersion);
  return row ? parseContent(row.content) : null;
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
    const visit = sourceVisit(ctx, input.enterpriseId, input.inspectionId);
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

/**
 * Saves the expert's edit as a new version (the plan back to 草稿). Refused, with nothing written,
 * when the edit started from a version that is no longer current, or when the content is not valid
 * (every problem named) or belongs to another enterprise or visit. Saving the current content
 * again writes nothing.
 */
export function savePlan(ctx: AppContext, input: z.input<typeof PlanSaveSchema>): PlanDetail {
  const save = parseOrRefuse(PlanSaveSchema, input);
  writeChanges(ctx.db, ctx.device, (changes) => {
    const plan = getPlanRow(ctx.db, save.id);
    if (!plan) throw notFound(save.id);
    if (save.baseVersion !== plan.currentVersion) {
      throw new AppError(
        'conflict',
        `方案已有更新的版本（当前为第 ${plan.currentVersion} 版），您的修改基于第 ${save.baseVersion} 版，未保存；请重新打开方案，在最新版本上修改`,
      );
    }
    const current = currentContent(ctx, plan);
    checkAgainstPlan(ctx, plan, current, save.content);
    if (current && sameContent(current, save.content)) return false;
    addVersion(ctx, changes, plan, save.content, save.comment ?? null);
    return true;
  });
  return planDetail(ctx, requirePlan(ctx, save.id));
}

// ─── Status ─────────────────────────────────────────────────────────────────────────────────

/** Numbered lines as 附件2 cells are written ("1.…\n2.…"); one item is written as it is. */
function numbered(items: readonly string[]): string[] {
  return items.length === 1 ? [...items] : items.map((t, i) => `${i + 1}.${t}`);
}

/** Cuts text to `n` UTF-16 units without splitting a surrogate pair. */
function cut(text: string, n: number): string {
  const code = text.charCodeAt(n - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}

/**
 * The lines of an 附件2 cell within `max` characters: whole lines while they fit; the first that
 * does not is cut with "…", and the number of lines left out is said at the end
 * ("…（另有 3 项，详见一企一策方案）"). null when there is nothing to write.
 */
export function fitLines(items: readonly string[], max = ANNEX2_TEXT_MAX): string | null {
  const lines = numbered(items.filter((t) => t.trim() !== ''));
  if (lines.length === 0) return null;
  const whole = lines.join('\n');
  if (whole.length <= max) return whole;
  const more = (left: number) => (left > 0 ? `\n…（另有 ${left} 项，详见一企一策方案）` : '');
  let text = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const sep = text === '' ? '' : '\n';
    const after = more(lines.length - i - 1);
    if (text.length + sep.length + line.length + after.length <= max) {
      text += sep + line;
      continue;
    }
    // This line does not fit whole: as much of it as leaves room for the note, if that is enough.
    const room = max - text.length - sep.length - after.length - 1;
    if (room >= 20) return `${text}${sep}${cut(line, room)}…${after}`;
    return `${text}${more(lines.length - i)}`;
  }
  return text;
}

/**
 * What the confirmed plan says of each process with measures, in 附件2's columns: 差异化指标 the
 * indicators and what they require, 存在问题 what the site showed, 改进措施 the measures, 拟完成时间
 * the latest deadline (left as it was when no measure has one). Written through writeChanges.
 */
function fillAnnex2Columns(
  ctx: AppContext,
  changes: ChangeSet,
  enterpriseId: string,
  content: PlanEdit,
): number {
  let written = 0;
  for (const process of listProcesses(ctx.db, enterpriseId)) {
    const measures = content.measures.filter((m) => m.processId === process.id);
    if (measures.length === 0) continue;
    const deadlines = measures.flatMap((m) => (m.deadline ? [m.deadline] : [])).sort();
    const due = deadlines.at(-1);
    const fields = updateProcessPlanColumns(changes, process.id, {
      differentiators: fitLines(
        measures.map((m) => (m.required ? `${m.title}：${m.required}` : m.title)),
      ),
      problems: fitLines(measures.map((m) => (m.current ? `${m.title}：${m.current}` : m.title))),
      improvements: fitLines(measures.map((m) => m.measure)),
      ...(due !== undefined ? { dueDate: due } : {}),
    });
    if (fields.length > 0) written++;
  }
  return written;
}

const STATUS_VERB: Record<PlanStatus, string> = {
  草稿: '退回草稿',
  专家审定: '审定',
  企业确认: '确认',
};

/**
 * Moves a plan's current version to 专家审定 (who approved it, when) or 企业确认 (which must follow
 * 专家审定 of the same version; it also fills the enterprise's 附件2 columns from the plan), or
 * back to 草稿 to reopen it. The stamps of earlier approvals stay, naming their versions.
 */
export function setPlanStatus(
  ctx: AppContext,
  input: z.input<typeof PlanStatusChangeSchema>,
  signature: StoredFile | null = null,
): PlanDetail {
  const change = parseOrRefuse(PlanStatusChangeSchema, input);
  const account = deviceAccount(ctx);
  /** The approver's or confirmer's signature as evidence on this version (before the stamp). */
  const sign = (changes: ChangeSet, planId: string, role: string) => {
    if (!signature) return;
    insertSignatureUse(
      ctx,
      changes,
      signature,
      { name: change.by, role },
      { planId, planVersion: change.version },
    );
  };
  writeChanges(ctx.db, ctx.device, (changes) => {
    const plan = getPlanRow(ctx.db, change.id);
    if (!plan) throw notFound(change.id);
    if (change.version !== plan.currentVersion) {
      throw new AppError(
        'conflict',
        `只能${STATUS_VERB[change.status]}方案的当前版本（第 ${plan.currentVersion} 版），第 ${change.version} 版已不是当前版本`,
      );
    }
    const now = ctx.device.now();
    switch (change.status) {
      case '草稿':
        return { changed: updatePlan(changes, plan.id, { status: '草稿' }).length > 0, filled: 0 };
      case '专家审定': {
        if (plan.status === '专家审定' && plan.reviewedVersion === change.version) {
          return { changed: false, filled: 0 };
        }
        if (plan.status === '企业确认') {
          throw new AppError(
            'conflict',
            `方案第 ${change.version} 版已由企业确认；如需重新审定，请先退回草稿`,
          );
        }
        const opinion = change.opinion?.trim() ?? '';
        if (opinion === '') {
          throw new AppError('invalid_input', '专家审定须填写审定意见', [
            { path: 'opinion', message: '请填写审定意见' },
          ]);
        }
        sign(changes, plan.id, REVIEWER_SIGNER_ROLE);
        updatePlan(changes, plan.id, {
          status: '专家审定',
          reviewedVersion: change.version,
          reviewedBy: change.by,
          reviewedAt: now,
          reviewOpinion: opinion,
          reviewedAccount: account,
        });
        return { changed: true, filled: 0 };
      }
      case '企业确认': {
        if (plan.status === '企业确认' && plan.confirmedVersion === change.version) {
          return { changed: false, filled: 0 };
        }
        if (plan.status !== '专家审定' || plan.reviewedVersion !== change.version) {
          throw new AppError(
            'conflict',
            `方案第 ${change.version} 版尚未经专家审定，企业不能确认；请先由专家审定`,
          );
        }
        const content = currentContent(ctx, plan);
        if (!content) {
          throw new AppError('conflict', `本机没有方案第 ${change.version} 版的内容，暂不能确认`);
        }
        if (change.method === undefined) {
          throw new AppError('invalid_input', '请选择确认方式：现场签字、电话确认或书面回执', [
            { path: 'method', message: '请选择确认方式' },
          ]);
        }
        if (change.method === '现场签字' && !signature) {
          throw new AppError('invalid_input', '现场签字须请确认人当场签名', [
            { path: 'signature', message: '请确认人在签名框内签名' },
          ]);
        }
        sign(changes, plan.id, CONFIRMER_SIGNER_ROLE);
        updatePlan(changes, plan.id, {
          status: '企业确认',
          confirmedVersion: change.version,
          confirmedBy: change.by,
          confirmedAt: now,
          confirmMethod: change.method,
          confirmedAccount: account,
        });
        return {
          changed: true,
          filled: fillAnnex2Columns(ctx, changes, plan.enterpriseId, content),
        };
      }
    }
  });
  return planDetail(ctx, requirePlan(ctx, change.id));
}

/**
 * 专家审定 or 企业确认 with a signature drawn on screen: the PNG is checked and stored as evidence
 * first, then the status and the signature's use are written together (setPlanStatus).
 */
export async function setPlanStatusSigned(
  ctx: AppContext,
  input: z.input<typeof PlanStatusChangeSchema>,
): Promise<PlanDetail> {
  const change = parseOrRefuse(PlanStatusChangeSchema, input);
  const stored =
    change.signature === undefined ? null : await storeSignature(ctx, change.signature);
  return setPlanStatus(ctx, change, stored);
}

/**
 * Moves a plan to the 回收站 (electron/services/trash.ts); drafting again starts a new one, and
 * restoring it brings it back beside that one.
 */
export function deletePlan(ctx: AppContext, id: string): { id: string } {
  if (!getPlanRow(ctx.db, id)) throw notFound(id);
  return trashPlan(ctx, { id });
}

// ─── Reading ────────────────────────────────────────────────────────────────────────────────

function requirePlan(ctx: AppContext, id: string): PlanRow {
  const row = getPlanRow(ctx.db, id);
  if (!row) throw notFound(id);
  return row;
}

/** The signature signed for a version in a part, the latest if it was signed twice. */
function signatureOf(
  signatures: readonly UseRow[],
  version: number,
  role: string,
): Signature | null {
  const use = signatures.filter((u) => u.planVersion === version && u.signerRole === role).at(-1);
  return use ? toSignature(use) : null;
}

function toPlan(row: PlanRow, signatures: readonly UseRow[] = []): Plan {
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    status: row.status as PlanStatus,
    number: planNumber(row),
    currentVersion: row.currentVersion,
    reviewed:
      row.reviewedVersion === null
        ? null
        : {
            version: row.reviewedVersion,
            by: row.reviewedBy ?? '',
            at: row.reviewedAt ?? 0,
            opinion: row.reviewOpinion ?? '',
            account: row.reviewedAccount,
            signature: signatureOf(signatures, row.reviewedVersion, REVIEWER_SIGNER_ROLE),
          },
    confirmed:
      row.confirmedVersion === null
        ? null
        : {
            version: row.confirmedVersion,
            by: row.confirmedBy ?? '',
            at: row.confirmedAt ?? 0,
            method: (row.confirmMethod as ConfirmMethod | null) ?? null,
            account: row.confirmedAccount,
            signature: signatureOf(signatures, row.confirmedVersion, CONFIRMER_SIGNER_ROLE),
          },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The visit a version was drafted from, or null when this device does not hold it. */
function sourceDetail(ctx: AppContext, inspectionId: string): InspectionDetail | null {
  try {
    return getInspectionDetail(ctx, inspectionId);
  } catch (e) {
    if (e instanceof AppError && e.code === 'not_found') return null;
    throw e;
  }
}

/** The latest row of each version, oldest version first. */
function versionRows(ctx: AppContext, planId: string): PlanVersionRow[] {
  const byVersion = new Map<number, PlanVersionRow>();
  for (const v of listPlanVersions(ctx.db, planId)) byVersion.set(v.version, v);
  return [...byVersion.values()];
}

function planDetail(ctx: AppContext, row: PlanRow, version?: number): PlanDetail {
  const rows = versionRows(ctx, row.id);
  const shown = version ?? row.currentVersion;
  const versionRow = rows.find((v) => v.version === shown);
  if (!versionRow) {
    throw new AppError(
      'not_found',
      version === undefined
        ? `本机没有方案的当前版本（第 ${shown} 版）`
        : `方案没有第 ${shown} 版（现有 ${rows.map((v) => v.version).join('、') || '无'}）`,
    );
  }
  const content = parseContent(versionRow.content);
  const visit = sourceDetail(ctx, content.inspectionId);
  const problems: string[] = [];
  const grading = visit?.grading ?? null;
  if (!visit) {
    problems.push(
      `本机没有方案所依据的检查记录（编号 ${content.inspectionId}），差距与等级暂不能显示`,
    );
  } else {
    problems.push(
      ...draftPlan({ processes: visit.grading.processes, library: ctx.planData.library }).problems,
    );
  }
  const benefits: PlanDetail['benefits'] = [];
  for (const p of grading?.processes ?? []) {
    if (p.targetGrade === null) continue;
    const ruleset =
      visit?.processes.find((x) => x.id === p.inspectionProcessId)?.ruleset.ruleset ?? undefined;
    benefits.push({
      processId: p.processId,
      label: p.label,
      benefits: gradeBenefits(ctx.planData.annex1, ruleset, p.grade, p.targetGrade),
    });
  }
  const versions: PlanVersionInfo[] = rows.map((v) => ({
    version: v.version,
    savedAt: v.createdAt,
    comment: v.comment,
    measures: parseContent(v.content).measures.length,
  }));
  return {
    plan: toPlan(row, listUsesOfPlan(ctx.db, row.id)),
    version: shown,
    content,
    enterpriseName: row.enterpriseName,
    source: {
      inspectionId: content.inspectionId,
      number: visit?.inspection.number ?? null,
      date: visit?.inspection.date ?? '',
      type: visit?.inspection.type ?? '',
      members: visit?.members ?? [],
      signatures: visit?.signatures ?? [],
      grade: grading?.grade ?? null,
      processes: grading?.processes ?? [],
    },
    benefits,
    tax: estimateTaxRelief(content.taxLimits, content.taxReadings),
    versions,
    unverified: grading?.unverified ?? false,
    problems,
  };
}

/**
 * A plan with its source visit, benefits, tax estimate and versions: by plan id, or the
 * enterprise's plan; the current version, or the one asked for. null when there is no such plan
 * (the enterprise has none, or the plan was deleted).
 */
export function getPlan(
  ctx: AppContext,
  ref: { id?: string | undefined; enterpriseId?: string | undefined; version?: number | undefined },
): PlanDetail | null {
  let row: PlanRow | undefined;
  if (ref.id !== undefined) row = getPlanRow(ctx.db, ref.id);
  else if (ref.enterpriseId !== undefined) {
    if (!getEnterprise(ctx.db, ref.enterpriseId)) throw enterpriseNotFound(ref.enterpriseId);
    row = findPlanOfEnterprise(ctx.db, ref.enterpriseId);
  } else {
    throw new AppError('invalid_input', '请给出方案编号或企业编号（二者选一）');
  }
  return row ? planDetail(ctx, row, ref.version) : null;
}

/** Plans of live enterprises, the most recently changed first, with their current version's totals. */
export function listPlans(
  ctx: AppContext,
  query: { status?: PlanStatus | undefined; enterpriseId?: string | undefined } = {},
): PlanSummary[] {
  return listPlanRows(ctx.db, query).map((row) => {
    const content = row.content === null ? null : parseContent(row.content);
    const measures = content?.measures ?? [];
    const priced = measures.flatMap((m) => (m.investment === null ? [] : [m.investment]));
    return {
      ...toPlan(row),
      enterpriseName: row.enterpriseName,
      targetGrade: content?.targetGrade ?? '',
      measures: measures.length,
      investment:
        priced.length === 0 ? null : Math.round(priced.reduce((s, x) => s + x, 0) * 10000) / 10000,
    };
  });
}
