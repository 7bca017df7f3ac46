/**
 * What the reader (read.ts) needs on every sheet: a cell's value as a scalar, the parsers of numbers,
 * booleans, kinds and grades, the problem report that collects every problem and warning with its
 * sheet, row and column, and its sorting into the order they are shown in.
 */
import type ExcelJS from 'exceljs';
import { INDICATOR_KINDS, type IndicatorKind } from '../../../shared/grading/types';
import { textProblem } from '../../../shared/text';
import { scalarOf as cellScalar } from '../excel-cells';
import { KIND_CHINESE, RULESET_SHEETS, type RulesetExcelProblem, columnLetter } from './layout';

export type Scalar = string | number | boolean;

/** A cell's value as a plain scalar; a date becomes its YYYY-MM-DD text. */
export function scalarOf(v: unknown): Scalar | undefined {
  const s = cellScalar(v);
  return s instanceof Date ? s.toISOString().slice(0, 10) : s;
}

/** A cell's value, or undefined when blank or whitespace only. */
export function read(ws: ExcelJS.Worksheet, row: number, col: number): Scalar | undefined {
  const s = scalarOf(ws.getRow(row).getCell(col).value);
  return typeof s === 'string' && s.trim() === '' ? undefined : s;
}

export function asText(s: Scalar): string {
  return typeof s === 'string' ? s : String(s);
}

export function show(s: Scalar): string {
  return `“${asText(s)}”`;
}

/** Header text compared without whitespace and with full-width forms folded. */
export function headerKey(s: Scalar | undefined): string {
  return s === undefined ? '' : asText(s).normalize('NFKC').replace(/\s+/g, '');
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function parseNumber(s: Scalar): number | undefined {
  if (typeof s === 'number') return Number.isFinite(s) ? s : undefined;
  if (typeof s !== 'string') return undefined;
  const t = s.normalize('NFKC').trim();
  return NUMBER.test(t) ? Number(t) : undefined;
}

export function parseBool(s: Scalar): boolean | undefined {
  if (typeof s === 'boolean') return s;
  const t = asText(s).normalize('NFKC').trim().toLowerCase();
  if (t === '是' || t === 'true') return true;
  if (t === '否' || t === 'false') return false;
  return undefined;
}

export function parseKind(s: Scalar): IndicatorKind | undefined {
  const t = asText(s).normalize('NFKC').trim();
  const chinese = KIND_CHINESE[t];
  if (chinese) return chinese;
  const word = /^[A-Za-z]+/.exec(t)?.[0]?.toLowerCase();
  return INDICATOR_KINDS.find((k) => k.toLowerCase() === word);
}

/** A grade name as written, or the scheme's grade it clearly means (full-width forms, a trailing 级). */
export function parseGrade(s: Scalar, grades: ReadonlySet<string>): string {
  const t = asText(s).trim();
  if (grades.has(t)) return t;
  const n = t.normalize('NFKC').trim();
  if (grades.has(n)) return n;
  const stripped = n.replace(/级$/, '').trim();
  return grades.has(stripped) ? stripped : t;
}

export interface Located {
  sheet: string;
  row: number | null;
  col: number | null;
  message: string;
}

export class Report {
  readonly problems: Located[] = [];
  readonly warnings: Located[] = [];
  /** Sheet or header missing: the ruleset cannot be assembled, so the validator is not run. */
  structural = false;
  add(sheet: string, row: number | null, col: number | null, message: string): void {
    this.problems.push({ sheet, row, col, message });
  }
  warn(sheet: string, row: number | null, col: number | null, message: string): void {
    this.warnings.push({ sheet, row, col, message });
  }
}

const SHEET_ORDER: readonly string[] = [
  '',
  RULESET_SHEETS.indicators,
  RULESET_SHEETS.meta,
  RULESET_SHEETS.measures,
];

export function finish(list: readonly Located[]): RulesetExcelProblem[] {
  const order = (s: string) => {
    const i = SHEET_ORDER.indexOf(s);
    return i < 0 ? SHEET_ORDER.length : i;
  };
  const seen = new Set<string>();
  return [...list]
    .sort(
      (a, b) =>
        order(a.sheet) - order(b.sheet) ||
        (a.row ?? 0) - (b.row ?? 0) ||
        (a.col ?? 0) - (b.col ?? 0),
    )
    .map((p) => ({
      sheet: p.sheet,
      row: p.row,
      column: p.col === null ? null : columnLetter(p.col),
      message: p.message,
    }))
    .filter((p) => {
      const k = JSON.stringify(p);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

/**
 * Reports each cell of a sheet whose text is not well-formed (shared/text.ts; a line break is
 * fine, a cell may wrap): nothing is imported from such a file.
 */
export function reportBadText(ws: ExcelJS.Worksheet, sheet: string, report: Report): void {
  ws.eachRow((row, r) => {
    row.eachCell((cell, c) => {
      if (cell.isMerged && cell.master.address !== cell.address) return;
      const v = scalarOf(cell.value);
      const problem = typeof v === 'string' ? textProblem(v, { multiline: true }) : null;
      if (problem) report.add(sheet, r, c, `单元格含有无效字符：${problem}`);
    });
  });
}

export function findSheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet | undefined {
  return wb.worksheets.find((w) => w.name.trim() === name);
}

/** What 指标体系 holds, and where. */
