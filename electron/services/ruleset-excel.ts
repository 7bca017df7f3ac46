/**
 * The experts' Excel path for grading rulesets (../shared/spec/ruleset-format.md): a template to fill
 * in, export of a ruleset to the same layout, and import back to ruleset JSON in which every problem
 * is located by sheet, row and column. Pure Node: no files, no CLI; callers pass buffers.
 *
 * Layout of the workbook (sheet names are the contract; sheets are found by name, columns by header):
 * - 「指标」: header in row 1 (frozen), one indicator per row below it. Fixed columns 指标编号, 维度,
 *   指标名称, 类型, 单位, 可选项, 现场说明 (`hint`, what a team reads on site), 来源与缺项 (`note`,
 *   the experts' remarks; older templates' 说明) (the first four are required), then for every
 *   grade of the scheme 「X级要求」 and 「X级原文」. Header cells carry notes and the data cells input
 *   prompts explaining how each kind's requirement is written. The floor grade's 要求 column is
 *   greyed and must stay empty.
 * - 「指标体系」: key/value rows (column A 项目, B 值, C 说明) for 编号, 行业, 分支, 版本, 来源,
 *   来源与缺项 (`sourceNote`; older templates' 来源备注), 状态, 现场说明 (`summary`); then, after a
 *   row whose column A says 「等级」, the grade scheme as 等级/排序 rows, best first.
 * - 「应急减排措施」: one row per grade, columns 等级, 黄色预警, 橙色预警, 红色预警. Optional on import.
 * - 「填写说明」: help text only, ignored on import.
 *
 * Example rows: a row of 「指标」 whose 指标编号 starts with 「示例」 is an example and is skipped on import
 * (with a warning naming the row). The template ships one such row per kind, taken from the contract's
 * cement sample. A valid indicator id can never start with 「示例」 (ids are lowercase ASCII), so no real
 * indicator is ever mistaken for an example, and export never writes such a row.
 *
 * Cell conventions: blank (or whitespace-only) = absent; free text (names, notes, 原文, measures) is
 * kept verbatim; ids, kinds, grade names, numbers and list items are trimmed. Lists (可选项, oneOf
 * requirements) are separated by 、,，;； — or by line breaks when the cell has any, which export uses
 * when an option itself contains one of those separators.
 */
import crypto from 'node:crypto';

import ExcelJS from 'exceljs';

import {
  ALERT_LEVEL_NAMES,
  ALERT_LEVELS,
  DIMENSIONS,
  INDICATOR_KINDS,
  type AlertLevel,
  type GradeDef,
  type Indicator,
  type IndicatorKind,
  type Requirement,
  type Ruleset,
} from '../../shared/grading/types';
import { validateRuleset } from '../../shared/grading/validate';
import { textProblem } from '../../shared/text';
import { scalarOf as cellScalar } from './excel-cells';
import { checkWorkbook, type WorkbookLimits } from './workbook-guard';

/** One thing wrong (or worth saying) about a workbook, located as precisely as possible. */
export interface RulesetExcelProblem {
  /** Sheet name; '' for the file as a whole. */
  sheet: string;
  /** Excel row number (1-based), or null for the whole sheet. */
  row: number | null;
  /** Column letter (the message names the header), or null for the whole row or sheet. */
  column: string | null;
  /** Chinese reason. */
  message: string;
}

/** A warning does not stop the import; `path` is its location as text (「指标」第 2 行 A 列). */
export interface RulesetExcelWarning extends RulesetExcelProblem {
  path: string;
}

export type RulesetExcelResult =
  | { ok: true; ruleset: Ruleset; warnings: RulesetExcelWarning[] }
  | { ok: false; problems: RulesetExcelProblem[] };

export const RULESET_SHEETS = {
  indicators: '指标',
  meta: '指标体系',
  measures: '应急减排措施',
  help: '填写说明',
} as const;

export const DEFAULT_GRADES: readonly GradeDef[] = [
  { grade: 'A', rank: 1 },
  { grade: 'B', rank: 2 },
  { grade: 'C', rank: 4 },
  { grade: 'D', rank: 5 },
];

/** Rows of 「指标」 whose 指标编号 starts with this are examples, skipped on import. */
export const EXAMPLE_ID_PREFIX = '示例';

const NOT_A_WORKBOOK = '文件不是有效的 Excel 工作簿';

/**
 * What a filled-in template may hold before it is read (workbook-guard.ts). A ruleset has a few
 * hundred indicators at most; the template's drop-downs cover rows 2–1000 of six columns. exceljs
 * applies this workbook's merges itself, checking each against every earlier one, hence few merges.
 */
export const RULESET_LIMITS: WorkbookLimits = {
  fileBytes: 10 * 1024 * 1024,
  parts: 1000,
  uncompressedBytes: 50 * 1024 * 1024,
  ratio: 100,
  rows: 10_000,
  columns: 100,
  cells: 500_000,
  merges: 1000,
  mergedCells: 100_000,
  rangeCells: 200_000,
};

// ---------------------------------------------------------------------------------------------
// Shared layout

type FieldKey = 'id' | 'dimension' | 'title' | 'kind' | 'unit' | 'options' | 'hint' | 'note';

interface FieldColumn {
  key: FieldKey;
  header: string;
  width: number;
  required: boolean;
  /** Stored as text (Excel's '@' format) so Excel does not turn "2020" or "1-2" into numbers or dates. */
  text: boolean;
  hint: string;
  /** Headers of older templates that name this column. */
  aliases?: readonly string[];
}

