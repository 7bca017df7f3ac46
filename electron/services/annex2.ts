/**
 * The 提级扩面 list (附件2) in Excel: export of the registry in the seed's layout, and import of such a
 * list back into the registry. The layout is in annex2-workbook.ts, the cell rules in annex2-format.ts.
 *
 * Import is in three steps, each exported so it can be timed alone:
 * - `parseAnnex2` reads the workbook and checks every row on its own (regions, 信用代码, industry and
 *   branch, dates, lengths), yielding to the event loop every few hundred rows so a task can be
 *   cancelled; nothing is written.
 * - `planImport` matches the rows against the live registry (loaded in two queries): an enterprise
 *   by 信用代码 where the file gives one, else by name and county (name and city for 宁东); a process by
 *   industry and branch. It checks what needs the registry (grades against the scheme of the process's
 *   ruleset, the same enterprise and industry twice, conflicting identities) and lists what would be
 *   added and which fields would change, from → to.
 * - `applyImport` plans again inside ONE synchronous writeChanges transaction and writes the plan:
 *   all of it or, on any problem, nothing. Matched rows are written through updateEnterprise and
 *   updateProcess with only the fields that change, so importing the same file twice records no ops.
 *
 * What a file's columns mean on import: a column the file does not have leaves its field alone; an
 * empty cell in a column it has empties the field (the file is the list), except 统一社会信用代码,
 * where an empty cell never erases a recorded code. 序号 is not read: rows of one enterprise are told
 * by its identity, not by their number.
 */
import fs from 'node:fs';
import path from 'node:path';

import type ExcelJS from 'exceljs';

import { writeChanges } from '../../db/changes';
import {
  listAnnex2Rows,
  loadRegistry,
  type Annex2Row,
  type RegistryEnterprise,
  type RegistryProcess,
} from '../../db/repositories/annex2';
import {
  insertEnterprise,
  pauseSearchIndex,
  resumeSearchIndex,
  searchIndexPaused,
  updateEnterprise,
} from '../../db/repositories/enterprises';
import { insertProcess, updateProcess } from '../../db/repositories/processes';
import type {
  FieldChange,
  ImportPreview,
  ImportProblem,
  RegistryFilter,
} from '../../shared/api/contract';
import { AppError, type Issue } from '../../shared/api/errors';
import type { Branch, Catalog, Industry } from '../../shared/domain/catalog';
import { checkCreditCode, normalizeCreditCode } from '../../shared/domain/credit-code';
import type { EnterpriseDraft } from '../../shared/domain/enterprise';
import {
  checkProcessAgainstCatalog,
  type ProcessDraft,
  type RulesetBrief,
} from '../../shared/domain/process';
import { CITIES, cityName, countyName, findCityByName } from '../../shared/domain/regions';
import { shownText, textProblem } from '../../shared/text';

import {
  ANNEX2_COLUMNS,
  columnByKey,
  composeRemark,
  CREDIT_CODE_COLUMN,
  dateLine,
  dueFromDate,
  formatDue,
  headerKeyOf,
  looseKey,
  normalizeGrade,
  otherIndustriesStripper,
  parseDue,
  REQUIRED_KEYS,
  type Annex2Key,
} from './annex2-format';
import {
  loadAnnex2Workbook,
  scalarOf,
  writeAnnex2Workbook,
  type Annex2Line,
  type LoadedWorkbook,
  type Scalar,
} from './annex2-workbook';
import type { AppContext } from './context';
import { rulesetBrief } from './processes';
import type { Task } from './tasks';

const NO_TASK: Task = {
  id: 'none',
  progress: () => undefined,
  checkpoint: () => Promise.resolve(),
};
/** Rows between checkpoints (and progress reports) while a file is checked. */
const CHUNK = 200;
/** The header is looked for in this many rows at the top of each sheet. */
const HEADER_SEARCH_ROWS = 10;

// ---------------------------------------------------------------------------------------------
// Catalogue lookups (built once per catalogue)

interface CatalogIndex {
  industries: Map<string, Industry>;
  branches: Map<Industry, Map<string, Branch>>;
  names: Map<string, string>;
  stripOtherIndustries: (remark: string) => string;
}

const catalogIndexes = new WeakMap<Catalog, CatalogIndex>();

