/**
 * Export of the registry as 附件2: its lines (enterprise × industry) from the registry query,
 * the file's name, and the workbook, in memory or written to a file whole.
 */
import { type Annex2Row, listAnnex2Rows } from '../../../db/repositories/annex2';
import type { RegistryFilter } from '../../../shared/api/contract';
import type { Catalog } from '../../../shared/domain/catalog';
import { cityName, countyName } from '../../../shared/domain/regions';
import { writeFileAtomically } from '../atomic-file';
import type { AppContext } from '../context';
import type { Task } from '../tasks';
import { catalogIndex } from './catalog';
import { composeRemark, dateLine, formatDue } from './format';
import { type Annex2Line, NO_TASK, writeAnnex2Workbook } from './workbook';

export interface Annex2Export {
  /** The .xlsx file. */
  data: Buffer;
  fileName: string;
  /** Lines of 附件2 (enterprise × industry). */
  rows: number;
  enterprises: number;
}

/**
 * 附件2's lines from the query's rows: an enterprise's selected processes, one line each, or one
 * line with empty industry cells when it has none. 备注 names the enterprise's other industries.
 */
export function annex2Lines(
  rows: readonly Annex2Row[],
  catalog: Catalog,
): { lines: Annex2Line[]; enterprises: number } {
  const { names } = catalogIndex(catalog);
  const lines: Annex2Line[] = [];
  let no = 0;
  for (let start = 0; start < rows.length;) {
    const first = rows[start] as Annex2Row;
    let end = start + 1;
    while (end < rows.length && (rows[end] as Annex2Row).enterpriseId === first.enterpriseId) end++;
    const group = rows.slice(start, end);
    start = end;
    const selected = group.filter((r) => r.selected === 1);
    if (selected.length === 0) continue;
    no += 1;
    const industries: string[] = [];
    for (const r of group) {
      if (r.industryCode !== null && !industries.includes(r.industryCode))
        industries.push(r.industryCode);
    }
    const city = cityName(first.cityCode);
    const county = first.countyCode === null ? null : countyName(first.cityCode, first.countyCode);
    selected.forEach((r, k) => {
      const others = industries
        .filter((code) => code !== r.industryCode)
        .map((code) => names.get(code) ?? code);
      lines.push({
        span: k === 0 ? selected.length : 0,
        cells: [
          no,
          city,
          county,
          first.name,
          r.industryCode === null ? null : (names.get(r.industryCode) ?? r.industryCode),
          r.branch,
          r.currentGrade,
          r.targetGrade,
          r.differentiators,
          r.problems,
          r.improvements,
          r.dueDate === null ? null : formatDue(r.dueDate),
          r.processId === null ? null : composeRemark(others, r.remark),
        ],
      });
    });
  }
  return { lines, enterprises: no };
}

/** 提级扩面企业清单-20250307.xlsx, dated in China's time. */
export function annex2FileName(now: number): string {
  const d = new Date(now + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `提级扩面企业清单-${d}.xlsx`;
}

/**
 * The registry (narrowed by the registry screen's filters) as 附件2. Enterprise filters (text, city,
 * county) choose enterprises; process filters (industry, grades) choose the lines of those
 * enterprises that have a matching process, and only those lines are written. The workbook is built
 * in memory, so a cancelled export leaves nothing behind. Phases: 查询, 生成, 写出.
 */
export async function exportAnnex2(
  ctx: AppContext,
  filter: RegistryFilter,
  task: Task = NO_TASK,
): Promise<Annex2Export> {
  task.progress('查询', 0, 1);
  await task.checkpoint();
  const rows = listAnnex2Rows(ctx.db, filter);
  const { lines, enterprises } = annex2Lines(rows, ctx.catalog);
  task.progress('查询', 1, 1);
  const now = ctx.device.now();
  const data = await writeAnnex2Workbook(lines, dateLine(now), task);
  return { data, fileName: annex2FileName(now), rows: lines.length, enterprises };
}

/**
 * Exports to a file: written beside it under a temporary name and renamed into place once whole,
 * so a cancelled or failed export never leaves a partial file (nor its temporary one).
 */
export async function exportAnnex2ToFile(
  ctx: AppContext,
  filter: RegistryFilter,
  file: string,
  task: Task = NO_TASK,
): Promise<Annex2Export> {
  const result = await exportAnnex2(ctx, filter, task);
  writeFileAtomically(file, result.data);
  return result;
}
