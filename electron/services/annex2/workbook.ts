/**
 * The exceljs side of 附件2: writing 附件2 as the seed lays it out, and loading a workbook with its
 * merged cells resolved. Pure Node: buffers in, buffers out.
 *
 * Layout written (rows 1-based):
 * 1 「附件2」 (left, bold); 2 the title, merged across the 13 columns; 3 「日期：YYYY年M月D日」, merged;
 * 4 the 13 headers, frozen and repeated on every printed page; then one row per enterprise × industry
 * (an enterprise without industries gets one row with the industry cells empty); then the two 注
 * lines, each merged across the table. 序号 numbers enterprises: the rows of one enterprise share it,
 * and their 序号, 地级市, 县（市、区）, 企业名称 cells are merged down those rows. A4 landscape, one
 * page wide, page numbers in the footer.
 *
 * exceljs 4.4 checks every new merge against all earlier ones, both in `mergeCells` and when it
 * loads a file (measured here: 20,000 merges took 86 s to make and 83 s to load). Our merges are
 * disjoint by construction, so export merges with the typed `Cell.merge` (what the writer reads), and
 * `loadAnnex2Workbook` takes the file's merge list aside and resolves merged cells itself.
 */
import ExcelJS from 'exceljs';

import { ANNEX2_COLUMNS, ANNEX2_LABEL, ANNEX2_NOTES, ANNEX2_TITLE } from './format';
import { scalarOf, type Scalar } from '../excel-cells';
import type { Task } from '../tasks';
import { checkWorkbook, type WorkbookLimits } from '../workbook-guard';

export { scalarOf, type Scalar };

/** One printed line of 附件2: the 13 cells in column order (null = empty). */
export interface Annex2Line {
  /** The 13 values, in ANNEX2_COLUMNS order. */
  cells: readonly (string | number | null)[];
  /** On an enterprise's first line, how many lines it has; 0 on its other lines. */
  span: number;
}

export const TITLE_ROW = 2;
export const DATE_ROW = 3;
export const HEADER_ROW = 4;
export const FIRST_DATA_ROW = HEADER_ROW + 1;
/** 序号, 地级市, 县（市、区）, 企业名称: merged down an enterprise's lines. */
const MERGED_COLUMNS = 4;
const COLUMN_COUNT = ANNEX2_COLUMNS.length;
/** Lines between checkpoints while the sheet is filled. */
const CHUNK = 500;

const FONT = { name: '宋体', size: 10 } as const;
const THIN = { style: 'thin' } as const;
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/**
 * Shared style objects: exceljs caches a style's id per object, so cells that share one object cost
 * one lookup each when the file is written. Never mutate them (no cell.font = … on these cells).
 */
const STYLE = {
  label: { font: { ...FONT, size: 12, bold: true } },
  title: {
    font: { ...FONT, size: 16, bold: true },
    alignment: { horizontal: 'center', vertical: 'middle' },
  },
  date: { font: { ...FONT, size: 11 }, alignment: { horizontal: 'left', vertical: 'middle' } },
  header: {
    font: { ...FONT, bold: true },
    alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
    border: BORDER,
  },
  centred: {
    font: FONT,
    alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
    border: BORDER,
  },
  left: {
    font: FONT,
    alignment: { horizontal: 'left', vertical: 'middle', wrapText: true },
    border: BORDER,
  },
  note: { font: FONT, alignment: { horizontal: 'left', vertical: 'top', wrapText: true } },
} satisfies Record<string, Partial<ExcelJS.Style>>;

const COLUMN_STYLES = ANNEX2_COLUMNS.map((c) => (c.centred ? STYLE.centred : STYLE.left));

function lastColumnLetter(): string {
  return String.fromCharCode(64 + COLUMN_COUNT);
}

/** Merges a row's cells across the table. */
function mergeAcross(ws: ExcelJS.Worksheet, row: number): void {
  ws.mergeCells(row, 1, row, COLUMN_COUNT);
}

/** A task that reports nowhere and is never cancelled: what a caller without one passes. */
export const NO_TASK: Task = {
  id: 'none',
  progress: () => undefined,
  checkpoint: () => Promise.resolve(),
};