function catalogIndex(catalog: Catalog): CatalogIndex {
  let index = catalogIndexes.get(catalog);
  if (index) return index;
  const industries = new Map<string, Industry>();
  const branches = new Map<Industry, Map<string, Branch>>();
  const names = new Map<string, string>();
  for (const i of catalog.industries) {
    industries.set(i.code, i);
    industries.set(looseKey(i.name), i);
    names.set(i.code, i.name);
    branches.set(i, new Map(i.branches.map((b) => [looseKey(b.name), b])));
  }
  index = { industries, branches, names, stripOtherIndustries: otherIndustriesStripper(catalog) };
  catalogIndexes.set(catalog, index);
  return index;
}

/** An industry by catalogue code or name (full-width forms and spaces ignored). */
export function findAnnex2Industry(catalog: Catalog, codeOrName: string): Industry | undefined {
  const index = catalogIndex(catalog);
  return index.industries.get(codeOrName.trim()) ?? index.industries.get(looseKey(codeOrName));
}

function industryLabel(industry: Industry, branch: string): string {
  return branch === industry.name ? industry.name : `${industry.name}（${branch}）`;
}

// ---------------------------------------------------------------------------------------------
// Export

export interface Annex2Export {
  /** The .xlsx file. */
  data: Buffer;
  fileName: string;
  /** Lines of the list (enterprise × industry). */
  rows: number;
  enterprises: number;
}

/**
 * The list's lines from the query's rows: an enterprise's selected processes, one line each, or one
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

export function writeFileAtomically(file: string, data: Buffer): void {
  const temp = path.join(
    path.dirname(path.resolve(file)),
    `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`,
  );
  try {
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw new AppError('invalid_input', `无法写入 ${file}：${(e as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Import: reading

type ProcessField =
  | 'currentGrade'
  | 'targetGrade'
  | 'differentiators'
  | 'problems'
  | 'improvements'
  | 'dueDate'
  | 'remark';

const PROCESS_FIELDS: readonly ProcessField[] = [
  'currentGrade',
  'targetGrade',
  'differentiators',
  'problems',
  'improvements',
  'dueDate',
  'remark',
];

const TEXT_LIMITS: Partial<Record<Annex2Key, number>> = {
  name: 100,
  differentiators: 2000,
  problems: 2000,
  improvements: 2000,
  remark: 1000,
};

/** Columns whose cells may span lines (the notes of a process); the others are one line. */
const MULTILINE_KEYS: ReadonlySet<Annex2Key> = new Set([
  'differentiators',
  'problems',
  'improvements',
  'remark',
]);

/**
 * The row's cells whose text is not well-formed (shared/text.ts: a lone surrogate, NUL, a
 * control character, a line break where one line belongs), each as a problem naming its column.
 */
function textProblems(r: number, raw: Map<Annex2Key, Scalar>): ImportProblem[] {
  const problems: ImportProblem[] = [];
  for (const [key, v] of raw) {
    if (typeof v !== 'string') continue;
    const rules = { multiline: MULTILINE_KEYS.has(key) };
    const t = textOf(v);
    const problem = textProblem(t, rules);
    if (problem === null) continue;
    const header = columnByKey(key).header;
    problems.push({
      row: r,
      column: header,
      value: shownText(t, rules),
      message: `${header}含有无效字符：${problem}`,
    });
  }
  return problems;
}

/** One row of the file that passed the checks that need no registry. */
export interface ParsedRow {
  /** Excel row number. */
  row: number;
  name: string;
  /** Normalized code; null when the file has the column but this cell is empty or absent. */
  creditCode: string | null;
  cityCode: string;
  countyCode: string | null;
  /** Null on a line of an enterprise without industries. */
  industry: Industry | null;
  branch: string | null;
  /** The process fields the file has columns for (a key absent: column absent). */
  fields: Partial<Record<ProcessField, string | null>>;
  /** Grade cells as written, for messages. */
  written: Partial<Record<'currentGrade' | 'targetGrade', string>>;
}

export interface ParsedAnnex2 {
  sheet: string | null;
  headerRow: number | null;
  /** The columns found, by key → 1-based column number. */
  columns: Map<Annex2Key, number>;
  /** Non-blank data rows read (with or without problems). */
  dataRows: number;
  /** The rows without problems of their own. */
  rows: ParsedRow[];
  problems: ImportProblem[];
}

