/**
 * Import, step 3 (`applyAnnex2Import`): plans again inside ONE synchronous writeChanges transaction and
 * writes the plan, all of it or, on any problem, nothing; and the import and preview a caller runs
 * (parse, plan, write), with the problems told as the user reads them.
 */
import { writeChanges } from '../../../db/changes';
import {
  insertEnterprise,
  pauseSearchIndex,
  resumeSearchIndex,
  searchIndexPaused,
  updateEnterprise,
} from '../../../db/repositories/enterprises';
import { insertProcess, updateProcess } from '../../../db/repositories/processes';
import type { ImportPreview, ImportProblem } from '../../../shared/api/contract';
import { AppError, type Issue } from '../../../shared/api/errors';
import type { AppContext } from '../context';
import type { Task } from '../tasks';
import { planAnnex2Import } from './import-plan';
import { type ParsedAnnex2, parseAnnex2 } from './import-read';
import { NO_TASK } from './workbook';

/** 第 5 行「县（市、区）」, or less for a problem of a column or of the whole file. */
export function problemLocation(p: ImportProblem): string {
  return [p.row === null ? '' : `第 ${p.row} 行`, p.column === null ? '' : `「${p.column}」`].join(
    '',
  );
}

/** One line per problem: 第 5 行「县（市、区）」“兴庆”：县（市、区）“兴庆”不属于银川市… */
export function describeProblem(p: ImportProblem): string {
  const where = problemLocation(p);
  const value =
    p.value === null ? '' : `“${p.value.length > 40 ? `${p.value.slice(0, 40)}…` : p.value}”`;
  return where === '' ? p.message : `${where}${value}：${p.message}`;
}

/** The error an import with problems ends in: every problem, and nothing written. */
export function importRefused(problems: readonly ImportProblem[]): AppError {
  const issues: Issue[] = problems.map((p) => ({
    path: problemLocation(p),
    message: describeProblem(p),
  }));
  const only = problems.length === 1 && problems[0]?.row === null ? problems[0] : undefined;
  return new AppError(
    'invalid_input',
    only ? `未导入任何内容：${only.message}` : `文件有 ${problems.length} 处问题，未导入任何内容`,
    issues,
  );
}

/** From this many new enterprises, an import indexes them for search in one go. */
const BATCH_INDEX_FROM = 100;

/**
 * Writes a parsed file in ONE synchronous transaction: plans against the registry as it is inside
 * the transaction, refuses (throws, writing nothing) on any problem, else inserts and updates.
 */
export function applyAnnex2Import(ctx: AppContext, file: ParsedAnnex2): ImportPreview {
  const preview = writeChanges(ctx.db, ctx.device, (changes) => {
    const plan = planAnnex2Import(ctx, file);
    if (plan.preview.problems.length > 0) throw importRefused(plan.preview.problems);
    // Many new enterprises are indexed for search together at the end, not one by one (FTS5
    // merges its segments again after each row); a pause a pull holds is left to that pull.
    const batchIndex = plan.newEnterprises.length >= BATCH_INDEX_FROM && !searchIndexPaused(ctx.db);
    if (batchIndex) pauseSearchIndex(ctx.db);
    const ids = new Map<number, string>();
    for (const e of plan.newEnterprises) {
      const id = ctx.device.newId();
      ids.set(e.key, id);
      insertEnterprise(changes, id, e.draft, ctx.device.now());
    }
    for (const u of plan.enterpriseUpdates) updateEnterprise(changes, u.id, u.draft);
    for (const p of plan.newProcesses) {
      const enterpriseId =
        typeof p.enterprise === 'string' ? p.enterprise : (ids.get(p.enterprise) as string);
      insertProcess(changes, ctx.device.newId(), { ...p.draft, enterpriseId }, ctx.device.now());
    }
    for (const u of plan.processUpdates) updateProcess(changes, u.id, u.draft);
    if (batchIndex) resumeSearchIndex(ctx.db);
    return plan.preview;
  });
  return preview;
}

/** What importing the file would do; writes nothing. Phases 读取, 校验. */
export async function previewAnnex2Import(
  ctx: AppContext,
  data: Buffer | ArrayBuffer,
  task: Task = NO_TASK,
): Promise<ImportPreview> {
  const file = await parseAnnex2(data, ctx.catalog, task);
  await task.checkpoint();
  return planAnnex2Import(ctx, file).preview;
}

/**
 * Imports the file: every row checked first; on any problem it throws `invalid_input` listing them
 * all and writes nothing. Cancelling before 写入 leaves the registry as it was; 写入 is one
 * transaction. Phases 读取, 校验, 写入.
 */
export async function importAnnex2(
  ctx: AppContext,
  data: Buffer | ArrayBuffer,
  task: Task = NO_TASK,
): Promise<ImportPreview> {
  const file = await parseAnnex2(data, ctx.catalog, task);
  if (file.problems.length > 0) {
    // The registry's checks add their problems too, so the list is complete.
    throw importRefused(planAnnex2Import(ctx, file).preview.problems);
  }
  await task.checkpoint();
  task.progress('写入', 0, 1);
  const preview = applyAnnex2Import(ctx, file);
  task.progress('写入', 1, 1);
  return preview;
}
