/**
 * The layout of 附件2 重点行业绩效分级“提级扩面”企业清单 (the Ningxia plan's list of enterprises to
 * lift), and the small rules of how its cells are written and read: headers, grades, dates and the
 * 备注 note naming an enterprise's other industries. Pure: no exceljs, no database.
 */
import { type Catalog } from '../../../shared/domain/catalog';

/** The columns of a process's grading plan, as an import reads and writes them. */
export type ProcessField =
  | 'currentGrade'
  | 'targetGrade'
  | 'differentiators'
  | 'problems'
  | 'improvements'
  | 'dueDate'
  | 'remark';

export type Annex2Key =
  'no' | 'city' | 'county' | 'name' | 'industry' | 'branch' | ProcessField | 'creditCode';

export interface Annex2Column {
  key: Annex2Key;
  /** The header as the seed lays it. */
  header: string;
  /** Other headers people write for the same column (compared without spaces, full-width folded). */
  aliases: readonly string[];
  /** Width in characters on export. */
  width: number;
  /** Centred on export (short values); the others are left-aligned and wrap. */
  centred: boolean;
}

/** The 13 columns of 附件2, in the seed's order. */
export const ANNEX2_COLUMNS: readonly Annex2Column[] = [
  { key: 'no', header: '序号', aliases: ['编号'], width: 5, centred: true },
  { key: 'city', header: '地级市', aliases: ['市', '地市', '所在市'], width: 9, centred: true },
  {
    key: 'county',
    header: '县（市、区）',
    aliases: ['县(市、区)', '县（市区）', '县区', '区县', '县（区）', '县'],
    width: 10,
    centred: true,
  },
  { key: 'name', header: '企业名称', aliases: ['单位名称', '企业'], width: 26, centred: false },
  {
    key: 'industry',
    header: '重点行业类型',
    aliases: ['行业类型', '重点行业', '行业'],
    width: 12,
    centred: false,
  },
  {
    key: 'branch',
    header: '重点行业分支',
    aliases: ['行业分支', '分支'],
    width: 15,
    centred: false,
  },
  {
    key: 'currentGrade',
    header: '绩效现状',
    aliases: ['现状', '当前绩效', '现有绩效'],
    width: 7,
    centred: true,
  },
  {
    key: 'targetGrade',
    header: '绩效提升目标',
    aliases: ['提升目标', '目标绩效', '绩效目标'],
    width: 7,
    centred: true,
  },
  { key: 'differentiators', header: '差异化指标', aliases: [], width: 20, centred: false },
  { key: 'problems', header: '存在问题', aliases: [], width: 24, centred: false },
  { key: 'improvements', header: '改进措施', aliases: [], width: 24, centred: false },
  {
    key: 'dueDate',
    header: '拟完成时间',
    aliases: ['完成时间', '计划完成时间'],
    width: 11,
    centred: true,
  },
  { key: 'remark', header: '备注', aliases: [], width: 18, centred: false },
];

/** Not in 附件2; read when a file has it (anywhere), never written. */
export const CREDIT_CODE_COLUMN: Annex2Column = {
  key: 'creditCode',
  header: '统一社会信用代码',
  aliases: ['信用代码', '社会信用代码'],
  width: 20,
  centred: false,
};

/** Columns an import cannot do without. The others, when absent, leave their fields untouched. */
export const REQUIRED_KEYS: readonly Annex2Key[] = ['city', 'county', 'name', 'industry', 'branch'];

export const ANNEX2_LABEL = '附件2';
export const ANNEX2_TITLE = '重点行业绩效分级“提级扩面”企业清单';
export const ANNEX2_NOTES: readonly string[] = [
  '注：1.重点行业类型及重点行业分支，应严格对照国家和宁夏回族自治区重污染天气重点行业应急减排措施制定技术指南当中行业类型规范填报；',
  '2.企业存在跨行业时，相应行业分行填报，并在备注中标注企业所涉及其他行业类型。',
];

export function columnByKey(key: Annex2Key): Annex2Column {
  return key === 'creditCode'
    ? CREDIT_CODE_COLUMN
    : (ANNEX2_COLUMNS.find((c) => c.key === key) as Annex2Column);
}