const FIELD_COLUMNS: readonly FieldColumn[] = [
  {
    key: 'id',
    header: '指标编号',
    width: 32,
    required: false,
    text: true,
    hint: '可空：指标的唯一编号，小写字母、数字和 . _ - ，如 emission.kiln-tail.nox。留空时按指标名称生成（如 ind-3f2a9c1e），名称不变则编号不变。以「示例」开头的行是示例，导入时跳过。',
  },
  {
    key: 'dimension',
    header: '维度',
    width: 14,
    required: true,
    text: true,
    hint: `指南中的维度，可从列表选择（${DIMENSIONS.join('、')}），也可填写其他维度。`,
  },
  {
    key: 'title',
    header: '指标名称',
    width: 36,
    required: true,
    text: true,
    hint: '指标名称，如 窑尾氮氧化物排放浓度。',
  },
  {
    key: 'kind',
    header: '类型',
    width: 16,
    required: true,
    text: true,
    hint: '上限（实测值不高于要求）、下限（实测值不低于要求）、是否（要求为“是”时必须具备）、选项（实际做法须是所列选项之一）、等级（现场评定达到的等级）。',
  },
  {
    key: 'unit',
    header: '单位',
    width: 10,
    required: false,
    text: true,
    hint: '可空，如 mg/m³、%。',
  },
  {
    key: 'options',
    header: '可选项',
    width: 28,
    required: false,
    text: true,
    hint: '“选项”类型必填：全部可选做法，用 、 或 ; 分隔，如 SCR、SNCR+SCR、SNCR、低氮燃烧、无。',
  },
  {
    key: 'hint',
    header: '现场说明',
    width: 36,
    required: false,
    text: true,
    hint: '可空：检查人员在现场检查页看到的说明，如看什么、怎么填、口径和基准含氧量。用平实的中文，不写指标编号、英文或转录备注（这些写入「来源与缺项」）。',
  },
  {
    key: 'note',
    header: '来源与缺项',
    width: 30,
    required: false,
    text: true,
    hint: '可空：给专家看的转录备注，如原文出处、列位置、缺项；只在分级指标库中显示，不出现在现场检查页和 PDF 中。',
    aliases: ['说明'],
  },
];

const REQUIREMENT_HINT =
  '按类型填写本等级的要求（空白表示本等级对此指标无要求）：上限、下限填数字；是否填 是 或 否；选项填允许的可选项，用 、 分隔；等级填一个等级。';

/** The kinds as the template writes them; older templates' 'max（上限）' and bare 'max' still read. */
const KIND_LABELS: Record<IndicatorKind, string> = {
  max: '上限',
  min: '下限',
  bool: '是否',
  oneOf: '选项',
  level: '等级',
};

/** The statuses as the template writes them; draft/verified (older templates) still read. */
const STATUS_LABELS: Record<'draft' | 'verified', string> = { draft: '草稿', verified: '已核实' };

const KIND_CHINESE: Record<string, IndicatorKind> = {
  上限: 'max',
  下限: 'min',
  是否: 'bool',
  选项: 'oneOf',
  等级: 'level',
};

type MetaKey =
  'id' | 'industry' | 'branch' | 'edition' | 'source' | 'sourceNote' | 'status' | 'summary';

interface MetaRow {
  key: MetaKey;
  label: string;
  hint: string;
  /** Labels of older templates for this row. */
  aliases?: readonly string[];
}

const META_ROWS: readonly MetaRow[] = [
  {
    key: 'id',
    label: '编号',
    hint: '可空。指标体系编号：小写字母、数字和 . _ - ，如 cement-clinker；留空时按行业和分支生成（如 rs-3f2a9c1e）。',
  },
  { key: 'industry', label: '行业', hint: '必填。如 水泥。' },
  { key: 'branch', label: '分支', hint: '可空。行业下的分支或工序，如 水泥熟料。' },
  { key: 'edition', label: '版本', hint: '必填。指南版本，如 2020。' },
  { key: 'source', label: '来源', hint: '必填。指南或标准的名称。' },
  {
    key: 'sourceNote',
    label: '来源与缺项',
    hint: '可空。给专家看：已录入哪些内容、哪些未能找到出处及原因。只在分级指标库中显示。',
    aliases: ['来源备注'],
  },
  {
    key: 'status',
    label: '状态',
    hint: '必填。草稿：已转录、尚未与正式文本核对；已核实：已与正式文本逐条核对。',
  },
  {
    key: 'summary',
    label: '现场说明',
    hint: '可空。检查人员和企业在检查页、评级结果和 PDF 中看到的说明，如“草稿：目前只录入了运输方式 4 项，算出的等级只反映运输方式，不能代替正式评级。”用平实的中文，不写编号和英文。',
  },
];

const GRADE_HEADER = '等级';
const RANK_HEADER = '排序';

const LEVEL_HEADERS: Record<AlertLevel, readonly string[]> = {
  yellow: ['黄色预警', '黄色', 'yellow'],
  orange: ['橙色预警', '橙色', 'orange'],
  red: ['红色预警', '红色', 'red'],
};

const FILL = {
  field: 'FFD9E1F2',
  require: 'FFFFF2CC',
  text: 'FFE2EFDA',
  floor: 'FFD9D9D9',
  meta: 'FFD9E1F2',
} as const;

type IndicatorColumn =
  | { type: 'field'; field: FieldColumn }
  | { type: 'require'; grade: string; floor: boolean }
  | { type: 'text'; grade: string };

function requireHeader(grade: string): string {
  return `${grade}级要求`;
}
function textHeader(grade: string): string {
  return `${grade}级原文`;
}

function indicatorColumns(grades: readonly GradeDef[]): IndicatorColumn[] {
  const floor = grades.at(-1)?.grade;
  const cols: IndicatorColumn[] = FIELD_COLUMNS.map((field) => ({ type: 'field', field }));
  for (const { grade } of grades) {
    cols.push({ type: 'require', grade, floor: grade === floor });
    cols.push({ type: 'text', grade });
  }
  return cols;
}