const NOT_A_WORKBOOK =
  '文件不是有效的 Excel 工作簿（.xlsx）。如是 .xls 或 WPS 格式，请在 Excel 或 WPS 中另存为 .xlsx 后再导入';
const EMPTY_FILE = '文件是空的：工作簿中没有任何内容';
const NO_HEADER = `找不到表头：各工作表前 ${HEADER_SEARCH_ROWS} 行中没有「企业名称」「地级市」「重点行业类型」等列标题。请使用附件2“提级扩面”企业清单的格式（可先导出一份作为模板）`;
const NO_ROWS = '表头下没有企业数据行';

function fileProblem(message: string): ImportProblem {
  return { row: null, column: null, value: null, message };
}

function parsed(problems: ImportProblem[]): ParsedAnnex2 {
  return { sheet: null, headerRow: null, columns: new Map(), dataRows: 0, rows: [], problems };
}

function isoDate(d: Date): string {
  return Number.isNaN(d.getTime()) ? String(d) : d.toISOString().slice(0, 10);
}

/** A cell as text: trimmed, line breaks as \n; '' when blank. */
function textOf(v: Scalar | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v.replace(/\r\n?/g, '\n').trim();
  if (v instanceof Date) return isoDate(v);
  return String(v);
}

/** Decimals a number format shows (0.00 → 2), 0 when none. */
function formatDecimals(numFmt: string | undefined): number {
  return numFmt ? (/0\.(0+)/.exec(numFmt)?.[1]?.length ?? 0) : 0;
}

