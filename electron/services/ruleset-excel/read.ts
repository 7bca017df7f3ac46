/**
 * Workbook → ruleset: reads every sheet (read-sheets.ts), runs the contract's validator on what was
 * read, and places each of its issues back on the sheet, row and column it came from, in the
 * template's words. Every problem is reported; if there is any, no ruleset is produced.
 */
import ExcelJS from 'exceljs';
import { ALERT_LEVELS, ALERT_LEVEL_NAMES, type Ruleset } from '../../../shared/grading/types';
import { validateRuleset } from '../../../shared/grading/validate';
import { checkWorkbook } from '../workbook-guard';
import { generatedRulesetId } from './ids';
import {
  FIELD_COLUMNS,
  META_ROWS,
  NOT_A_WORKBOOK,
  RULESET_LIMITS,
  RULESET_SHEETS,
  type RulesetExcelProblem,
  type RulesetExcelResult,
  requireHeader,
  textHeader,
} from './layout';
import { type Located, Report, findSheet, finish, reportBadText } from './read-cells';
import {
  type IndicatorSheet,
  type MeasuresSheet,
  type MetaSheet,
  readIndicatorSheet,
  readMeasuresSheet,
  readMetaSheet,
} from './read-sheets';

/**
 * The grade scheme as the validator should see it. A grade whose 排序 could not be read (already
 * reported) gets a stand-in rank between its neighbours', so that the validator still knows the grade
 * and does not report every column and measure naming it.
 */
function gradesForValidation(grades: readonly { grade?: string; rank?: number }[]): unknown[] {
  const known = (from: number, step: number): number | undefined => {
    for (let i = from; i >= 0 && i < grades.length; i += step) {
      const r = grades[i]?.rank;
      if (r !== undefined) return r;
    }
    return undefined;
  };
  return grades.map((g, i) => {
    if (g.rank !== undefined || g.grade === undefined) return g;
    const prev = known(i - 1, -1);
    const next = known(i + 1, 1);
    const rank =
      prev !== undefined && next !== undefined
        ? (prev + next) / 2
        : prev !== undefined
          ? prev + 1
          : next !== undefined
            ? next - 1
            : i;
    return { ...g, rank };
  });
}

/** `indicators[3].require["B-"][1]` → ['indicators', 3, 'require', 'B-', 1]. */
function pathTokens(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\.?([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(m[3]) as string);
  }
  return out;
}

interface Parsed {
  meta: MetaSheet;
  ind: IndicatorSheet;
  measures: MeasuresSheet | undefined;
}

/** Where a validator issue's JSON path came from in the workbook. */
/**
 * The validator speaks the JSON contract's words (oneOf, options, "draft"); the workbook's reader
 * is told in the template's words (选项, 可选项, 草稿).
 */
const TEMPLATE_WORDS: readonly [string, string][] = [
  ['（可用：max、min、bool、oneOf、level）', '（可用：上限、下限、是否、选项、等级）'],
  ['oneOf 类型的指标必须列出 options', '“选项”类型的指标必须填写可选项'],
  [' 不在 options 中', ' 不在「可选项」中'],
  ['"draft" 或 "verified"', '草稿 或 已核实'],
  ['true 或 false', '是 或 否'],
];

function inTemplateWords(message: string): string {
  return TEMPLATE_WORDS.reduce((m, [word, chinese]) => m.replaceAll(word, chinese), message);
}

function locate(issue: { path: string; message: string }, p: Parsed): Located {
  const located = locateIssue(issue, p);
  return { ...located, message: inTemplateWords(located.message) };
}

function locateIssue(issue: { path: string; message: string }, p: Parsed): Located {
  const t = pathTokens(issue.path);
  const [head, a, b, c] = t;
  const metaRow = META_ROWS.find((m) => m.key === head);
  if (metaRow) {
    return {
      sheet: RULESET_SHEETS.meta,
      row: p.meta.metaRows.get(metaRow.key) ?? null,
      col: p.meta.metaRows.has(metaRow.key) ? 2 : null,
      message: `「${metaRow.label}」${issue.message}`,
    };
  }
  if (head === 'grades') {
    const row = typeof a === 'number' ? p.meta.gradeRows[a] : p.meta.gradeHeaderRow;
    const col = b === 'grade' ? 1 : b === 'rank' ? 2 : null;
    const label = b === 'grade' ? '「等级」' : b === 'rank' ? '「排序」' : '等级表：';
    return {
      sheet: RULESET_SHEETS.meta,
      row: row ?? null,
      col,
      message: `${label}${issue.message}`,
    };
  }
  if (head === 'indicators') {
    const sheet = RULESET_SHEETS.indicators;
    if (typeof a !== 'number') return { sheet, row: null, col: null, message: issue.message };
    const row = p.ind.rows[a] ?? null;
    if (b === 'require' || b === 'text') {
      const grade = typeof c === 'string' ? c : '';
      const col = (b === 'require' ? p.ind.requireCols : p.ind.textCols).get(grade) ?? null;
      const header = b === 'require' ? requireHeader(grade) : textHeader(grade);
      return { sheet, row, col, message: `「${header}」${issue.message}` };
    }
    const field = FIELD_COLUMNS.find((f) => f.key === b);
    if (!field) return { sheet, row, col: null, message: issue.message };
    let message = `「${field.header}」${issue.message}`;
    if (field.key === 'id' && issue.message.includes('重复')) {
      const id = p.ind.indicators[a]?.id;
      const first = p.ind.indicators.findIndex((x) => x.id === id);
      const firstRow = p.ind.rows[first];
      if (first >= 0 && first < a && firstRow !== undefined)
        message += `（与第 ${firstRow} 行相同）`;
    }
    return { sheet, row, col: p.ind.fieldCols.get(field.key) ?? null, message };
  }
  if (head === 'measures') {
    const sheet = RULESET_SHEETS.measures;
    const row = typeof a === 'string' ? (p.measures?.rows.get(a) ?? null) : null;
    const level = ALERT_LEVELS.find((l) => l === b);
    const col = level ? (p.measures?.levelCols.get(level) ?? null) : null;
    const label = level ? `「${ALERT_LEVEL_NAMES[level]}」` : '';
    return { sheet, row, col, message: `${label}${issue.message}` };
  }
  return { sheet: '', row: null, col: null, message: issue.message };
}

