/**
 * Import, step 1 (`parseAnnex2`): reads a 附件2 workbook, finds its header, and checks every row on
 * its own (regions, 信用代码, industry and branch, dates, lengths), yielding to the event loop every
 * few hundred rows so a task can be cancelled; nothing is written.
 */
import type ExcelJS from 'exceljs';
import type { ImportProblem } from '../../../shared/api/contract';
import type { Branch, Catalog, Industry } from '../../../shared/domain/catalog';
import { checkCreditCode, normalizeCreditCode } from '../../../shared/domain/credit-code';
import { CITIES, findCityByName } from '../../../shared/domain/regions';
import { shownText, textProblem } from '../../../shared/text';
import type { Task } from '../tasks';
import { type CatalogIndex, catalogIndex } from './catalog';
import {
  type Annex2Key,
  REQUIRED_KEYS,
  columnByKey,
  dueFromDate,
  headerKeyOf,
  looseKey,
  normalizeGrade,
  parseDue,
  type ProcessField,
} from './format';
import {
  type LoadedWorkbook,
  NO_TASK,
  type Scalar,
  loadAnnex2Workbook,
  scalarOf,
} from './workbook';

/** Rows between checkpoints (and progress reports) while a file is checked. */
const CHUNK = 200;
/** The header is looked for in this many rows at the top of each sheet. */
const HEADER_SEARCH_ROWS = 10;

export const PROCESS_FIELDS: readonly ProcessField[] = [
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