function columnHeader(col: IndicatorColumn): string {
  if (col.type === 'field') return col.field.header;
  return col.type === 'require' ? requireHeader(col.grade) : textHeader(col.grade);
}

/** 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26))
    s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

const LIST_SEPARATORS = /[、,，;；]/;

function joinList(items: readonly string[]): string {
  if (!items.some((x) => LIST_SEPARATORS.test(x))) return items.join('、');
  // Line breaks separate items when an item holds a separator; a lone item gets a trailing one.
  return items.length === 1 ? `${items[0]}\n` : items.join('\n');
}

function splitList(s: string): string[] {
  const parts = /\r?\n/.test(s) ? s.split(/\r?\n/) : s.split(LIST_SEPARATORS);
  return parts.map((x) => x.trim()).filter((x) => x !== '');
}

// ---------------------------------------------------------------------------------------------
// Writing

interface RangeValidations {
  add(range: string, validation: Record<string, unknown>): void;
}

/** Worksheet-level range validations: present in exceljs 4.4 but missing from its typings. */
function validations(ws: ExcelJS.Worksheet): RangeValidations {
  return (ws as unknown as { dataValidations: RangeValidations }).dataValidations;
}

function quotedList(items: readonly string[]): string {
  return `"${items.join(',')}"`;
}

function styleHeader(cell: ExcelJS.Cell, argb: string): void {
  cell.font = { bold: true };
  cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb } };
  cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  cell.border = { bottom: { style: 'thin' } };
}

interface WorkbookModel {
  meta: Partial<Record<MetaKey, string>>;
  grades: readonly GradeDef[];
  indicators: readonly { indicator: Indicator; example: boolean }[];
  measures?: Ruleset['measures'];
}

function requirementCell(value: Requirement): ExcelJS.CellValue {
  if (Array.isArray(value)) return joinList(value);
  if (typeof value === 'boolean') return value ? '是' : '否';
  return value;
}

function indicatorCell(ind: Indicator, col: IndicatorColumn): ExcelJS.CellValue {
  if (col.type === 'require') {
    const value = ind.require[col.grade];
    return value === undefined ? null : requirementCell(value);
  }
  if (col.type === 'text') return ind.text?.[col.grade] ?? null;
  switch (col.field.key) {
    case 'kind':
      return KIND_LABELS[ind.kind] ?? String(ind.kind);
    case 'options':
      return ind.options ? joinList(ind.options) : null;
    default:
      return ind[col.field.key] ?? null;
  }
}

function writeIndicatorSheet(wb: ExcelJS.Workbook, model: WorkbookModel): void {
  const ws = wb.addWorksheet(RULESET_SHEETS.indicators, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
  });
  const cols = indicatorColumns(model.grades);
  const lastRow = Math.max(1000, model.indicators.length + 500);

  cols.forEach((col, i) => {
    const n = i + 1;
    const letter = columnLetter(n);
    const column = ws.getColumn(n);
    const header = ws.getRow(1).getCell(n);
    header.value = columnHeader(col);
    const range = `${letter}2:${letter}${lastRow}`;
    if (col.type === 'field') {
      column.width = col.field.width;
      if (col.field.text) column.numFmt = '@';
      if (col.field.key === 'note' || col.field.key === 'hint' || col.field.key === 'title') {
        column.alignment = { wrapText: true, vertical: 'top' };
      }
      header.note = col.field.hint;
      styleHeader(header, FILL.field);
    } else if (col.type === 'require') {
      column.width = 14;
      column.alignment = { wrapText: true, vertical: 'top' };
      if (col.floor) {
        header.note = `${col.grade} 是最低（兜底）等级：达不到更高等级即为此等级，此列必须留空。`;
        styleHeader(header, FILL.floor);
        validations(ws).add(range, {
          type: 'textLength',
          operator: 'equal',
          formulae: [0],
          allowBlank: true,
          showErrorMessage: true,
          errorStyle: 'stop',
          errorTitle: '兜底等级',
          error: `${col.grade} 是最低（兜底）等级，此列必须留空`,
        });
      } else {
        header.note = REQUIREMENT_HINT;
        styleHeader(header, FILL.require);
        validations(ws).add(range, {
          type: 'any',
          formulae: [],
          allowBlank: true,
          showInputMessage: true,
          promptTitle: `${col.grade}级要求`,
          prompt:
            '上限、下限：数字；是否：是/否；选项：可选项，用、分隔；等级：一个等级。空白＝无要求',
        });
      }
    } else {
      column.width = 40;
      column.numFmt = '@';
      column.alignment = { wrapText: true, vertical: 'top' };
      header.note = `可空：指南中 ${col.grade} 级对此指标的原文，供检查人员对照。`;
      styleHeader(header, FILL.text);
    }
    if (col.type === 'field' && col.field.key === 'dimension') {
      validations(ws).add(range, {
        type: 'list',
        formulae: [quotedList(DIMENSIONS)],
        allowBlank: true,
        showErrorMessage: false,
        showInputMessage: true,
        promptTitle: '维度',
        prompt: '可从列表选择，也可填写其他维度',
      });
    }
    if (col.type === 'field' && col.field.key === 'kind') {
      validations(ws).add(range, {
        type: 'list',
        formulae: [quotedList(INDICATOR_KINDS.map((k) => KIND_LABELS[k]))],
        allowBlank: true,
        showErrorMessage: true,
        errorStyle: 'warning',
        errorTitle: '类型',
        error: '类型应为 上限、下限、是否、选项、等级 之一',
        showInputMessage: true,
        promptTitle: '类型',
        prompt: '上限、下限、是否、选项、等级',
      });
    }
  });
  ws.getRow(1).height = 32;

  model.indicators.forEach(({ indicator, example }, k) => {
    const row = ws.getRow(k + 2);
    cols.forEach((col, i) => {
      const value = indicatorCell(indicator, col);
      if (value !== null && value !== undefined) row.getCell(i + 1).value = value;
    });
    if (example) row.font = { italic: true, color: { argb: 'FF808080' } };
  });
}

