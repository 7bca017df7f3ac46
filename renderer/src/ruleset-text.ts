import {
  ALERT_LEVELS,
  DIMENSIONS,
  type AlertLevel,
  type Indicator,
  type Ruleset,
} from '../../shared/grading/types';

export { factText, requirementText } from '../../shared/grading/text';

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