/**
 * Reads a workbook in the template's layout back into a ruleset. Every problem is reported, each with
 * its sheet, row and column; if there is any, no ruleset is produced. Warnings (example rows skipped,
 * a ruleset without indicators) do not stop the import.
 */
export async function rulesetFromWorkbook(data: Buffer | ArrayBuffer): Promise<RulesetExcelResult> {
  const checked = checkWorkbook(data, RULESET_LIMITS);
  if (!checked.ok) {
    const message = checked.notAWorkbook ? NOT_A_WORKBOOK : checked.message;
    return { ok: false, problems: [{ sheet: '', row: null, column: null, message }] };
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as ArrayBuffer);
  } catch {
    return {
      ok: false,
      problems: [{ sheet: '', row: null, column: null, message: NOT_A_WORKBOOK }],
    };
  }
  if (wb.worksheets.length === 0) {
    return {
      ok: false,
      problems: [{ sheet: '', row: null, column: null, message: NOT_A_WORKBOOK }],
    };
  }

  const report = new Report();
  const metaWs = findSheet(wb, RULESET_SHEETS.meta);
  const indWs = findSheet(wb, RULESET_SHEETS.indicators);
  const measuresWs = findSheet(wb, RULESET_SHEETS.measures);
  for (const [name, ws] of [
    [RULESET_SHEETS.indicators, indWs],
    [RULESET_SHEETS.meta, metaWs],
  ] as const) {
    if (!ws) {
      report.structural = true;
      report.add(name, null, null, `缺少工作表「${name}」`);
    }
  }

  for (const [name, ws] of [
    [RULESET_SHEETS.indicators, indWs],
    [RULESET_SHEETS.meta, metaWs],
    [RULESET_SHEETS.measures, measuresWs],
  ] as const) {
    if (ws) reportBadText(ws, name, report);
  }

  const meta: MetaSheet = metaWs
    ? readMetaSheet(metaWs, report)
    : { meta: {}, metaRows: new Map(), grades: [], gradeRows: [], gradeHeaderRow: null };
  const gradeNames =
    metaWs && meta.gradeHeaderRow !== null
      ? meta.grades.flatMap((g) => (g.grade === undefined ? [] : [g.grade]))
      : undefined;
  const emptyInd: IndicatorSheet = {
    indicators: [],
    rows: [],
    fieldCols: new Map(),
    requireCols: new Map(),
    textCols: new Map(),
  };
  const ind = indWs ? readIndicatorSheet(indWs, gradeNames, report) : emptyInd;
  const measures = measuresWs ? readMeasuresSheet(measuresWs, report) : undefined;
  const parsed: Parsed = { meta, ind, measures };

  const located: Located[] = [...report.problems];
  const warnings: Located[] = [...report.warnings];
  let ruleset: Ruleset | undefined;
  if (!report.structural) {
    const raw: Record<string, unknown> = {};
    for (const { key } of META_ROWS) {
      const v = meta.meta[key];
      if (v !== undefined) raw[key] = v;
    }
    if (raw.id === undefined && typeof raw.industry === 'string') {
      const id = generatedRulesetId(raw.industry, typeof raw.branch === 'string' ? raw.branch : '');
      raw.id = id;
      warnings.push({
        sheet: RULESET_SHEETS.meta,
        row: meta.metaRows.get('id') ?? null,
        col: meta.metaRows.has('id') ? 2 : null,
        message: `「编号」为空，已按行业和分支生成 ${id}`,
      });
    }
    raw.grades = gradesForValidation(meta.grades);
    raw.indicators = ind.indicators;
    if (measures && Object.keys(measures.measures).length > 0) raw.measures = measures.measures;
    const checked = validateRuleset(raw);
    // A cell already reported while reading is not reported again by the validator.
    const taken = new Set(report.problems.map((p) => `${p.sheet}|${p.row}|${p.col}`));
    if (checked.ok) {
      ruleset = checked.value;
      warnings.push(...checked.warnings.map((w) => locate(w, parsed)));
    } else {
      for (const issue of checked.issues) {
        const l = locate(issue, parsed);
        if (l.col !== null && taken.has(`${l.sheet}|${l.row}|${l.col}`)) continue;
        located.push(l);
      }
    }
  }
  if (located.length > 0 || !ruleset) return { ok: false, problems: finish(located) };
  return {
    ok: true,
    ruleset,
    warnings: finish(warnings).map((w) => ({ ...w, path: describeLocation(w) })),
  };
}

/** 「指标」第 5 行 H 列, or less where the problem concerns a whole row or sheet; '' for the file. */
export function describeLocation(p: RulesetExcelProblem): string {
  return [
    p.sheet ? `「${p.sheet}」` : '',
    p.row !== null ? `第 ${p.row} 行` : '',
    p.column !== null ? ` ${p.column} 列` : '',
  ].join('');
}

/** One line per problem: 「指标」第 5 行 H 列：「B级要求」应填数字… */
export function formatRulesetExcelProblems(problems: readonly RulesetExcelProblem[]): string {
  return problems
    .map((p) => {
      const where = describeLocation(p);
      return where ? `${where}：${p.message}` : p.message;
    })
    .join('\n');
}