function writeMetaSheet(wb: ExcelJS.Workbook, model: WorkbookModel): void {
  const ws = wb.addWorksheet(RULESET_SHEETS.meta, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
  });
  ws.getColumn(1).width = 14;
  ws.getColumn(2).width = 60;
  ws.getColumn(3).width = 64;
  ws.getColumn(3).alignment = { wrapText: true, vertical: 'top' };
  const header = ws.getRow(1);
  ['项目', '值', '说明'].forEach((h, i) => {
    header.getCell(i + 1).value = h;
    styleHeader(header.getCell(i + 1), FILL.meta);
  });
  META_ROWS.forEach((m, i) => {
    const row = ws.getRow(i + 2);
    row.getCell(1).value = m.label;
    row.getCell(1).font = { bold: true };
    const value = row.getCell(2);
    value.numFmt = '@';
    value.alignment = { wrapText: true, vertical: 'top' };
    const v = model.meta[m.key];
    if (v !== undefined) {
      value.value =
        m.key === 'status' && (v === 'draft' || v === 'verified') ? STATUS_LABELS[v] : v;
    }
    row.getCell(3).value = m.hint;
    if (m.key === 'status') {
      validations(ws).add(`B${i + 2}`, {
        type: 'list',
        formulae: [quotedList([STATUS_LABELS.draft, STATUS_LABELS.verified])],
        allowBlank: false,
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: '状态',
        error: '状态应为 草稿（未核对）或 已核实（已核对）',
      });
    }
  });

  const gradeHeaderRow = META_ROWS.length + 3;
  const gh = ws.getRow(gradeHeaderRow);
  [GRADE_HEADER, RANK_HEADER, '说明'].forEach((h, i) => {
    gh.getCell(i + 1).value = h;
    styleHeader(gh.getCell(i + 1), FILL.meta);
  });
  gh.getCell(1).note =
    '等级表：从优到差逐行填写，排序数字越小越好，逐个增大（建议 A 1、B 2、B- 3、C 4、D 5）。最后一个是兜底等级。增加等级时，还要在「指标」表中加上「X级要求」「X级原文」两列。';
  const last = model.grades.length - 1;
  model.grades.forEach((g, i) => {
    const row = ws.getRow(gradeHeaderRow + 1 + i);
    row.getCell(1).value = g.grade;
    row.getCell(1).numFmt = '@';
    row.getCell(2).value = g.rank;
    row.getCell(3).value =
      i === last
        ? '最低（兜底）等级：「指标」表中此等级的要求列必须留空'
        : i === 0
          ? '最优等级'
          : null;
  });
}

function writeMeasuresSheet(wb: ExcelJS.Workbook, model: WorkbookModel): void {
  const ws = wb.addWorksheet(RULESET_SHEETS.measures, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }],
  });
  ws.getColumn(1).width = 10;
  const header = ws.getRow(1);
  header.getCell(1).value = GRADE_HEADER;
  styleHeader(header.getCell(1), FILL.meta);
  header.getCell(1).note = '每个等级一行；某预警级别没有措施时留空。';
  ALERT_LEVELS.forEach((level, i) => {
    const cell = header.getCell(i + 2);
    cell.value = ALERT_LEVEL_NAMES[level];
    styleHeader(cell, FILL.meta);
    const column = ws.getColumn(i + 2);
    column.width = 50;
    column.numFmt = '@';
    column.alignment = { wrapText: true, vertical: 'top' };
  });
  model.grades.forEach((g, k) => {
    const row = ws.getRow(k + 2);
    row.getCell(1).value = g.grade;
    row.getCell(1).numFmt = '@';
    const byLevel = model.measures?.[g.grade];
    ALERT_LEVELS.forEach((level, i) => {
      const text = byLevel?.[level];
      if (text !== undefined) row.getCell(i + 2).value = text;
    });
  });
}

const HELP_LINES = [
  '本工作簿用于录入或修改一个行业（或分支）的绩效分级指标体系。填好后导入程序，程序会逐项检查，指出有问题的工作表、行和列；有任何问题都不会导入。',
  '',
  '「指标体系」：填写行业、版本、来源、状态（草稿 未核对 / 已核实 已核对），编号、分支、来源与缺项和现场说明可空（编号留空时按行业和分支生成）。下方等级表从优到差逐行填写等级和排序（数字越小越好），最后一个等级是兜底等级。',
  '「指标」：每行一个指标。维度、指标名称、类型必填；指标编号可空（留空时按指标名称生成，名称不变则编号不变）；单位、现场说明、来源与缺项可空；“选项”类型必须填写可选项。',
  '两种说明分开写：「现场说明」给检查人员和企业看，显示在现场检查页、评级结果和 PDF 中，用平实的中文，不写编号、英文或转录备注；「来源与缺项」给专家看（原文出处、列位置、缺项），只在分级指标库中显示。',
  '「X级要求」列填写该等级对此指标的要求，空白表示该等级对此指标没有要求；每个等级的要求单独填写，不累加：',
  '    上限：填一个数字，实测值不高于它即满足，如 50；',
  '    下限：填一个数字，实测值不低于它即满足，如 80；',
  '    是否：填 是 或 否，“是”表示必须具备；',
  '    选项：填允许的可选项，用 、 分隔，如 SCR、SNCR+SCR，每项都必须出现在「可选项」中；',
  '    等级：填一个等级，如 B，表示现场评定须达到该等级或更好。',
  '最低（兜底）等级的「要求」列必须留空；「X级原文」列可填写指南原文，供检查人员对照。',
  '',
  '示例行：指标编号以「示例」开头的行是示例，导入时跳过。照示例填写自己的指标后，可删除示例行。',
  '增加等级（如 B-）：在「指标体系」等级表中插入一行，并在「指标」表中增加「B-级要求」「B-级原文」两列；列标题中的等级必须在等级表中。',
  '「应急减排措施」：每个等级一行，分别填写黄色、橙色、红色预警时的减排措施，没有的留空。',
  '空行会被忽略。不要改动工作表名称和列标题。',
];