/** Text compared loosely: full-width forms folded, every space and line break dropped. */
export function looseKey(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

const HEADER_KEYS = new Map<string, Annex2Key>();
for (const c of [...ANNEX2_COLUMNS, CREDIT_CODE_COLUMN]) {
  for (const h of [c.header, ...c.aliases]) HEADER_KEYS.set(looseKey(h), c.key);
}

/** The column a header cell names (序\n号 and 县(市、区) included), if any. */
export function headerKeyOf(text: string): Annex2Key | undefined {
  return HEADER_KEYS.get(looseKey(text));
}

// ---------------------------------------------------------------------------------------------
// Dates

/** 日期：2025年3月7日, the day of `now` in China (UTC+8, no daylight saving). */
export function dateLine(now: number): string {
  const d = new Date(now + 8 * 3600_000);
  return `日期：${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** A stored 拟完成时间 (2025-09 or 2025-09-30) as 附件2 writes it: 2025年9月, 2025年9月30日. */
export function formatDue(due: string): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(due);
  if (!m) return due;
  const [, y, mo, d] = m;
  return d === undefined ? `${y}年${Number(mo)}月` : `${y}年${Number(mo)}月${Number(d)}日`;
}

export type DueParse = { ok: true; value: string } | { ok: false; message: string };

const DUE_HINT = '应为日期，如 2025-09-30、2025-09、2025年9月 或 2025.9';

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function ymd(y: number, m: number, d: number | undefined): DueParse {
  if (m < 1 || m > 12) return { ok: false, message: `月份 ${m} 不存在；拟完成时间${DUE_HINT}` };
  const mm = String(m).padStart(2, '0');
  if (d === undefined) return { ok: true, value: `${y}-${mm}` };
  if (d < 1 || d > daysInMonth(y, m)) {
    return { ok: false, message: `${y}年${m}月没有 ${d} 日；拟完成时间${DUE_HINT}` };
  }
  return { ok: true, value: `${y}-${mm}-${String(d).padStart(2, '0')}` };
}

/** Excel's day numbers: 25569 is 1970-01-01 (the 1900 system, as Excel writes by default). */
const EXCEL_EPOCH_DAY = 25569;

/** A Date from an Excel date cell (exceljs gives UTC midnight); `monthOnly` when its format has no day. */
export function dueFromDate(date: Date, monthOnly: boolean): DueParse {
  if (Number.isNaN(date.getTime())) return { ok: false, message: `拟完成时间${DUE_HINT}` };
  return ymd(
    date.getUTCFullYear(),
    date.getUTCMonth() + 1,
    monthOnly ? undefined : date.getUTCDate(),
  );
}

/**
 * A 拟完成时间 as written: text (2025-09-30, 2025/9/30, 2025-09, 2025年9月, 2025年9月30日, 2025.9,
 * 2025.09.30) or a number (2025.9 typed into Excel; an Excel day number whose date format was lost).
 * `fixedDecimals` is how many decimals the cell's number format shows (2025.10 shown as such).
 */
export function parseDue(value: string | number, fixedDecimals?: number): DueParse {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value > 20000 && value < 80000) {
      return dueFromDate(new Date((value - EXCEL_EPOCH_DAY) * 86400_000), false);
    }
    if (!Number.isInteger(value) && value > 1900 && value < 2200) {
      const text = fixedDecimals ? value.toFixed(fixedDecimals) : String(value);
      const m = /^(\d{4})\.(\d{1,2})$/.exec(text);
      if (m && m[2] === '1' && !fixedDecimals) {
        return {
          ok: false,
          message: `${text} 可能是 ${m[1]}年1月，也可能是 ${m[1]}年10月（Excel 把 ${m[1]}.10 存成 ${m[1]}.1），请写成 ${m[1]}-01 或 ${m[1]}-10`,
        };
      }
      if (m) return ymd(Number(m[1]), Number(m[2]), undefined);
    }
    return { ok: false, message: `${value} 不是日期：拟完成时间${DUE_HINT}` };
  }
  const t = value.normalize('NFKC').replace(/\s+/g, '');
  const m =
    /^(\d{4})(?:[-/.年])(\d{1,2})(?:(?:[-/.]|月)(\d{1,2})日?|月)?$/.exec(t) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return { ok: false, message: `“${value.trim()}”不是日期：拟完成时间${DUE_HINT}` };
  return ymd(Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3]));
}

// ---------------------------------------------------------------------------------------------
// Grades

/** Cells that mean "no grade": left empty on import. */
const NO_GRADE = new Set(['', '/', '-', '无', '暂无', '未评级', '未分级']);

/**
 * A grade as people write it, in the catalogue's spelling: B级 → B, B－ / B— → B-, ｂ → B,
 * 绩效引领性 / 引领性企业 → 引领性, 非绩效引领性 → 非引领性. Blank, 无 and 未评级 are no grade (null).
 * What is not recognised comes back as written, for the scheme check to refuse with its options.
 */
export function normalizeGrade(raw: string): string | null {
  let t = raw
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[‐‑‒–—―−﹘]/g, '-');
  if (NO_GRADE.has(t)) return null;
  t = t
    .replace(/^非绩效/, '非')
    .replace(/^绩效/, '')
    .replace(/(级企业|企业|级)$/, '');
  if (/^[a-dA-D]-?$/.test(t)) t = t.toUpperCase();
  return t === '' ? null : t;
}

// ---------------------------------------------------------------------------------------------
// 备注: the enterprise's other industries (注 2)

export const OTHER_INDUSTRIES_PREFIX = '另涉及：';
const REMARK_SEPARATOR = '；';

/** 备注 as exported: 另涉及：焦化、石灰窑；then the process's own remark. */
export function composeRemark(
  otherIndustries: readonly string[],
  remark: string | null,
): string | null {
  if (otherIndustries.length === 0) return remark;
  const note = `${OTHER_INDUSTRIES_PREFIX}${otherIndustries.join('、')}`;
  return remark === null ? note : `${note}${REMARK_SEPARATOR}${remark}`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Recognises the 另涉及 note export writes (a list of catalogue industries after 另涉及：, up to the
 * first ；) and strips it, so an exported 附件2 imports back to exactly the stored remark. A remark
 * that merely starts with the same words but names no catalogue industries is kept whole.
 */
export function otherIndustriesStripper(catalog: Catalog): (remark: string) => string {
  const names = catalog.industries
    .flatMap((i) => [i.name, i.code])
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
  const note = new RegExp(
    `^另涉及[：:]\\s*(?:${names})(?:\\s*[、,，]\\s*(?:${names}))*\\s*(?:[；;]|$)`,
  );
  return (remark) => {
    const m = note.exec(remark);
    return m ? remark.slice(m[0].length) : remark;
  };
}