/** Whether a date format shows the day (yyyy"年"m"月" does not). */
function formatShowsDay(numFmt: string | undefined): boolean {
  if (!numFmt) return true;
  return /d/i.test(numFmt.replace(/"[^"]*"|\\./g, ''));
}

const CITY_NAMES = CITIES.map((c) => c.name).join('、');

function findHeader(
  loaded: LoadedWorkbook,
): { ws: ExcelJS.Worksheet; row: number } | 'empty' | 'none' {
  let anyContent = false;
  for (const ws of loaded.workbook.worksheets) {
    if (ws.actualRowCount === 0) continue;
    anyContent = true;
    const last = Math.min(ws.rowCount, HEADER_SEARCH_ROWS);
    for (let r = 1; r <= last; r++) {
      const keys = new Set<Annex2Key>();
      // The row's own width: ws.columnCount walks every row of the sheet.
      const width = ws.getRow(r).cellCount;
      for (let c = 1; c <= width; c++) {
        const t = textOf(scalarOf(loaded.cell(ws, r, c).value));
        const key = t === '' ? undefined : headerKeyOf(t);
        if (key) keys.add(key);
      }
      if (keys.has('name') && keys.size >= 3) return { ws, row: r };
    }
  }
  return anyContent ? 'none' : 'empty';
}

/**
 * Reads a 附件2 workbook and checks each row on its own. Phases 读取 and 校验; checkpoints every
 * CHUNK rows. Problems of the whole file have row null.
 */
export async function parseAnnex2(
  data: Buffer | ArrayBuffer,
  catalog: Catalog,
  task: Task = NO_TASK,
): Promise<ParsedAnnex2> {
  task.progress('读取', 0, 1);
  await task.checkpoint();
  const loaded = await loadAnnex2Workbook(data);
  await task.checkpoint();
  task.progress('读取', 1, 1);
  if (!loaded) return parsed([fileProblem(NOT_A_WORKBOOK)]);
  if ('refused' in loaded) return parsed([fileProblem(loaded.refused)]);
  const found = findHeader(loaded);
  if (found === 'empty') return parsed([fileProblem(EMPTY_FILE)]);
  if (found === 'none') return parsed([fileProblem(NO_HEADER)]);

  const { ws, row: headerRow } = found;
  const problems: ImportProblem[] = [];
  const columns = new Map<Annex2Key, number>();
  const width = ws.getRow(headerRow).cellCount;
  for (let c = 1; c <= width; c++) {
    const t = textOf(scalarOf(loaded.cell(ws, headerRow, c).value));
    const key = t === '' ? undefined : headerKeyOf(t);
    if (!key) continue;
    const first = columns.get(key);
    if (first !== undefined) {
      problems.push({
        row: headerRow,
        column: columnByKey(key).header,
        value: t,
        message: `列标题「${t}」重复：第 ${first} 列已是「${columnByKey(key).header}」`,
      });
    } else columns.set(key, c);
  }
  for (const key of REQUIRED_KEYS) {
    if (!columns.has(key)) {
      const header = columnByKey(key).header;
      problems.push({
        row: headerRow,
        column: header,
        value: null,
        message: `缺少列「${header}」（第 ${headerRow} 行是表头）`,
      });
    }
  }
  const base = { sheet: ws.name, headerRow, columns };
  if (problems.length > 0) return { ...base, dataRows: 0, rows: [], problems };

  const ordered = [...columns.entries()].sort((a, b) => a[1] - b[1]);
  const index = catalogIndex(catalog);
  const rows: ParsedRow[] = [];
  let dataRows = 0;
  const last = ws.rowCount;
  const total = Math.max(0, last - headerRow);
  for (let r = headerRow + 1; r <= last; r++) {
    const done = r - headerRow - 1;
    if (done % CHUNK === 0) {
      task.progress('校验', done, total);
      await task.checkpoint();
    }
    const raw = new Map<Annex2Key, Scalar>();
    const cells = new Map<Annex2Key, ExcelJS.Cell>();
    let firstText: string | undefined;
    // A row is blank when none of its own cells (not those it shares through a merge, such as a
    // 地级市 merged down the whole city) holds anything but a 序号.
    let blank = true;
    for (const [key, c] of ordered) {
      const cell = loaded.cell(ws, r, c);
      const v = scalarOf(cell.value);
      if (v === undefined || (typeof v === 'string' && v.trim() === '')) continue;
      raw.set(key, v);
      cells.set(key, cell);
      firstText ??= textOf(v);
      if (blank && key !== 'no' && !loaded.inherits(ws, r, c)) blank = false;
    }
    if (firstText !== undefined && /^注\s*[：:]/.test(firstText)) break; // the notes under the table
    if (blank) continue;
    dataRows += 1;
    const row = checkRow(r, raw, cells, columns, index);
    if (row.problems.length > 0) problems.push(...row.problems);
    else if (row.parsed) rows.push(row.parsed);
  }
  task.progress('校验', total, total);
  if (dataRows === 0 && problems.length === 0) problems.push(fileProblem(NO_ROWS));
  return { ...base, dataRows, rows, problems };
}

function checkRow(
  r: number,
  raw: Map<Annex2Key, Scalar>,
  cells: Map<Annex2Key, ExcelJS.Cell>,
  columns: Map<Annex2Key, number>,
  index: CatalogIndex,
): { parsed?: ParsedRow; problems: ImportProblem[] } {
  // A cell that is not well-formed text is reported alone: the checks below would quote it.
  const bad = textProblems(r, raw);
  if (bad.length > 0) return { problems: bad };
  const problems: ImportProblem[] = [];
  const text = (key: Annex2Key) => textOf(raw.get(key));
  const add = (key: Annex2Key, message: string) => {
    const t = text(key);
    problems.push({ row: r, column: columnByKey(key).header, value: t === '' ? null : t, message });
  };
  const limit = (key: Annex2Key, value: string) => {
    const max = TEXT_LIMITS[key];
    if (max !== undefined && value.length > max) {
      add(key, `${columnByKey(key).header}不能超过${max}个字（本格${value.length}个字）`);
    }
  };

  const name = text('name');
  if (name === '') add('name', '企业名称不能为空');
  else limit('name', name);

  let creditCode: string | null = null;
  if (columns.has('creditCode') && raw.has('creditCode')) {
    const code = normalizeCreditCode(text('creditCode'));
    const check = checkCreditCode(code);
    if (check.ok) creditCode = check.code;
    else add('creditCode', check.message);
  }

  const cityText = text('city');
  const city =
    cityText === '' ? undefined : (findCityByName(cityText) ?? findCityByName(`${cityText}市`));
  const countyText = text('county');
  let countyCode: string | null = null;
  if (cityText === '') add('city', '请填写地级市');
  else if (!city) add('city', `未知的地级市“${cityText}”（可填：${CITY_NAMES}）`);
  else if (countyText === '') {
    if (!city.countyOptional) add('county', `请填写县（市、区）（${city.name}的县区）`);
  } else if (city.countyOptional && findCityByName(countyText) === city) {
    // 宁东基地 written again in 县（市、区）, or one cell merged across both: no county.
  } else {
    const county = city.counties.find((k) => k.name === countyText);
    if (county) countyCode = county.code;
    else if (city.counties.length === 0) {
      add('county', `${city.name}不分县区，县（市、区）应留空，实为“${countyText}”`);
    } else {
      add(
        'county',
        `县（市、区）“${countyText}”不属于${city.name}（可填：${city.counties.map((k) => k.name).join('、')}）`,
      );
    }
  }

  const fields: Partial<Record<ProcessField, string | null>> = {};
  const written: ParsedRow['written'] = {};
  for (const key of PROCESS_FIELDS) {
    if (!columns.has(key)) continue;
    const t = text(key);
    if (t === '') {
      fields[key] = null;
      continue;
    }
    switch (key) {
      case 'currentGrade':
      case 'targetGrade':
        written[key] = t;
        fields[key] = normalizeGrade(t);
        break;
      case 'dueDate': {
        const v = raw.get(key) as Scalar;
        const numFmt = cells.get(key)?.numFmt;
        const due =
          v instanceof Date
            ? dueFromDate(v, !formatShowsDay(numFmt))
            : typeof v === 'number'
              ? parseDue(v, formatDecimals(numFmt))
              : parseDue(textOf(v));
        if (due.ok) fields.dueDate = due.value;
        else add(key, due.message);
        break;
      }
      case 'remark': {
        const own = index.stripOtherIndustries(t).trim();
        limit(key, own);
        fields.remark = own === '' ? null : own;
        break;
      }
      default:
        limit(key, t);
        fields[key] = t;
    }
  }

  const industryText = text('industry');
  const branchText = text('branch');
  let industry: Industry | null = null;
  let branch: string | null = null;
  if (industryText === '') {
    const filled = PROCESS_FIELDS.filter((k) => fields[k] !== null && fields[k] !== undefined);
    if (branchText !== '' || filled.length > 0) {
      const what = branchText !== '' ? '重点行业分支' : columnByKey(filled[0] as Annex2Key).header;
      add('industry', `请填写重点行业类型（本行填写了${what}）`);
    }
  } else {
    const found =
      index.industries.get(industryText) ?? index.industries.get(looseKey(industryText));
    if (!found) {
      add(
        'industry',
        `未知的重点行业类型“${industryText}”：应与行业目录（国家和宁夏重点行业应急减排技术指南）中的名称一致，也可填行业代码`,
      );
    } else {
      industry = found;
      const options = found.branches.map((b) => b.name).join('、');
      if (branchText === '') {
        if (found.branches.length === 1) branch = (found.branches[0] as Branch).name;
        else add('branch', `请填写重点行业分支（${found.name}可填：${options}）`);
      } else {
        const b = index.branches.get(found)?.get(looseKey(branchText));
        if (b) branch = b.name;
        else add('branch', `“${branchText}”不是${found.name}的行业分支（可填：${options}）`);
      }
    }
  }

  if (problems.length > 0 || !city) return { problems };
  return {
    problems,
    parsed: {
      row: r,
      name,
      creditCode,
      cityCode: city.code,
      countyCode,
      industry,
      branch,
      fields,
      written,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Import: planning

/** What an import will write; `preview` is what the user is shown. */
export interface ImportPlan {
  preview: ImportPreview;
  newEnterprises: { key: number; draft: EnterpriseDraft }[];
  enterpriseUpdates: { id: string; draft: EnterpriseDraft }[];
  /** In file order; `enterprise` is a registry id or the key of a new enterprise. */
  newProcesses: { enterprise: string | number; draft: Omit<ProcessDraft, 'enterpriseId'> }[];
  processUpdates: { id: string; draft: ProcessDraft }[];
}

/** The rows of the file that are one enterprise. */
interface Group {
  key: number;
  first: ParsedRow;
  nameKey: string;
  creditCode: string | null;
  existing: RegistryEnterprise | undefined;
  /** industry|branch → the row that names it. */
  processes: Map<string, number>;
}

function nameKey(name: string, cityCode: string, countyCode: string | null): string {
  // 宁东 has no counties: name and city.
  return `${cityCode}\u0000${countyCode ?? ''}\u0000${name}`;
}

const FIELD_LABELS: Record<ProcessField, string> = {
  currentGrade: '绩效现状',
  targetGrade: '绩效提升目标',
  differentiators: '差异化指标',
  problems: '存在问题',
  improvements: '改进措施',
  dueDate: '拟完成时间',
  remark: '备注',
};

function place(cityCode: string, countyCode: string | null): string {
  return `${cityName(cityCode)}${countyName(cityCode, countyCode)}`;
}

/**
 * Matches the parsed rows against the live registry and works out what an import would write. Reads
 * the registry in two queries; writes nothing. Problems found here are added to the file's own.
 */
export function planImport(ctx: AppContext, file: ParsedAnnex2): ImportPlan {
  const registry = loadRegistry(ctx.db);
  const byCode = new Map<string, RegistryEnterprise>();
  const byName = new Map<string, RegistryEnterprise>();
  for (const e of registry.enterprises) {
    if (e.creditCode !== null) byCode.set(e.creditCode, e);
    byName.set(nameKey(e.name, e.cityCode, e.countyCode), e);
  }
  const processesOf = new Map<string, Map<string, RegistryProcess>>();
  for (const p of registry.processes) {
    let map = processesOf.get(p.enterpriseId);
    if (!map) processesOf.set(p.enterpriseId, (map = new Map<string, RegistryProcess>()));
    map.set(`${p.industryCode}\u0000${p.branch}`, p);
  }

  const briefs = new Map<string, RulesetBrief | undefined>();
  const brief = (id: string) => {
    if (!briefs.has(id)) briefs.set(id, rulesetBrief(ctx, id));
    return briefs.get(id);
  };
  const gradeChecks = new Map<string, Issue[]>();
  const checkGrades = (
    industry: Industry,
    branch: string,
    rulesetId: string | null,
    currentGrade: string | null,
    targetGrade: string | null,
  ): Issue[] => {
    const k = [industry.code, branch, rulesetId, currentGrade, targetGrade].join('\u0000');
    let issues = gradeChecks.get(k);
    if (!issues) {
      const draft: ProcessDraft = {
        enterpriseId: '',
        industryCode: industry.code,
        branch,
        name: null,
        rulesetId,
        currentGrade,
        targetGrade,
        differentiators: null,
        problems: null,
        improvements: null,
        dueDate: null,
        remark: null,
      };
      issues = checkProcessAgainstCatalog(draft, ctx.catalog, brief).filter(
        (i) => i.path === 'currentGrade' || i.path === 'targetGrade',
      );
      gradeChecks.set(k, issues);
    }
    return issues;
  };

  const problems: ImportProblem[] = [];
  const problem = (row: ParsedRow, key: Annex2Key, value: string | null, message: string) =>
    problems.push({ row: row.row, column: columnByKey(key).header, value, message });
  const codeColumn: Annex2Key = file.columns.has('creditCode') ? 'creditCode' : 'name';

  const groups: Group[] = [];
  const fileByCode = new Map<string, Group>();
  const fileByName = new Map<string, Group>();
  const claimed = new Map<string, Group>();
  const plan: ImportPlan = {
    preview: {
      rows: file.dataRows,
      enterprisesAdded: 0,
      processesAdded: 0,
      changed: [],
      unchanged: 0,
      problems: [],
    },
    newEnterprises: [],
    enterpriseUpdates: [],
    newProcesses: [],
    processUpdates: [],
  };
  /** Rows planned without problems, and those of them that add or change something. */
  const planned = new Set<number>();
  const touched = new Set<number>();

  for (const row of file.rows) {
    const code = row.creditCode;
    const nk = nameKey(row.name, row.cityCode, row.countyCode);
    let g = (code !== null ? fileByCode.get(code) : undefined) ?? fileByName.get(nk);
    if (g) {
      if (code !== null && g.creditCode !== null && code !== g.creditCode) {
        problem(
          row,
          codeColumn,
          code,
          `同一企业在第 ${g.first.row} 行的信用代码是 ${g.creditCode}，与本行不同`,
        );
        continue;
      }
      if (g.nameKey !== nk) {
        problem(
          row,
          'name',
          row.name,
          `信用代码 ${code ?? ''} 与第 ${g.first.row} 行相同，但企业名称或所在地不同（第 ${g.first.row} 行：${g.first.name}，${place(g.first.cityCode, g.first.countyCode)}）`,
        );
        continue;
      }
      if (code !== null && g.creditCode === null) {
        g.creditCode = code;
        fileByCode.set(code, g);
      }
    } else {
      let existing = code !== null ? byCode.get(code) : undefined;
      if (!existing) {
        const same = byName.get(nk);
        if (same && code !== null && same.creditCode !== null && same.creditCode !== code) {
          problem(
            row,
            codeColumn,
            code,
            `${place(row.cityCode, row.countyCode)}已登记同名企业“${row.name}”，其信用代码为 ${same.creditCode}，与本行不同`,
          );
          continue;
        }
        existing = same;
      }
      if (existing) {
        const other = claimed.get(existing.id);
        if (other) {
          problem(
            row,
            'name',
            row.name,
            `与第 ${other.first.row} 行是同一家企业（已登记为“${existing.name}”），但两行的企业名称、所在地或信用代码不一致`,
          );
          continue;
        }
        const clash = byName.get(nk);
        if (clash && clash.id !== existing.id) {
          problem(
            row,
            'name',
            row.name,
            `信用代码 ${code ?? ''} 已登记为“${existing.name}”；${place(row.cityCode, row.countyCode)}另有一家同名企业“${row.name}”，不能把前者改成此名称`,
          );
          continue;
        }
      }
      g = {
        key: groups.length,
        first: row,
        nameKey: nk,
        creditCode: code,
        existing,
        processes: new Map(),
      };
      groups.push(g);
      fileByName.set(nk, g);
      if (code !== null) fileByCode.set(code, g);
      if (existing) claimed.set(existing.id, g);
    }

    if (!row.industry || row.branch === null) {
      planned.add(row.row);
      if (!g.existing) touched.add(row.row);
      continue;
    }
    const industry = row.industry;
    const branch = row.branch;
    const pk = `${industry.code}\u0000${branch}`;
    const firstRow = g.processes.get(pk);
    if (firstRow !== undefined) {
      problem(
        row,
        'branch',
        branch,
        `与第 ${firstRow} 行重复：同一企业的${industryLabel(industry, branch)}只能填一行`,
      );
      continue;
    }
    g.processes.set(pk, row.row);
    const current = g.existing ? processesOf.get(g.existing.id)?.get(pk) : undefined;
    const rulesetId = current
      ? current.rulesetId
      : (branchOf(industry, branch)?.rulesets[0] ?? null);
    const issues = checkGrades(
      industry,
      branch,
      rulesetId,
      row.fields.currentGrade ?? null,
      row.fields.targetGrade ?? null,
    );
    if (issues.length > 0) {
      for (const i of issues) {
        const key = i.path as 'currentGrade' | 'targetGrade';
        problem(row, key, row.written[key] ?? null, i.message);
      }
      continue;
    }
    planned.add(row.row);
    if (!current) {
      touched.add(row.row);
      plan.preview.processesAdded += 1;
      plan.newProcesses.push({
        enterprise: g.existing ? g.existing.id : g.key,
        draft: {
          industryCode: industry.code,
          branch,
          name: null,
          rulesetId,
          currentGrade: row.fields.currentGrade ?? null,
          targetGrade: row.fields.targetGrade ?? null,
          differentiators: row.fields.differentiators ?? null,
          problems: row.fields.problems ?? null,
          improvements: row.fields.improvements ?? null,
          dueDate: row.fields.dueDate ?? null,
          remark: row.fields.remark ?? null,
        },
      });
      continue;
    }
    const draft: ProcessDraft = {
      enterpriseId: current.enterpriseId,
      industryCode: current.industryCode,
      branch: current.branch,
      name: current.name,
      rulesetId: current.rulesetId,
      currentGrade: current.currentGrade,
      targetGrade: current.targetGrade,
      differentiators: current.differentiators,
      problems: current.problems,
      improvements: current.improvements,
      dueDate: current.dueDate,
      remark: current.remark,
    };
    const changes: FieldChange[] = [];
    for (const f of PROCESS_FIELDS) {
      const to = row.fields[f];
      if (to === undefined || to === current[f]) continue;
      changes.push({ field: FIELD_LABELS[f], from: current[f], to });
      draft[f] = to;
    }
    if (changes.length > 0) {
      touched.add(row.row);
      plan.processUpdates.push({ id: current.id, draft });
      plan.preview.changed.push({
        row: row.row,
        enterprise: row.name,
        industry: industryLabel(industry, branch),
        changes,
      });
    }
  }

  for (const g of groups) {
    const { first } = g;
    if (!g.existing) {
      touched.add(first.row);
      plan.preview.enterprisesAdded += 1;
      plan.newEnterprises.push({
        key: g.key,
        draft: {
          name: first.name,
          creditCode: g.creditCode,
          cityCode: first.cityCode,
          countyCode: first.countyCode,
          address: null,
          contactPerson: null,
          contactPhone: null,
        },
      });
      continue;
    }
    const e = g.existing;
    const changes: FieldChange[] = [];
    if (e.name !== first.name) changes.push({ field: '企业名称', from: e.name, to: first.name });
    if (e.cityCode !== first.cityCode) {
      changes.push({ field: '地级市', from: cityName(e.cityCode), to: cityName(first.cityCode) });
    }
    if (e.countyCode !== first.countyCode) {
      changes.push({
        field: '县（市、区）',
        from: e.countyCode === null ? null : countyName(e.cityCode, e.countyCode),
        to: first.countyCode === null ? null : countyName(first.cityCode, first.countyCode),
      });
    }
    const creditCode = g.creditCode ?? e.creditCode;
    if (creditCode !== e.creditCode) {
      changes.push({ field: CREDIT_CODE_COLUMN.header, from: e.creditCode, to: creditCode });
    }
    if (changes.length === 0) continue;
    touched.add(first.row);
    plan.enterpriseUpdates.push({
      id: e.id,
      draft: {
        name: first.name,
        creditCode,
        cityCode: first.cityCode,
        countyCode: first.countyCode,
        address: e.address,
        contactPerson: e.contactPerson,
        contactPhone: e.contactPhone,
      },
    });
    plan.preview.changed.push({ row: first.row, enterprise: first.name, industry: null, changes });
  }

  plan.preview.changed.sort((a, b) => a.row - b.row || (a.industry === null ? -1 : 1));
  plan.preview.unchanged = [...planned].filter((r) => !touched.has(r)).length;
  plan.preview.problems = sortProblems([...file.problems, ...problems]);
  return plan;
}

function branchOf(industry: Industry, branch: string): Branch | undefined {
  return industry.branches.find((b) => b.name === branch);
}

const COLUMN_ORDER = new Map<string, number>(
  [...ANNEX2_COLUMNS, CREDIT_CODE_COLUMN].map((c, i) => [c.header, i]),
);

function sortProblems(list: ImportProblem[]): ImportProblem[] {
  const order = (c: string | null) => (c === null ? -1 : (COLUMN_ORDER.get(c) ?? 99));
  return list.sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || order(a.column) - order(b.column));
}

// ---------------------------------------------------------------------------------------------
// Import: writing

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
export function applyImport(ctx: AppContext, file: ParsedAnnex2): ImportPreview {
  const preview = writeChanges(ctx.db, ctx.device, (changes) => {
    const plan = planImport(ctx, file);
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
export async function previewImport(
  ctx: AppContext,
  data: Buffer | ArrayBuffer,
  task: Task = NO_TASK,
): Promise<ImportPreview> {
  const file = await parseAnnex2(data, ctx.catalog, task);
  await task.checkpoint();
  return planImport(ctx, file).preview;
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
    throw importRefused(planImport(ctx, file).preview.problems);
  }
  await task.checkpoint();
  task.progress('写入', 0, 1);
  const preview = applyImport(ctx, file);
  task.progress('写入', 1, 1);
  return preview;
}
