import {
  ALERT_LEVELS,
  DIMENSIONS,
  type AlertLevel,
  type Indicator,
  type Requirement,
  type Ruleset,
} from '../../shared/grading/types';

/** A requirement in words, as the guideline's table would state it. */
export function requirementText(indicator: Indicator, requirement: Requirement): string {
  const unit = indicator.unit ? ` ${indicator.unit}` : '';
  const list = (v: Requirement) => (Array.isArray(v) ? v.join('、') : String(v));
  switch (indicator.kind) {
    case 'max':
      return `≤ ${list(requirement)}${unit}`;
    case 'min':
      return `≥ ${list(requirement)}${unit}`;
    case 'bool':
      return requirement === true ? '要求' : '—';
    case 'oneOf':
      return list(requirement);
    case 'level':
      return `达到${list(requirement)}级要求`;
    default:
      return list(requirement);
  }
}

export interface DimensionGroup {
  dimension: string;
  indicators: Indicator[];
}

/** Indicators under their dimensions: the guideline's order first, then any others as met. */
export function groupByDimension(indicators: readonly Indicator[]): DimensionGroup[] {
  const groups = new Map<string, Indicator[]>();
  for (const indicator of indicators) {
    const list = groups.get(indicator.dimension) ?? [];
    list.push(indicator);
    groups.set(indicator.dimension, list);
  }
  const known = DIMENSIONS as readonly string[];
  const order = [
    ...known.filter((d) => groups.has(d)),
    ...[...groups.keys()].filter((d) => !known.includes(d)),
  ];
  return order.map((dimension) => ({ dimension, indicators: groups.get(dimension) ?? [] }));
}

export interface MeasureRow {
  grade: string;
  levels: Partial<Record<AlertLevel, string>>;
}

/** The emergency measures by grade (best first), only grades that have any. */
export function measureRows(ruleset: Ruleset): MeasureRow[] {
  const measures = ruleset.measures ?? {};
  const order = [
    ...ruleset.grades.map((g) => g.grade),
    ...Object.keys(measures).filter((g) => !ruleset.grades.some((d) => d.grade === g)),
  ];
  return order
    .filter((grade) => ALERT_LEVELS.some((level) => measures[grade]?.[level]))
    .map((grade) => ({ grade, levels: measures[grade] ?? {} }));
}
