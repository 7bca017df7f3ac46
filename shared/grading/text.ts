import { NOT_APPLICABLE, type FactValue, type Requirement } from './types';

/**
 * Requirements, facts and grades in words, as a person reads them on screen or in a printed
 * record. The one wording for the checklist, the gap list, the ruleset view, the drafted plan
 * and every PDF:
 * - a number carries no float noise (0.1 + 0.2 → 0.3);
 * - a unit follows its number after a space (50 mg/m³, 12 Nm³/h), except the signs written
 *   against the number (80%, 5‰, 25℃, 90°);
 * - comparisons have a space after the sign (≤ 50 mg/m³, ≥ 80%);
 * - a letter grade is written as the guidelines do, without a space: B级, B-级, 达到B级要求; a
 *   named grade stands alone: 引领性, 达到引领性要求;
 * - an unanswered fact is 未填写, "n/a" is 不适用, a boolean is 是/否.
 */

/** What the wording needs of an indicator (an Indicator, or a gap that names its kind and unit). */
export interface IndicatorKindUnit {
  kind: string;
  unit?: string | null | undefined;
}

/** What an unanswered fact (or a gap whose fact is unknown) reads as. */
export const UNANSWERED_TEXT = '未填写';
/** What the fact "n/a" reads as. */
export const NOT_APPLICABLE_TEXT = '不适用';

/**
 * A number without float noise: 0.1 + 0.2 → 0.3, 57.5 → 57.5, 100 → 100. With `decimals`, a
 * computed value (a mean) is rounded for reading: 41.333… → 41.33, yet 0.004 stays 0.004.
 */
export function formatNumber(n: number, decimals?: number): string {
  if (Number.isInteger(n)) return String(n);
  if (decimals !== undefined) {
    const f = 10 ** decimals;
    const rounded = Math.round(n * f) / f;
    if (rounded !== 0 || n === 0) return String(rounded);
    return String(Number(n.toPrecision(2)));
  }
  return String(Number(n.toPrecision(12)));
}

/** Units written against the number, with no space: %, ‰, ℃, °. */
const TIGHT_UNIT = /^[%‰℃°％]/;

/** A value with its unit: 42 mg/m³, but 85% (see TIGHT_UNIT). */
export function withUnit(value: string, unit: string | null | undefined): string {
  if (!unit) return value;
  return TIGHT_UNIT.test(unit) ? `${value}${unit}` : `${value} ${unit}`;
}

const LETTER_GRADE = /^[A-Z][-+]?$/;

/** A grade as documents name it: B级, B-级, but 引领性. */
export function gradeText(grade: string): string {
  return LETTER_GRADE.test(grade) ? `${grade}级` : grade;
}

/** 达到B级要求, 达到引领性要求. */
export function reachesGradeText(grade: string): string {
  return `达到${gradeText(grade)}要求`;
}

function list(v: Requirement): string {
  return Array.isArray(v) ? v.join('、') : String(v);
}

/**
 * A requirement in words, as the guideline's table would state it: ≤ 50 mg/m³, ≥ 80%, 是
 * (不要求 for a yes/no indicator a grade does not ask for), SCR、SNCR+SCR（其一）, 达到B级要求.
 */
export function requirementText(indicator: IndicatorKindUnit, requirement: Requirement): string {
  switch (indicator.kind) {
    case 'max':
      return typeof requirement === 'number'
        ? `≤ ${withUnit(formatNumber(requirement), indicator.unit)}`
        : list(requirement);
    case 'min':
      return typeof requirement === 'number'
        ? `≥ ${withUnit(formatNumber(requirement), indicator.unit)}`
        : list(requirement);
    case 'bool':
      return requirement === true ? '是' : requirement === false ? '不要求' : list(requirement);
    case 'oneOf':
      return Array.isArray(requirement) && requirement.length > 1
        ? `${requirement.join('、')}（其一）`
        : list(requirement);
    case 'level':
      return typeof requirement === 'string' ? reachesGradeText(requirement) : list(requirement);
    default:
      return typeof requirement === 'number'
        ? withUnit(formatNumber(requirement), indicator.unit)
        : list(requirement);
  }
}

function scalar(v: number | string | boolean, indicator: IndicatorKindUnit): string {
  if (typeof v === 'number') return withUnit(formatNumber(v), indicator.unit);
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v === NOT_APPLICABLE) return NOT_APPLICABLE_TEXT;
  return indicator.kind === 'level' ? reachesGradeText(v) : v;
}

/**
 * A fact in words: 未填写 (null), 不适用, 是/否, 42.5 mg/m³, readings as 42、57 mg/m³ (the unit
 * once, after the list), 达到B级要求 for a level, or the option chosen.
 */
export function factText(indicator: IndicatorKindUnit, fact: FactValue | null): string {
  if (fact === null) return UNANSWERED_TEXT;
  if (!Array.isArray(fact)) return scalar(fact, indicator);
  if (fact.length === 0) return UNANSWERED_TEXT;
  if (fact.every((v) => typeof v === 'number')) {
    return withUnit(fact.map(formatNumber).join('、'), indicator.unit);
  }
  return fact.map((v) => scalar(v, indicator)).join('、');
}

/**
 * The reading that decides against a limit, for two or more readings: 最高 57 mg/m³ against a
 * maximum, 最低 76% against a minimum; null otherwise.
 */
export function decidingReadingText(
  indicator: IndicatorKindUnit,
  fact: FactValue | null,
): string | null {
  if (!Array.isArray(fact) || fact.length < 2) return null;
  const numbers = fact.filter((v): v is number => typeof v === 'number');
  if (numbers.length === 0) return null;
  if (indicator.kind === 'max')
    return `最高 ${withUnit(formatNumber(Math.max(...numbers)), indicator.unit)}`;
  if (indicator.kind === 'min')
    return `最低 ${withUnit(formatNumber(Math.min(...numbers)), indicator.unit)}`;
  return null;
}

/** For two or more readings: 共 2 个读数，最高 57 mg/m³ (or just 共 3 个读数); null otherwise. */
export function readingsSummary(
  indicator: IndicatorKindUnit,
  fact: FactValue | null,
): string | null {
  if (!Array.isArray(fact) || fact.length < 2) return null;
  const deciding = decidingReadingText(indicator, fact);
  return deciding ? `共 ${fact.length} 个读数，${deciding}` : `共 ${fact.length} 个读数`;
}

/**
 * What a gap shows of the site, in one line: 64%, 42、57.5 mg/m³（最高 57.5 mg/m³）, 不适用, or
 * 未填写 when nothing was recorded (an unknown fact meets nothing).
 */
export function gapFactText(
  gap: IndicatorKindUnit & { status: string; actual: FactValue | null },
): string {
  if (gap.status === 'unknown' || gap.actual === null) return UNANSWERED_TEXT;
  const text = factText(gap, gap.actual);
  const deciding = decidingReadingText(gap, gap.actual);
  return deciding ? `${text}（${deciding}）` : text;
}
