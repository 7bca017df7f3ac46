import { NOT_APPLICABLE, type FactValue, type Requirement } from '../../../shared/grading';

/**
 * How facts, requirements, grades and times read in a Chinese document: 42、57 mg/m³, ≤ 100 mg/m³,
 * 是/否, 不适用, B 级, 2025年6月1日, 2025-06-01 10:30 (China time, UTC+8).
 */

/** What formatting needs of an indicator (an Indicator or a GapView). */
export interface IndicatorShape {
  /** An IndicatorKind; any other string formats plainly. */
  kind: string;
  unit?: string | null | undefined;
}

/** A number without float noise: 0.1 + 0.2 → 0.3. */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(12)));
}

/** 42 mg/m³, but 85% (no space before a percent or per-mille sign). */
export function withUnit(value: string, unit: string | null | undefined): string {
  if (!unit) return value;
  return unit === '%' || unit === '‰' ? `${value}${unit}` : `${value} ${unit}`;
}

const LETTER_GRADE = /^[A-D][-+]?$/;

/** A grade as a table names it: B 级, B- 级, but 引领性. */
export function gradeName(grade: string): string {
  return LETTER_GRADE.test(grade) ? `${grade} 级` : grade;
}

/** A grade inside a sentence: 达到 B 级要求, 达到引领性要求 (a space before a Latin letter). */
export function gradeInText(grade: string): string {
  return LETTER_GRADE.test(grade) ? ` ${grade} 级` : grade;
}

function scalar(v: number | string | boolean, unit: string | null | undefined): string {
  if (typeof v === 'number') return withUnit(formatNumber(v), unit);
  if (typeof v === 'boolean') return v ? '是' : '否';
  return v;
}

/** A site's answer: 未作答, 不适用, 是/否, 42、57 mg/m³, 达到 B 级要求, or the option chosen. */
export function formatFact(fact: FactValue | null, indicator: IndicatorShape | undefined): string {
  if (fact === null) return '未作答';
  if (fact === NOT_APPLICABLE) return '不适用';
  const unit = indicator?.unit;
  if (Array.isArray(fact)) {
    const allNumbers = fact.every((v) => typeof v === 'number');
    const list = fact.map((v) => scalar(v, allNumbers ? null : unit)).join('、');
    return allNumbers ? withUnit(list, unit) : list;
  }
  if (typeof fact === 'string' && indicator?.kind === 'level') {
    return `达到${gradeInText(fact)}要求`;
  }
  return scalar(fact, unit);
}

/** For several readings: 共 2 个读数，最高 57 mg/m³ (the reading that decides a max or min). */
export function readingsSummary(
  fact: FactValue | null,
  indicator: IndicatorShape | undefined,
): string | null {
  if (!Array.isArray(fact) || fact.length < 2) return null;
  const numbers = fact.filter((v): v is number => typeof v === 'number');
  if (numbers.length !== fact.length) return `共 ${fact.length} 个读数`;
  const unit = indicator?.unit;
  if (indicator?.kind === 'max') {
    return `共 ${numbers.length} 个读数，最高 ${withUnit(formatNumber(Math.max(...numbers)), unit)}`;
  }
  if (indicator?.kind === 'min') {
    return `共 ${numbers.length} 个读数，最低 ${withUnit(formatNumber(Math.min(...numbers)), unit)}`;
  }
  return `共 ${numbers.length} 个读数`;
}

/** What a grade demands of an indicator: ≤ 100 mg/m³, ≥ 80%, 是, SCR、SNCR（其一）, 达到 B 级要求. */
export function formatRequirement(required: Requirement, indicator: IndicatorShape): string {
  const unit = indicator.unit;
  switch (indicator.kind) {
    case 'max':
      return typeof required === 'number'
        ? `≤ ${withUnit(formatNumber(required), unit)}`
        : String(required);
    case 'min':
      return typeof required === 'number'
        ? `≥ ${withUnit(formatNumber(required), unit)}`
        : String(required);
    case 'bool':
      return required === true ? '是' : required === false ? '否' : String(required);
    case 'oneOf':
      return Array.isArray(required) ? `${required.join('、')}（其一）` : String(required);
    case 'level':
      return typeof required === 'string' ? `达到${gradeInText(required)}要求` : String(required);
    default:
      return Array.isArray(required) ? required.join('、') : scalar(required, unit);
  }
}

const CHINA_OFFSET_MS = 8 * 3600_000;

/** 2025-06-01 10:30, China time, whatever the machine's zone. */
export function formatDateTime(epochMs: number): string {
  const iso = new Date(epochMs + CHINA_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** 2025-06-01 → 2025年6月1日. */
export function formatDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (section numbers up to 99). */
export function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n] ?? String(n);
  if (n >= 100) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}
