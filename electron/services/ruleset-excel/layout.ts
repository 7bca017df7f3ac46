/**
 * The layout of the experts' ruleset workbook (../shared/spec/ruleset-format.md), shared by the
 * writer (write.ts) and the reader (read.ts): the result and problem types, sheet names, columns and
 * their Chinese labels, meta rows, grade and level headers, fills, and the list separators.
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
import {
  type AlertLevel,
  DIMENSIONS,
  type GradeDef,
  type IndicatorKind,
  type Ruleset,
} from '../../../shared/grading/types';
import type { WorkbookLimits } from '../workbook-guard';

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

export const NOT_A_WORKBOOK = '文件不是有效的 Excel 工作簿';

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

export type FieldKey = 'id' | 'dimension' | 'title' | 'kind' | 'unit' | 'options' | 'hint' | 'note';

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

export const FIELD_COLUMNS: readonly FieldColumn[] = [
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

export const REQUIREMENT_HINT =
  '按类型填写本等级的要求（空白表示本等级对此指标无要求）：上限、下限填数字；是否填 是 或 否；选项填允许的可选项，用 、 分隔；等级填一个等级。';

/** The kinds as the template writes them; older templates' 'max（上限）' and bare 'max' still read. */
export const KIND_LABELS: Record<IndicatorKind, string> = {
  max: '上限',
  min: '下限',
  bool: '是否',
  oneOf: '选项',
  level: '等级',
};

/** The statuses as the template writes them; draft/verified (older templates) still read. */
export const STATUS_LABELS: Record<'draft' | 'verified', string> = {
  draft: '草稿',
  verified: '已核实',
};

export const KIND_CHINESE: Record<string, IndicatorKind> = {
  上限: 'max',
  下限: 'min',
  是否: 'bool',
  选项: 'oneOf',
  等级: 'level',
};

export type MetaKey =
  'id' | 'industry' | 'branch' | 'edition' | 'source' | 'sourceNote' | 'status' | 'summary';

interface MetaRow {
  key: MetaKey;
  label: string;
  hint: string;
  /** Labels of older templates for this row. */
  aliases?: readonly string[];
}

export const META_ROWS: readonly MetaRow[] = [
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

export const GRADE_HEADER = '等级';
export const RANK_HEADER = '排序';

export const LEVEL_HEADERS: Record<AlertLevel, readonly string[]> = {
  yellow: ['黄色预警', '黄色', 'yellow'],
  orange: ['橙色预警', '橙色', 'orange'],
  red: ['红色预警', '红色', 'red'],
};

export const FILL = {
  field: 'FFD9E1F2',
  require: 'FFFFF2CC',
  text: 'FFE2EFDA',
  floor: 'FFD9D9D9',
  meta: 'FFD9E1F2',
} as const;

export type IndicatorColumn =
  | { type: 'field'; field: FieldColumn }
  | { type: 'require'; grade: string; floor: boolean }
  | { type: 'text'; grade: string };

export function requireHeader(grade: string): string {
  return `${grade}级要求`;
}
export function textHeader(grade: string): string {
  return `${grade}级原文`;
}

export function indicatorColumns(grades: readonly GradeDef[]): IndicatorColumn[] {
  const floor = grades.at(-1)?.grade;
  const cols: IndicatorColumn[] = FIELD_COLUMNS.map((field) => ({ type: 'field', field }));
  for (const { grade } of grades) {
    cols.push({ type: 'require', grade, floor: grade === floor });
    cols.push({ type: 'text', grade });
  }
  return cols;
}

export function columnHeader(col: IndicatorColumn): string {
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

export function joinList(items: readonly string[]): string {
  if (!items.some((x) => LIST_SEPARATORS.test(x))) return items.join('、');
  // Line breaks separate items when an item holds a separator; a lone item gets a trailing one.
  return items.length === 1 ? `${items[0]}\n` : items.join('\n');
}

export function splitList(s: string): string[] {
  const parts = /\r?\n/.test(s) ? s.split(/\r?\n/) : s.split(LIST_SEPARATORS);
  return parts.map((x) => x.trim()).filter((x) => x !== '');
}
