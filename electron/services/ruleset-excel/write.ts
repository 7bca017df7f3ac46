/**
 * Ruleset → workbook: the blank template (one example row per kind, from the contract's cement
 * sample) and the export of a ruleset, both in the layout of layout.ts, with header notes, input
 * prompts and drop-downs.
 */
import ExcelJS from 'exceljs';
import {
  ALERT_LEVELS,
  ALERT_LEVEL_NAMES,
  DIMENSIONS,
  type GradeDef,
  INDICATOR_KINDS,
  type Indicator,
  type Requirement,
  type Ruleset,
} from '../../../shared/grading/types';
import {
  DEFAULT_GRADES,
  EXAMPLE_ID_PREFIX,
  FILL,
  GRADE_HEADER,
  type IndicatorColumn,
  KIND_LABELS,
  META_ROWS,
  type MetaKey,
  RANK_HEADER,
  REQUIREMENT_HINT,
  RULESET_SHEETS,
  STATUS_LABELS,
  columnHeader,
  columnLetter,
  indicatorColumns,
  joinList,
} from './layout';

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