/**
 * 附件2 as an .xlsx file, built in memory: a cancelled task (checkpoint throws) leaves nothing.
 * `dateText` is the 日期 line (dateLine(now)).
 */
export async function writeAnnex2Workbook(
  lines: readonly Annex2Line[],
  dateText: string,
  task: Task = NO_TASK,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Uplift 环保绩效提级帮扶助手';
  wb.title = ANNEX2_TITLE;
  const ws = wb.addWorksheet('提级扩面企业清单', {
    views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW }],
  });
  ANNEX2_COLUMNS.forEach((c, i) => {
    ws.getColumn(i + 1).width = c.width;
  });

  const label = ws.getRow(1).getCell(1);
  label.value = ANNEX2_LABEL;
  label.style = STYLE.label;
  const title = ws.getRow(TITLE_ROW);
  title.getCell(1).value = ANNEX2_TITLE;
  title.getCell(1).style = STYLE.title;
  title.height = 30;
  mergeAcross(ws, TITLE_ROW);
  const date = ws.getRow(DATE_ROW);
  date.getCell(1).value = dateText;
  date.getCell(1).style = STYLE.date;
  mergeAcross(ws, DATE_ROW);
  const header = ws.getRow(HEADER_ROW);
  header.height = 30;
  ANNEX2_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.style = STYLE.header;
  });

  const total = lines.length;
  let master: ExcelJS.Row | undefined;
  for (let k = 0; k < total; k++) {
    if (k % CHUNK === 0) {
      task.progress('生成', k, total);
      await task.checkpoint();
    }
    const line = lines[k] as Annex2Line;
    const row = ws.getRow(FIRST_DATA_ROW + k);
    if (line.span > 0) master = row;
    for (let c = 0; c < COLUMN_COUNT; c++) {
      const cell = row.getCell(c + 1);
      cell.style = COLUMN_STYLES[c] as Partial<ExcelJS.Style>;
      if (line.span === 0 && c < MERGED_COLUMNS && master) {
        // Disjoint by construction: see the module comment for why not ws.mergeCells.
        cell.merge(master.getCell(c + 1));
        continue;
      }
      const v = line.cells[c];
      if (v !== null && v !== undefined && v !== '') cell.value = v;
    }
  }
  task.progress('生成', total, total);

  const notesFrom = FIRST_DATA_ROW + total;
  ANNEX2_NOTES.forEach((text, i) => {
    const row = ws.getRow(notesFrom + i);
    row.getCell(1).value = text;
    row.getCell(1).style = STYLE.note;
    row.height = 28;
    mergeAcross(ws, notesFrom + i);
  });

  const lastRow = notesFrom + ANNEX2_NOTES.length - 1;
  ws.pageSetup = {
    paperSize: 9, // A4
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
    printArea: `A1:${lastColumnLetter()}${lastRow}`,
  };
  ws.headerFooter = { oddFooter: '第 &P 页，共 &N 页' };

  await task.checkpoint();
  task.progress('写出', 0, 1);
  const out = await wb.xlsx.writeBuffer();
  await task.checkpoint();
  task.progress('写出', 1, 1);
  return Buffer.from(out);
}

// ---------------------------------------------------------------------------------------------
// Reading

/** A loaded workbook whose merged cells read as their master's value. */
export interface LoadedWorkbook {
  workbook: ExcelJS.Workbook;
  /** A cell of `ws` at (row, col): its own value, or its merge master's when it is merged. */
  cell(ws: ExcelJS.Worksheet, row: number, col: number): ExcelJS.Cell;
  /** Whether (row, col) is covered by a merge it is not the top-left cell of. */
  inherits(ws: ExcelJS.Worksheet, row: number, col: number): boolean;
}

interface WorksheetModel {
  name?: unknown;
  mergeCells?: unknown;
}

