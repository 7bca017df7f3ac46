/**
 * Reading each sheet of a ruleset workbook on its own: 「指标体系」 (meta rows and the grade scheme),
 * 「指标」 (headers found by name, one indicator per row, example rows skipped) and 「应急减排措施」.
 * Every problem goes to the report with its cell; what each sheet holds is kept with where it was.
 */
import type ExcelJS from 'exceljs';
import {
  ALERT_LEVELS,
  ALERT_LEVEL_NAMES,
  type AlertLevel,
  INDICATOR_KINDS,
  type IndicatorKind,
} from '../../../shared/grading/types';
import { generatedIndicatorId } from './ids';
import {
  EXAMPLE_ID_PREFIX,
  FIELD_COLUMNS,
  type FieldKey,
  GRADE_HEADER,
  KIND_LABELS,
  LEVEL_HEADERS,
  META_ROWS,
  type MetaKey,
  RULESET_SHEETS,
  columnLetter,
  requireHeader,
  splitList,
} from './layout';
import {
  type Report,
  type Scalar,
  asText,
  headerKey,
  parseBool,
  parseGrade,
  parseKind,
  parseNumber,
  read,
  scalarOf,
  show,
} from './read-cells';

export interface MetaSheet {
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

export function readMetaSheet(ws: ExcelJS.Worksheet, report: Report): MetaSheet {
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
export interface IndicatorSheet {
  indicators: Record<string, unknown>[];
  rows: number[];
  fieldCols: Map<FieldKey, number>;
  requireCols: Map<string, number>;
  textCols: Map<string, number>;
}
export function readIndicatorSheet(
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

export interface MeasuresSheet {
  measures: Record<string, Partial<Record<AlertLevel, string>>>;
  rows: Map<string, number>;
  levelCols: Map<AlertLevel, number>;
}

export function readMeasuresSheet(ws: ExcelJS.Worksheet, report: Report): MeasuresSheet {
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
