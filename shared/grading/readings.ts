import { formatNumber, withUnit } from './text';

/**
 * Measured readings as typed on site, often through a Chinese IME: what is a number, what is not,
 * and which numbers a unit allows. One rule for the input under each reading and for the service
 * that stores it, so a reading is never silently lost or wrong.
 *
 * What the normaliser accepts (and why):
 * - full-width digits ０-９, signs ＋ － and the minus sign −, and surrounding spaces (also the
 *   full-width space) — an IME in full-width mode types these for 0-9, + and -;
 * - a decimal point written . ． or 。 (the IME's 。 is what the . key gives in Chinese mode);
 * - thousands separators , or ， only where the grouping is a thousands grouping (1,234 or
 *   12，345.6: one to three digits, then groups of exactly three). Chinese never writes a decimal
 *   comma, and "42，5" might as well be two readings, so any other comma is refused, asking for a
 *   decimal point — never guessed;
 * - 、 is refused: it lists things (our own records print two readings as 42、57), so reading
 *   "42、57" as one number would silently turn two readings into a wrong one;
 * - the indicator's own unit typed after the number (85%, 85％, 42 mg/m³) is dropped.
 * Anything else (letters, exponents, several points, an empty sign) is not a number, and the
 * message says why. A number of more than 15 significant digits is refused (it would not be kept
 * exactly).
 */

export type ReadingParse =
  { kind: 'empty' } | { kind: 'number'; value: number } | { kind: 'invalid'; message: string };

const FULL_WIDTH_DIGIT = /[\uFF10-\uFF19]/g;

/** The characters an IME types, as the ASCII a number is written in; spaces around trimmed. */
export function normalizeReadingText(raw: string): string {
  return raw
    .replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/[．。｡]/g, '.')
    .replace(/[＋﹢]/g, '+')
    .replace(/[－−﹣‐‑–]/g, '-')
    .replace(/，/g, ',')
    .replace(/％/g, '%')
    .replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
}

const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;

function stripUnit(text: string, unit: string | undefined): string {
  if (!unit) return text;
  const u = normalizeReadingText(unit);
  if (u === '' || !text.endsWith(u)) return text;
  return text.slice(0, -u.length).replace(/[\s\u3000]+$/, '');
}

function significantDigits(text: string): number {
  const digits = text.replace(/[^\d]/g, '').replace(/^0+/, '');
  return digits.replace(/0+$/, '').length;
}

/** A typed reading: empty, a number, or why it is not one (in Chinese). */
export function parseReading(raw: string, unit?: string): ReadingParse {
  const text = stripUnit(normalizeReadingText(raw), unit);
  if (text === '') return { kind: 'empty' };
  if (text.includes('、')) {
    return {
      kind: 'invalid',
      message: '一个读数框只填一个数值；多个排口或时段的读数请点“增加读数”逐个填写',
    };
  }
  let number: string;
  if (PLAIN.test(text)) number = text;
  else if (GROUPED.test(text)) number = text.replace(/,/g, '');
  else if (/^[+-]?[\d.,]+$/.test(text) && text.includes(',')) {
    return {
      kind: 'invalid',
      message: `“${raw.trim()}”中的逗号含义不明确：小数请用小数点（如 42.5），千分位请每三位一组（如 12,345）`,
    };
  } else if (/^[+-]?\d*\.\d*\.[\d.]*$/.test(text)) {
    return { kind: 'invalid', message: `“${raw.trim()}”有多个小数点，不是一个数值` };
  } else {
    return { kind: 'invalid', message: `“${raw.trim()}”不是数值，请填写数字（如 42.5）` };
  }
  if (significantDigits(number) > 15) {
    return { kind: 'invalid', message: `“${raw.trim()}”位数过多（最多 15 位有效数字）` };
  }
  const value = Number(number);
  if (!Number.isFinite(value)) {
    return { kind: 'invalid', message: `“${raw.trim()}”不是数值，请填写数字（如 42.5）` };
  }
  // -0 reads as 0.
  return { kind: 'number', value: value === 0 ? 0 : value };
}

// ─── Ranges by unit ─────────────────────────────────────────────────────────────────────────

export interface ReadingRange {
  min?: number;
  max?: number;
  /** Why the range holds, for the message: 百分比, 浓度… */
  what: string;
}

const CONCENTRATION = /^(mg|μg|µg|ug|ng|g)\/(n?m³|n?m3|l|kg)$/i;
const NON_NEGATIVE = new Set(
  [
    'ppm',
    'ppb',
    'm³/h',
    'nm³/h',
    'm3/h',
    't',
    't/h',
    't/a',
    't/d',
    'kg',
    'kg/h',
    'km',
    'm',
    'mm',
    'h',
    '小时',
    '天',
    'd',
    '年',
    '台',
    '个',
    '辆',
    '次',
    '套',
    'kw',
    'mw',
    'kwh',
    'db',
    'db(a)',
    'm/s',
    'mg/kg',
  ].map((u) => u.toLowerCase()),
);

/**
 * What a unit allows: a percentage 0–100, a per-mille 0–1000, a concentration (mg/m³, μg/m³,
 * mg/L…) or another magnitude (flow, mass, time, count…) ≥ 0, pH 0–14, a temperature −60–2000 ℃.
 * null where the unit says nothing about its range (none given, pressure that may be negative…).
 */
export function unitRange(unit: string | undefined | null): ReadingRange | null {
  if (!unit) return null;
  const u = normalizeReadingText(unit).replace(/\s+/g, '');
  const lower = u.toLowerCase();
  if (u === '%') return { min: 0, max: 100, what: '百分比' };
  if (u === '‰') return { min: 0, max: 1000, what: '千分比' };
  if (u === '℃' || u === '°C' || u === '°c') return { min: -60, max: 2000, what: '温度' };
  if (lower === 'ph') return { min: 0, max: 14, what: 'pH 值' };
  if (CONCENTRATION.test(u)) return { min: 0, what: '浓度' };
  if (NON_NEGATIVE.has(lower)) return { min: 0, what: '该数值' };
  return null;
}