/** 'B5:D7' → [top, left, bottom, right]. */
function decodeRange(range: string): [number, number, number, number] | undefined {
  const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(range.trim().toUpperCase());
  if (!m) return undefined;
  const col = (s: string) => [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  const top = Number(m[2]);
  const left = col(m[1] as string);
  const bottom = m[4] === undefined ? top : Number(m[4]);
  const right = m[3] === undefined ? left : col(m[3]);
  return [
    Math.min(top, bottom),
    Math.min(left, right),
    Math.max(top, bottom),
    Math.max(left, right),
  ];
}

/**
 * What a 附件2 file may hold before it is read (workbook-guard.ts). The region's whole 附件2 is a few
 * thousand lines; 10 万 rows leave room to spare and keep exceljs under about 1 GB. Merges: each
 * enterprise's first four columns merge down its lines, a 地级市 may merge down a whole city, so
 * merged cells stay within a few per line. The API takes at most 10 MB of file; the command line
 * up to the file cap.
 */
export const ANNEX2_LIMITS: WorkbookLimits = {
  fileBytes: 20 * 1024 * 1024,
  parts: 1000,
  uncompressedBytes: 100 * 1024 * 1024,
  ratio: 100,
  rows: 100_000,
  columns: 200,
  cells: 2_000_000,
  merges: 200_000,
  mergedCells: 1_000_000,
  rangeCells: 1_000_000,
};

/** A file refused before it was parsed: it passes one of ANNEX2_LIMITS (the message names it). */
export interface RefusedWorkbook {
  refused: string;
}

/**
 * Loads a workbook; undefined when the data is not an .xlsx file, `{ refused }` when it passes one
 * of ANNEX2_LIMITS (checked before exceljs sees it). Merge lists are taken out of the
 * parsed model before exceljs applies them (its check is quadratic, see above) and resolved here:
 * every cell of a merged range reads as the range's top-left cell. If exceljs ever stops exposing the
 * model that way, it merges as usual and its merged cells already read as their master.
 */
export async function loadAnnex2Workbook(
  data: Buffer | ArrayBuffer,
): Promise<LoadedWorkbook | RefusedWorkbook | undefined> {
  const checked = checkWorkbook(data, ANNEX2_LIMITS);
  if (!checked.ok) return checked.notAWorkbook ? undefined : { refused: checked.message };
  const workbook = new ExcelJS.Workbook();
  const merges = new Map<string, string[]>();
  const proto = ExcelJS.Workbook.prototype;
  const model = Object.getOwnPropertyDescriptor(proto, 'model');
  if (model && 'get' in model && 'set' in model) {
    Object.defineProperty(workbook, 'model', {
      configurable: true,
      get(this: ExcelJS.Workbook): unknown {
        return Reflect.get(proto, 'model', this);
      },
      set(this: ExcelJS.Workbook, value: { worksheets?: unknown }) {
        if (Array.isArray(value.worksheets)) {
          for (const sheet of value.worksheets as (WorksheetModel | undefined)[]) {
            if (sheet && typeof sheet.name === 'string' && Array.isArray(sheet.mergeCells)) {
              merges.set(sheet.name, sheet.mergeCells as string[]);
              sheet.mergeCells = [];
            }
          }
        }
        Reflect.set(proto, 'model', value, this);
      },
    });
  }
  try {
    await workbook.xlsx.load(data as ArrayBuffer);
  } catch {
    return undefined;
  }
  // Per sheet: (row, col) of every merged cell but the master → the master cell.
  const masters = new Map<string, Map<number, [number, number]>>();
  for (const [sheet, ranges] of merges) {
    const map = new Map<number, [number, number]>();
    for (const r of ranges) {
      const d = decodeRange(r);
      if (!d) continue;
      const [top, left, bottom, right] = d;
      for (let row = top; row <= bottom; row++) {
        for (let col = left; col <= right; col++) {
          if (row !== top || col !== left) map.set(row * 16384 + col, [top, left]);
        }
      }
    }
    masters.set(sheet, map);
  }
  return {
    workbook,
    cell(ws, row, col) {
      const master = masters.get(ws.name)?.get(row * 16384 + col);
      return master ? ws.getRow(master[0]).getCell(master[1]) : ws.getRow(row).getCell(col);
    },
    inherits(ws, row, col) {
      if (masters.get(ws.name)?.has(row * 16384 + col)) return true;
      const cell = ws.getRow(row).getCell(col);
      return cell.isMerged && cell.master !== cell;
    },
  };
}