function writeHelpSheet(wb: ExcelJS.Workbook): void {
  const ws = wb.addWorksheet(RULESET_SHEETS.help);
  ws.getColumn(1).width = 120;
  ws.getColumn(1).alignment = { wrapText: true, vertical: 'top' };
  HELP_LINES.forEach((line, i) => {
    if (line !== '') ws.getRow(i + 1).getCell(1).value = line;
  });
}

async function buildWorkbook(model: WorkbookModel): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Uplift 环保绩效提级帮扶助手';
  writeIndicatorSheet(wb, model);
  writeMetaSheet(wb, model);
  writeMeasuresSheet(wb, model);
  writeHelpSheet(wb);
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out);
}

/** The contract's cement sample, one row per kind, marked as examples and fitted to `grades`. */
function exampleIndicators(grades: readonly GradeDef[]): Indicator[] {
  const upper = grades.slice(0, -1).map((g) => g.grade);
  const per = <T extends Requirement>(values: readonly T[]): Record<string, T> => {
    const out: Record<string, T> = {};
    upper.forEach((g, i) => {
      const v = values[i];
      if (v !== undefined) out[g] = v;
    });
    return out;
  };
  const mark = '示例行（编号以“示例”开头，导入时跳过）';
  const text: Record<string, string> = {};
  for (const g of upper.slice(0, 2)) text[g] = `（此处填写指南中 ${g} 级的原文）`;
  return [
    {
      id: `${EXAMPLE_ID_PREFIX}-emission.kiln-tail.nox`,
      dimension: '排放限值',
      title: '窑尾氮氧化物排放浓度',
      kind: 'max',
      unit: 'mg/m³',
      hint: '填写窑尾排放口氮氧化物的小时均值，折算到基准含氧量 10%；多个读数都填。',
      note: `${mark}。基准含氧量 10%，小时均值`,
      require: per([50, 100]),
    },
    {
      id: `${EXAMPLE_ID_PREFIX}-transport.clean-road-share`,
      dimension: '运输方式',
      title: '物料公路运输使用国五及以上或新能源车辆比例',
      kind: 'min',
      unit: '%',
      note: mark,
      require: per([100, 80, 50]),
    },
    {
      id: `${EXAMPLE_ID_PREFIX}-equipment.level`,
      dimension: '装备水平',
      title: '生产工艺装备',
      kind: 'level',
      note: mark,
      text,
      require: per(upper.slice(0, 2)),
    },
    {
      id: `${EXAMPLE_ID_PREFIX}-monitoring.cems`,
      dimension: '监测监控水平',
      title: '主要排放口安装 CEMS 并联网',
      kind: 'bool',
      note: mark,
      require: per([true, true]),
    },
    {
      id: `${EXAMPLE_ID_PREFIX}-treatment.denitration`,
      dimension: '污染治理技术',
      title: '脱硝工艺',
      kind: 'oneOf',
      options: ['SCR', 'SNCR+SCR', 'SNCR', '低氮燃烧', '无'],
      note: mark,
      require: per([
        ['SCR', 'SNCR+SCR'],
        ['SCR', 'SNCR+SCR', 'SNCR'],
      ]),
    },
  ];
}

/**
 * An empty workbook for a new ruleset with the given grade scheme (best first; default A1, B2, C4,
 * D5): 指标体系 to fill in (状态 preset to draft), one example row per kind in 指标.
 */
export async function rulesetTemplate(grades: GradeDef[] = [...DEFAULT_GRADES]): Promise<Buffer> {
  if (grades.length < 2) throw new Error('至少需要两个等级（从优到差排列，最后一个为兜底等级）');
  if (new Set(grades.map((g) => g.grade)).size !== grades.length) throw new Error('等级重复');
  return buildWorkbook({
    meta: { status: 'draft' },
    grades,
    indicators: exampleIndicators(grades).map((indicator) => ({ indicator, example: true })),
  });
}