/** null when the reading is within its unit's range; otherwise why not, naming the range. */
export function readingRangeProblem(value: number, unit: string | undefined | null): string | null {
  const range = unitRange(unit);
  if (!range) return null;
  const shown = withUnit(formatNumber(value), unit);
  const { min, max, what } = range;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const span =
      min !== undefined && max !== undefined
        ? `应在 ${withUnit(formatNumber(min), unit)} 到 ${withUnit(formatNumber(max), unit)} 之间`
        : min !== undefined
          ? `不能小于 ${withUnit(formatNumber(min), unit)}`
          : `不能大于 ${withUnit(formatNumber(max as number), unit)}`;
    return `${shown} 超出范围：${what}${span}`;
  }
  return null;
}

/** A typed reading checked end to end: a number within its unit's range, or why not. */
export function checkReading(raw: string, unit?: string): ReadingParse {
  const parsed = parseReading(raw, unit);
  if (parsed.kind !== 'number') return parsed;
  const problem = readingRangeProblem(parsed.value, unit);
  return problem === null ? parsed : { kind: 'invalid', message: problem };
}

// ─── A measured reading's other numbers: 基准氧含量 and 限值 ───────────────────────────────────

/** 基准氧含量 is a share of oxygen in flue gas: 0–21 % (air holds about 21 %). */
export const OXYGEN_REF_MAX = 21;

/** null when a 基准氧含量 lies within 0–21 %; otherwise why not. */
export function oxygenRefProblem(value: number): string | null {
  if (value >= 0 && value <= OXYGEN_REF_MAX) return null;
  return `${formatNumber(value)}% 超出范围：基准氧含量应在 0% 到 ${OXYGEN_REF_MAX}% 之间`;
}

/** A typed 基准氧含量 (a trailing % is dropped): a number within 0–21 %, or why not. */
export function checkOxygenRef(raw: string): ReadingParse {
  const parsed = parseReading(raw, '%');
  if (parsed.kind !== 'number') return parsed;
  const problem = oxygenRefProblem(parsed.value);
  return problem === null ? parsed : { kind: 'invalid', message: problem };
}

/** null when a 限值 is at least 0 and within its unit's range; otherwise why not. */
export function limitProblem(value: number, unit: string | undefined | null): string | null {
  const inUnit = readingRangeProblem(value, unit);
  if (inUnit !== null) return inUnit;
  if (value < 0) return `${withUnit(formatNumber(value), unit)} 超出范围：限值不能小于 0`;
  return null;
}

/** A typed 限值, in the reading's unit: a number at least 0 and within the unit's range. */
export function checkLimit(raw: string, unit?: string): ReadingParse {
  const parsed = parseReading(raw, unit);
  if (parsed.kind !== 'number') return parsed;
  const problem = limitProblem(parsed.value, unit);
  return problem === null ? parsed : { kind: 'invalid', message: problem };
}

/** The numbers of a measured reading (实测读数), each a number or the text typed for it. */
export interface MeasuredNumbers {
  value: number | string;
  unit: string;
  oxygenRef?: number | string | null | undefined;
  limit?: number | string | null | undefined;
}

export type MeasuredField = 'value' | 'oxygenRef' | 'limit';

export const MEASURED_FIELD_LABELS: Readonly<Record<MeasuredField, string>> = {
  value: '实测值',
  oxygenRef: '基准氧含量',
  limit: '限值',
};

export type MeasuredCheck =
  | { ok: true; value: number; oxygenRef: number | null; limit: number | null }
  | { ok: false; problems: { field: MeasuredField; message: string }[] };

/**
 * A measured reading's numbers checked by the rules of the input under each: 实测值 against its
 * unit (required), 基准氧含量 as a % within 0–21, 限值 at least 0 and within the unit's range (both
 * may be left empty). Text is read as a typed reading is; each refused number says why, the
 * message led by the field's name (实测值 120% 超出范围…, 限值：“abc”不是数值…).
 */
export function checkMeasuredNumbers(r: MeasuredNumbers): MeasuredCheck {
  const problems: { field: MeasuredField; message: string }[] = [];
  const read = (
    field: MeasuredField,
    raw: number | string | null | undefined,
    unit: string,
    problem: (value: number) => string | null,
  ): number | null => {
    const label = MEASURED_FIELD_LABELS[field];
    if (raw === null || raw === undefined) return null;
    const parsed: ReadingParse =
      typeof raw === 'number' ? { kind: 'number', value: raw } : parseReading(raw, unit);
    if (parsed.kind === 'empty') return null;
    if (parsed.kind === 'invalid') {
      problems.push({ field, message: `${label}：${parsed.message}` });
      return null;
    }
    const why = problem(parsed.value);
    if (why !== null) problems.push({ field, message: `${label} ${why}` });
    return parsed.value === 0 ? 0 : parsed.value;
  };
  const value = read('value', r.value, r.unit, (v) => readingRangeProblem(v, r.unit));
  if (value === null && problems.length === 0) {
    problems.push({ field: 'value', message: '请填写实测值' });
  }
  const oxygenRef = read('oxygenRef', r.oxygenRef, '%', oxygenRefProblem);
  const limit = read('limit', r.limit, r.unit, (v) => limitProblem(v, r.unit));
  return problems.length > 0 || value === null
    ? { ok: false, problems }
    : { ok: true, value, oxygenRef, limit };
}