/** A ruleset in the template's layout, for experts to check or correct and import again. */
export async function rulesetToWorkbook(ruleset: Ruleset): Promise<Buffer> {
  const meta: Partial<Record<MetaKey, string>> = {};
  for (const { key } of META_ROWS) {
    const v = ruleset[key];
    if (v !== undefined) meta[key] = v;
  }
  return buildWorkbook({
    meta,
    grades: ruleset.grades,
    indicators: ruleset.indicators.map((indicator) => ({ indicator, example: false })),
    measures: ruleset.measures,
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

type Scalar = string | number | boolean;

/** A cell's value as a plain scalar; a date becomes its YYYY-MM-DD text. */
function scalarOf(v: unknown): Scalar | undefined {
  const s = cellScalar(v);
  return s instanceof Date ? s.toISOString().slice(0, 10) : s;
}

/** A cell's value, or undefined when blank or whitespace only. */
function read(ws: ExcelJS.Worksheet, row: number, col: number): Scalar | undefined {
  const s = scalarOf(ws.getRow(row).getCell(col).value);
  return typeof s === 'string' && s.trim() === '' ? undefined : s;
}

function asText(s: Scalar): string {
  return typeof s === 'string' ? s : String(s);
}

function show(s: Scalar): string {
  return `“${asText(s)}”`;
}

/** Header text compared without whitespace and with full-width forms folded. */
function headerKey(s: Scalar | undefined): string {
  return s === undefined ? '' : asText(s).normalize('NFKC').replace(/\s+/g, '');
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(s: Scalar): number | undefined {
  if (typeof s === 'number') return Number.isFinite(s) ? s : undefined;
  if (typeof s !== 'string') return undefined;
  const t = s.normalize('NFKC').trim();
  return NUMBER.test(t) ? Number(t) : undefined;
}

function parseBool(s: Scalar): boolean | undefined {
  if (typeof s === 'boolean') return s;
  const t = asText(s).normalize('NFKC').trim().toLowerCase();
  if (t === '是' || t === 'true') return true;
  if (t === '否' || t === 'false') return false;
  return undefined;
}

function parseKind(s: Scalar): IndicatorKind | undefined {
  const t = asText(s).normalize('NFKC').trim();
  const chinese = KIND_CHINESE[t];
  if (chinese) return chinese;
  const word = /^[A-Za-z]+/.exec(t)?.[0]?.toLowerCase();
  return INDICATOR_KINDS.find((k) => k.toLowerCase() === word);
}

/** A grade name as written, or the scheme's grade it clearly means (full-width forms, a trailing 级). */
function parseGrade(s: Scalar, grades: ReadonlySet<string>): string {
  const t = asText(s).trim();
  if (grades.has(t)) return t;
  const n = t.normalize('NFKC').trim();
  if (grades.has(n)) return n;
  const stripped = n.replace(/级$/, '').trim();
  return grades.has(stripped) ? stripped : t;
}

interface Located {
  sheet: string;
  row: number | null;
  col: number | null;
  message: string;
}

class Report {
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

function finish(list: readonly Located[]): RulesetExcelProblem[] {
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
function reportBadText(ws: ExcelJS.Worksheet, sheet: string, report: Report): void {
  ws.eachRow((row, r) => {
    row.eachCell((cell, c) => {
      if (cell.isMerged && cell.master.address !== cell.address) return;
      const v = scalarOf(cell.value);
      const problem = typeof v === 'string' ? textProblem(v, { multiline: true }) : null;
      if (problem) report.add(sheet, r, c, `单元格含有无效字符：${problem}`);
    });
  });
}

function findSheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet | undefined {
  return wb.worksheets.find((w) => w.name.trim() === name);
}

/** What 指标体系 holds, and where. */
interface MetaSheet {
  meta: Partial<Record<MetaKey, string>>;
  metaRows: Map<MetaKey, number>;
  grades: { grade?: string; rank?: number }[];
  gradeRows: number[];
  gradeHeaderRow: number | null;
}

const META_BY_LABEL = new Map<string, MetaKey>(
  META_ROWS.flatMap((m) => [
    [headerKey(m.label), m.key],
    [headerKey(m.key), m.key],
    ...(m.aliases ?? []).map((a): [string, MetaKey] => [headerKey(a), m.key]),
  ]),
);

function normalizeStatus(s: string): string {
  const t = s.normalize('NFKC').trim();
  const lower = t.toLowerCase();
  if (lower === 'draft' || t === '草稿' || t === '未核对') return 'draft';
  if (lower === 'verified' || t === '已核对' || t === '已核实') return 'verified';
  return s;
}

function readMetaSheet(ws: ExcelJS.Worksheet, report: Report): MetaSheet {
  const sheet = RULESET_SHEETS.meta;
  const out: MetaSheet = {
    meta: {},
    metaRows: new Map(),
    grades: [],
    gradeRows: [],
    gradeHeaderRow: null,
  };
  const labels = META_ROWS.map((m) => m.label).join('、');
  for (let r = 1; r <= ws.rowCount; r++) {
    const a = read(ws, r, 1);
    const b = read(ws, r, 2);
    if (a === undefined && b === undefined) continue;
    const label = headerKey(a);
    if (out.gradeHeaderRow === null) {
      if (r === 1 && label === '项目') continue;
      if (label === GRADE_HEADER) {
        out.gradeHeaderRow = r;
        continue;
      }
      if (a === undefined) {
        report.add(sheet, r, 1, `缺少项目名称（可用：${labels}）`);
        continue;
      }
      const key = META_BY_LABEL.get(label);
      if (!key) {
        report.add(sheet, r, 1, `无法识别的项目${show(a)}（可用：${labels}）`);
        continue;
      }
      const first = out.metaRows.get(key);
      if (first !== undefined) {
        report.add(sheet, r, 1, `项目${show(a)}重复（已在第 ${first} 行）`);
        continue;
      }
      out.metaRows.set(key, r);
      if (b === undefined) continue;
      const text = asText(b);
      out.meta[key] = key === 'id' ? text.trim() : key === 'status' ? normalizeStatus(text) : text;
    } else {
      const grade: { grade?: string; rank?: number } = {};
      if (a === undefined) report.add(sheet, r, 1, '「等级」缺少等级名称');
      else grade.grade = asText(a).trim();
      if (b === undefined) {
        report.add(sheet, r, 2, `「排序」缺少等级 ${grade.grade ?? ''} 的排序数字`);
      } else {
        const rank = parseNumber(b);
        if (rank === undefined) report.add(sheet, r, 2, `「排序」应填数字，实为${show(b)}`);
        else grade.rank = rank;
      }
      out.grades.push(grade);
      out.gradeRows.push(r);
    }
  }
  if (out.gradeHeaderRow === null) {
    report.structural = true;
    report.add(
      sheet,
      null,
      null,
      '缺少等级表：请保留 A 列为「等级」的标题行，并在其下逐行填写等级和排序（从优到差）',
    );
  }
  return out;
}

/** What 指标 holds, and where. */
interface IndicatorSheet {
  indicators: Record<string, unknown>[];
  rows: number[];
  fieldCols: Map<FieldKey, number>;
  requireCols: Map<string, number>;
  textCols: Map<string, number>;
}

/**
 * Ids for what an expert left blank, stable across imports so a new edition keeps its indicators'
 * ids (answers and plans follow an indicator by id): `ind-` and eight hex digits of the SHA-256
 * of the indicator's name (NFKC, trimmed); where two indicators share a name, the second hashes
 * 「维度/名称」 instead. A ruleset's own id: `rs-` and eight hex digits of 「行业/分支」.
 * No pinyin: the hash needs no dictionary and never changes with one.
 */
export function generatedIndicatorId(
  title: string,
  dimension: string,
  taken: ReadonlySet<unknown> = new Set(),
): string {
  const byName = `ind-${shortHash(title.normalize('NFKC').trim())}`;
  if (!taken.has(byName)) return byName;
  return `ind-${shortHash(`${dimension.normalize('NFKC').trim()}/${title.normalize('NFKC').trim()}`)}`;
}

/** The id a ruleset whose 编号 was left blank takes, from its industry and branch. */
export function generatedRulesetId(industry: string, branch: string): string {
  return `rs-${shortHash(`${industry.normalize('NFKC').trim()}/${branch.normalize('NFKC').trim()}`)}`;
}

function shortHash(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);
}

function readIndicatorSheet(
  ws: ExcelJS.Worksheet,
  grades: readonly string[] | undefined,
  report: Report,
): IndicatorSheet {
  const sheet = RULESET_SHEETS.indicators;
  const out: IndicatorSheet = {
    indicators: [],
    rows: [],
    fieldCols: new Map(),
    requireCols: new Map(),
    textCols: new Map(),
  };
  const gradeSet = new Set(grades ?? []);
  const floor = grades?.at(-1);
  const known = new Set<number>();
  const headers = new Map<number, string>();
  const seenHeaders = new Map<string, number>();

  for (let c = 1; c <= ws.columnCount; c++) {
    const raw = read(ws, 1, c);
    if (raw === undefined) continue;
    const h = headerKey(raw);
    headers.set(c, asText(raw).trim());
    const firstCol = seenHeaders.get(h);
    if (firstCol !== undefined) {
      report.add(sheet, 1, c, `列标题「${h}」重复（已在 ${columnLetter(firstCol)} 列）`);
      known.add(c);
      continue;
    }
    seenHeaders.set(h, c);
    const field = FIELD_COLUMNS.find(
      (f) => headerKey(f.header) === h || (f.aliases ?? []).some((a) => headerKey(a) === h),
    );
    // Grade names are taken from the header as written (they may hold spaces or full-width forms).
    const written = asText(raw).trim();
    const req = /^(.+?)\s*级要求$/.exec(written)?.[1]?.trim();
    const txt = /^(.+?)\s*级原文$/.exec(written)?.[1]?.trim();
    if (field) {
      out.fieldCols.set(field.key, c);
    } else if (req !== undefined || txt !== undefined) {
      const named = req ?? txt ?? '';
      const grade = gradeSet.has(named)
        ? named
        : ([...gradeSet].find((g) => headerKey(g) === headerKey(named)) ?? named);
      if (grades && !gradeSet.has(grade)) {
        report.add(
          sheet,
          1,
          c,
          `列标题「${h}」中的等级 ${grade} 不在「指标体系」的等级表中（${[...gradeSet].join('、')}）`,
        );
      } else if (req !== undefined) out.requireCols.set(grade, c);
      else out.textCols.set(grade, c);
    } else {
      report.add(
        sheet,
        1,
        c,
        `无法识别的列标题「${h}」（可用：${FIELD_COLUMNS.map((f) => f.header).join('、')}，以及「X级要求」「X级原文」）`,
      );
    }
    known.add(c);
  }
  const missing = FIELD_COLUMNS.filter((f) => f.required && !out.fieldCols.has(f.key));
  for (const f of missing) report.add(sheet, 1, null, `缺少列「${f.header}」`);
  if (missing.length > 0) {
    report.structural = true;
    return out;
  }

  const col = (key: FieldKey) => out.fieldCols.get(key);
  const cell = (r: number, key: FieldKey): Scalar | undefined => {
    const c = col(key);
    return c === undefined ? undefined : read(ws, r, c);
  };
  const headerless = new Set<number>();

  for (let r = 2; r <= ws.rowCount; r++) {
    let blank = true;
    ws.getRow(r).eachCell((c, n) => {
      const v = scalarOf(c.value);
      if (v === undefined || (typeof v === 'string' && v.trim() === '')) return;
      blank = false;
      if (!known.has(n) && !headerless.has(n)) {
        headerless.add(n);
        report.add(sheet, r, n, '此列没有列标题，内容无法导入');
      }
    });
    if (blank) continue;

    const id = cell(r, 'id');
    if (typeof id === 'string' && id.trim().startsWith(EXAMPLE_ID_PREFIX)) {
      report.warn(sheet, r, col('id') ?? null, `示例行（编号${show(id)}以“示例”开头），已跳过`);
      continue;
    }

    const ind: Record<string, unknown> = {};
    if (id !== undefined) ind.id = asText(id).trim();
    const dimension = cell(r, 'dimension');
    if (dimension !== undefined) ind.dimension = asText(dimension);
    const title = cell(r, 'title');
    if (title !== undefined) ind.title = asText(title);
    if (id === undefined && title !== undefined) {
      const taken = new Set(out.indicators.map((x) => x.id));
      ind.id = generatedIndicatorId(
        asText(title),
        dimension === undefined ? '' : asText(dimension),
        taken,
      );
      report.warn(
        sheet,
        r,
        col('id') ?? null,
        `「指标编号」为空，已按指标名称生成 ${String(ind.id)}`,
      );
    }

    const kindCell = cell(r, 'kind');
    let kind: IndicatorKind | undefined;
    if (kindCell === undefined) {
      report.add(
        sheet,
        r,
        col('kind') ?? null,
        '「类型」请填写指标类型（上限、下限、是否、选项、等级）',
      );
    } else {
      kind = parseKind(kindCell);
      if (kind) ind.kind = kind;
      else {
        report.add(
          sheet,
          r,
          col('kind') ?? null,
          `「类型」未知的指标类型${show(kindCell)}（可填：${INDICATOR_KINDS.map((k) => KIND_LABELS[k]).join('、')}）`,
        );
      }
    }

    const unit = cell(r, 'unit');
    if (unit !== undefined) ind.unit = asText(unit);
    const hint = cell(r, 'hint');
    if (hint !== undefined) ind.hint = asText(hint);
    const note = cell(r, 'note');
    if (note !== undefined) ind.note = asText(note);
    const options = cell(r, 'options');
    if (options !== undefined) ind.options = splitList(asText(options));

    const text: Record<string, string> = {};
    for (const [grade, c] of out.textCols) {
      const v = read(ws, r, c);
      if (v !== undefined) text[grade] = asText(v);
    }
    if (Object.keys(text).length > 0) ind.text = text;

    const require: Record<string, unknown> = {};
    for (const [grade, c] of out.requireCols) {
      const v = read(ws, r, c);
      if (v === undefined) continue;
      const where = `「${requireHeader(grade)}」`;
      if (grade === floor) {
        report.add(sheet, r, c, `${where}${grade} 是最低（兜底）等级，此列必须留空`);
        continue;
      }
      if (!kind) continue; // the kind is already reported; its requirements cannot be read
      switch (kind) {
        case 'max':
        case 'min': {
          const n = parseNumber(v);
          if (n === undefined) {
            report.add(sheet, r, c, `${where}应填数字（不带单位和 ≤、≥ 等符号），实为${show(v)}`);
          } else require[grade] = n;
          break;
        }
        case 'bool': {
          const b = parseBool(v);
          if (b === undefined) report.add(sheet, r, c, `${where}应填“是”或“否”，实为${show(v)}`);
          else require[grade] = b;
          break;
        }
        case 'oneOf': {
          const list = splitList(asText(v));
          if (list.length === 0)
            report.add(sheet, r, c, `${where}应填允许的可选项，实为${show(v)}`);
          else require[grade] = list;
          break;
        }
        case 'level':
          require[grade] = parseGrade(v, gradeSet);
          break;
      }
    }
    ind.require = require;
    out.indicators.push(ind);
    out.rows.push(r);
  }
  return out;
}

interface MeasuresSheet {
  measures: Record<string, Partial<Record<AlertLevel, string>>>;
  rows: Map<string, number>;
  levelCols: Map<AlertLevel, number>;
}

function readMeasuresSheet(ws: ExcelJS.Worksheet, report: Report): MeasuresSheet {
  const sheet = RULESET_SHEETS.measures;
  const out: MeasuresSheet = { measures: {}, rows: new Map(), levelCols: new Map() };
  let gradeCol: number | undefined;
  const known = new Set<number>();
  for (let c = 1; c <= ws.columnCount; c++) {
    const raw = read(ws, 1, c);
    if (raw === undefined) continue;
    const h = headerKey(raw);
    const level = ALERT_LEVELS.find((l) => LEVEL_HEADERS[l].some((x) => headerKey(x) === h));
    if (h === GRADE_HEADER && gradeCol === undefined) gradeCol = c;
    else if (level && !out.levelCols.has(level)) out.levelCols.set(level, c);
    else {
      report.add(
        sheet,
        1,
        c,
        `无法识别或重复的列标题「${h}」（可用：等级、${ALERT_LEVELS.map((l) => ALERT_LEVEL_NAMES[l]).join('、')}）`,
      );
      continue;
    }
    known.add(c);
  }
  const missing = [
    ...(gradeCol === undefined ? [GRADE_HEADER] : []),
    ...ALERT_LEVELS.filter((l) => !out.levelCols.has(l)).map((l) => ALERT_LEVEL_NAMES[l]),
  ];
  for (const h of missing) {
    report.structural = true;
    report.add(sheet, 1, null, `缺少列「${h}」`);
  }
  if (gradeCol === undefined || missing.length > 0) return out;

  const headerless = new Set<number>();
  for (let r = 2; r <= ws.rowCount; r++) {
    const g = read(ws, r, gradeCol);
    const byLevel: Partial<Record<AlertLevel, string>> = {};
    for (const [level, c] of out.levelCols) {
      const v = read(ws, r, c);
      if (v !== undefined) byLevel[level] = asText(v);
    }
    ws.getRow(r).eachCell((cell, n) => {
      const v = scalarOf(cell.value);
      if (v === undefined || (typeof v === 'string' && v.trim() === '')) return;
      if (!known.has(n) && !headerless.has(n)) {
        headerless.add(n);
        report.add(sheet, r, n, '此列没有列标题，内容无法导入');
      }
    });
    const hasText = Object.keys(byLevel).length > 0;
    if (g === undefined) {
      if (hasText) report.add(sheet, r, gradeCol, '「等级」缺少等级名称');
      continue;
    }
    const grade = asText(g).trim();
    const first = out.rows.get(grade);
    if (first !== undefined) {
      report.add(sheet, r, gradeCol, `等级 ${grade} 重复（已在第 ${first} 行）`);
      continue;
    }
    out.rows.set(grade, r);
    if (hasText) out.measures[grade] = byLevel;
  }
  return out;
}

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
